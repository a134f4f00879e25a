"""The simulation's organisation and the kanslienhet's year for any municipality's styrmodell,
with the rehearsals (`demo --ovning`): Lerum's year is as it always was; Norrvik's and Östervik's
förvaltningar sit under their nämnder; a rehearsal moves exactly its act past its deadline."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from lerum_flow.demo.kansli import UNACKNOWLEDGED, kanslienhetens_ar, unacknowledged
from lerum_flow.demo.models import Act
from lerum_flow.demo.organisation import Organisation
from lerum_flow.demo.ovning import Ovning, chosen_rehearsals
from lerum_flow.demo.profile import Profile
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.styrmodell import Styrmodell, default_styrmodell, load_styrmodell, shipped_styrmodell_path
from lerum_flow.workflows.planning import plan_cycle

OSTERVIK = Path(__file__).parent.parent / "fixtures" / "styrmodell" / "sex_namnder.toml"
ELECTION_BUDGET_YEAR = 2031  # budgeted in 2030, an election year


def organisation(model: Styrmodell) -> Organisation:
    return Organisation.plan(model, Profile.lerum(), random.Random(7))


def decisions(acts: list[Act]) -> dict[str, date]:
    return {f"{a.actor}:{a.title}": a.at.date() for a in acts if a.what == "beslut"}


def test_lerums_year_keeps_its_meeting_days() -> None:
    lerum = default_styrmodell()
    acts = decisions(
        kanslienhetens_ar(lerum, organisation(lerum), ELECTION_BUDGET_YEAR, first=False, index=1)
    )
    assert acts == {
        "kf:Budget 2031": date(2030, 6, 10),
        "kf:Budget 2031 (nyvalt fullmäktige)": date(2030, 11, 20),
        "ks:Verksamhetsplan 2031": date(2030, 11, 25),
        "ks:Uppföljningsplan 2031": date(2030, 11, 25),
        "kf:Ansvarsfrihet för 2031": date(2032, 6, 12),
    }


def test_a_namnd_based_model_puts_the_forvaltningar_under_their_namnder() -> None:
    norrvik = organisation(load_styrmodell(shipped_styrmodell_path("norrvik")))
    assert norrvik.director == "kommundirektor"
    assert norrvik.sectors == ["bun-forvaltningschef", "son-forvaltningschef", "byn-forvaltningschef"]
    assert norrvik.sectors_under("bun") == ["bun-forvaltningschef"]
    assert norrvik.sectors_under(norrvik.director) == []
    assert {"bun", "son", "byn", "norrviksbostader"} <= norrvik.organs
    ostervik = organisation(load_styrmodell(OSTERVIK))
    assert ostervik.bolag_staff == ["osterviksbostader-vd", "ostervik-energi-vd"]
    lerum = organisation(default_styrmodell())
    assert lerum.sectors_under(lerum.director) == lerum.sectors
    assert lerum.namnder == []
    assert lerum.bolag == []


def test_every_organ_step_of_the_plan_is_taken_before_its_deadline_without_a_rehearsal() -> None:
    model = load_styrmodell(OSTERVIK)
    acts = decisions(
        kanslienhetens_ar(model, organisation(model), ELECTION_BUDGET_YEAR, first=False, index=0)
    )
    plan = plan_cycle(model, ELECTION_BUDGET_YEAR)
    for step in plan.decisions:
        taken = [day for key, day in acts.items() if key.startswith(f"{step.organ}:") and step.name in key]
        if step.kind in ("budget", "ansvarsfrihet"):
            continue
        assert taken, step.key
        assert taken[0] <= step.deadline.on, step.key
    budget = acts["kf:Budget 2031 (nyvalt fullmäktige)"]
    assert all(day >= budget for key, day in acts.items() if "verksamhetsplan och internbudget" in key)


def test_each_rehearsal_moves_its_own_act_past_the_deadline() -> None:
    model = load_styrmodell(OSTERVIK)
    town = organisation(model)
    plan = {s.key: s.deadline.on for s in plan_cycle(model, ELECTION_BUDGET_YEAR).decisions}
    every = frozenset(Ovning)
    plain = decisions(kanslienhetens_ar(model, town, ELECTION_BUDGET_YEAR, first=False, index=0))
    rehearsed = decisions(
        kanslienhetens_ar(model, town, ELECTION_BUDGET_YEAR, first=False, index=0, ovningar=every)
    )
    moved = {key for key in plain if plain[key] != rehearsed[key]}
    assert moved == {
        "kf:Budget 2031 (nyvalt fullmäktige)",
        "un:Utbildningsnämndens delårsrapport 1 2031 till kommunstyrelsen",
    }
    assert rehearsed["kf:Budget 2031 (nyvalt fullmäktige)"] == plan["budget_nyvalt"] + timedelta(days=7)
    assert (
        rehearsed["un:Utbildningsnämndens delårsrapport 1 2031 till kommunstyrelsen"]
        > plan["un/delarsrapport"]
    )
    # The deviation left lying is the first year's only.
    assert unacknowledged(town, [2031, 2032], every) == {
        next(
            a.title
            for a in kanslienhetens_ar(model, town, 2031, first=False, index=0, ovningar=every)
            if a.what == "avvikelse"
        )
    }
    assert all(title.endswith(UNACKNOWLEDGED) for title in unacknowledged(town, [2031], every))
    assert unacknowledged(town, [2031], frozenset()) == set()


@pytest.mark.parametrize(
    ("model", "names", "rule"),
    [
        (default_styrmodell(), ["sen-namnd"], "ovning_saknar_namnder"),
        (default_styrmodell(), ["brand"], "okand_ovning"),
    ],
)
def test_a_rehearsal_that_cannot_be_played_is_refused(model: Styrmodell, names: list[str], rule: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        chosen_rehearsals(model, names)
    assert refused.value.rule == rule


def test_the_rehearsals_a_model_can_play_are_chosen() -> None:
    assert chosen_rehearsals(load_styrmodell(OSTERVIK), ["sen-namnd", "okvitterad"]) == {
        Ovning.SEN_NAMND,
        Ovning.OKVITTERAD,
    }
    assert chosen_rehearsals(default_styrmodell(), ["kf-missar-budget"]) == {Ovning.KF_MISSAR_BUDGET}
