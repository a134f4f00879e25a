"""Random commands, valid and not, never make the application raise anything but a Refusal,
and a refused command records nothing."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from governance_world import (
    CHEF,
    COMMAND_OF,
    DAY,
    MEDARBETARE,
    YEAR_START,
    World,
    event_count,
    governance,
    seed,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lerum_flow import commands as c
from lerum_flow.application import Outcome
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.domain.values import AvvikelseSubject, BeslutKind, UppdragKind, derive_id
from lerum_flow.styrmodell import default_styrmodell

STYRMODELL = default_styrmodell()
POSITIONS = [p.id for p in STYRMODELL.styrkedja()] + [CHEF, MEDARBETARE]
MATTERS = [o.kod for o in STYRMODELL.beslutsomraden]

# Values a person could type (or a broken client send) that are wrong for most fields.
JUNK_TEXT = [
    "",
    " ",
    "\t\n ",
    "\x00",
    "\u200b",
    "x" * 81,
    "x" * 201,
    "x" * 4001,
    "ä" * 5000,
    "🚒",
    "KS",
    " ks ",
    "kf\x00",
    "../etc",
    "'; DROP TABLE stored_events; --",
    "null",
    "-1",
    "\udcff",  # what a non-UTF-8 byte on the command line becomes (surrogateescape)
]
any_text = st.one_of(st.text(max_size=40), st.text(min_size=1, max_size=8).map(lambda s: s * 600))
junk = st.one_of(
    any_text,
    st.sampled_from(JUNK_TEXT),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["2027-02-30", "2027-13-01", "idag", "not-a-uuid", "{}"]),
)

# Well-formed values: they pass the command model, so the application's own rules decide.
line = st.text(min_size=1, max_size=80).filter(str.strip)
prose = st.one_of(
    st.sampled_from(["Skäl", "Åtgärdat enligt plan."]), st.text(min_size=1, max_size=300).filter(str.strip)
)
short = st.one_of(st.just(""), st.text(max_size=200))
day = st.one_of(
    st.sampled_from([DAY, YEAR_START, date(2026, 6, 15), date(2026, 12, 10), date(2027, 12, 31)]),
    st.dates(),
)


def code(values: list[str]) -> st.SearchStrategy[str]:
    """Mostly the real codes, sometimes a near miss or any other code."""
    near = [v.upper() for v in values] + [v + "x" for v in values]
    real = st.sampled_from(values)
    return st.one_of(real, real, real, st.sampled_from(near), line)


# The positions that hold the seeded records come first, so commands on them sometimes succeed.
position = st.one_of(st.sampled_from(["kf", "ks", "kommundirektor", "larande"]), code(POSITIONS))


def well_formed(method: str, world: World) -> dict[str, st.SearchStrategy[Any]]:
    known = [*dataclasses.astuple(world), derive_id("befattning", CHEF)]
    any_id = st.one_of(st.sampled_from(known), st.sampled_from(known), st.uuids())

    def an_id(*likely: Any) -> st.SearchStrategy[Any]:
        """The record this field usually names, else any known record, else a random id."""
        return st.one_of(st.sampled_from(likely), any_id)

    kinds = {
        "establish_befattning": code([str(k) for k in PositionKind]),
        "take_beslut": st.sampled_from([str(k) for k in BeslutKind]),
        "issue_uppdrag": st.sampled_from([str(k) for k in UppdragKind]),
    }
    return {
        "actor": position,
        "person": st.one_of(
            st.sampled_from(["p-1", "p-2"]),
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", fullmatch=True),
        ),
        "command_id": st.one_of(st.none(), st.uuids()),
        "secrecy": st.one_of(st.just(""), st.just("OSL 39:3"), short),
        "code": st.one_of(
            st.sampled_from(["chef-ny", "m-ny", CHEF, "kf"]),
            st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
        ),
        "name": prose,
        "kind": kinds.get(method, line),
        "parent": position,
        "established_on": day,
        "decided_by": position,
        "diarienummer": st.one_of(st.sampled_from(["KF 2026/10", "KS 2026/200", "KS 2027/1"]), line),
        "paragraf": st.one_of(st.sampled_from(["§ 55", "§ 120", ""]), short),
        "title": st.one_of(st.sampled_from(["Budget 2027", "Ny titel"]), prose),
        "decided_on": day,
        "matter": st.one_of(code(MATTERS), st.just("")) if method == "take_beslut" else code(MATTERS),
        "delegering_id": st.one_of(st.none(), an_id(world.delegering))
        if method == "take_beslut"
        else an_id(world.delegering),
        "beslut_id": an_id(world.budget, world.delegationsordning, world.director_delegationsordning),
        "reason": prose,
        "corrected_on": day,
        "minutes_paragraf": short,
        "reported_on": day,
        "delegates": st.lists(position, min_size=1, max_size=3),
        "urgent": st.booleans(),
        "parent_delegering_id": st.one_of(st.none(), an_id(world.delegering)),
        "valid_from": day,
        "conditions": short,
        "recipient": position,
        "description": st.one_of(st.none(), prose, st.just("")) if method == "revise_uppdrag" else prose,
        "due": st.one_of(st.none(), day),
        "origin_beslut_id": st.one_of(st.none(), an_id(world.budget)),
        "parent_id": st.one_of(st.none(), an_id(world.kf_uppdrag_to_ks)),
        "issued_on": day,
        "key": short,
        "uppdrag_id": an_id(world.kf_uppdrag_to_ks),
        "on": day,
        "assessment": code(STYRMODELL.assessment_codes()),
        "text": prose,
        "period": short,
        "comment": short,
        "subject_kind": st.sampled_from([str(k) for k in AvvikelseSubject]),
        "subject_ref": st.one_of(an_id(world.kf_uppdrag_to_ks).map(str), line),
        "severity": code(STYRMODELL.severity_codes()),
        "category": code(list(STYRMODELL.avvikelsekategorier)),
        "occurred_on": day,
        "avvikelse_id": an_id(world.avvikelse),
        "to_level": st.one_of(st.just(""), position),
        "action": prose,
        "resolution": prose,
    }


@pytest.mark.parametrize("method", sorted(COMMAND_OF))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_commands_are_refused_or_recorded_never_crash(method: str, data: st.DataObject) -> None:
    """Whatever the fields, the command is recorded or refused (a Refusal), and a refusal records nothing."""
    app = governance()
    world = seed(app)
    model = COMMAND_OF[method]
    valid = well_formed(method, world)
    names = list(model.model_fields)
    # Most fields well-formed, a few (often none) replaced by junk, one sometimes left out,
    # and now and then a field the command does not have. The usual choice comes first in
    # each sampled_from, because hypothesis favours (and shrinks towards) the first.
    spoiled = data.draw(st.sets(st.sampled_from(names), max_size=2), label="spoiled")
    fields: dict[str, Any] = {}
    for name in names:
        if not model.model_fields[name].is_required() and not data.draw(st.booleans(), label=f"send {name}"):
            continue
        fields[name] = data.draw(junk if name in spoiled else valid[name], label=name)
    left_out = data.draw(st.sampled_from([None, *names]), label="left out")
    if left_out is not None and data.draw(st.sampled_from([False] * 9 + [True]), label="leave out"):
        fields.pop(left_out, None)
    if data.draw(st.sampled_from([False] * 19 + [True]), label="unknown field"):
        fields["bogus"] = data.draw(junk, label="bogus")
    before = event_count(app)
    outcome: Outcome | None = None
    refusal: Refusal | None = None
    try:
        outcome = getattr(app, method)(c.parse_command(model, **fields))
    except Refusal as error:  # anything else fails the test with its traceback
        refusal = error
    if refusal is not None:
        event(f"refused: {refusal.rule}")
        assert event_count(app) == before, f"refused ({refusal.rule}) yet events were added"
        assert refusal.message
    else:
        assert isinstance(outcome, Outcome)
        event("recorded" if outcome.recorded else "already recorded")
        assert event_count(app) == before + (1 if outcome.recorded else 0)
