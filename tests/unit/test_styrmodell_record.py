"""The store knows its styrmodell: recorded with the first write, changed from a day, checked by commands.

A store is taken into use by staffing it (its register introduced, its chain appointed); that is its
first write, so it records the model, in force from the staffing's day (`staff_on`: BUDGET_DAY here).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from unit.governance_world import MEMORY, TERM_ENDS, event_count, person_of, send
from unit.styrmodell_versions import REORGANISED_FROM, norrvik, reorganised_norrvik

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.errors import InvalidState, NotFound, NotPermitted
from lerum_flow.domain.styrmodell_record import (
    STYRMODELL_RECORD_ID,
    ModelIdentity,
    ModelVersion,
    StyrmodellRecord,
)
from lerum_flow.domain.values import Actor
from lerum_flow.staffing import Seat, StaffingAct, record_plan, staffing_plan
from lerum_flow.styrmodell import Styrmodell, default_styrmodell, load_styrmodell
from lerum_flow.styrmodell.canonical import canonical_content, identity_of, model_from_content

BUDGET_DAY = date(2027, 6, 15)
DECEMBER = date(2027, 12, 10)
JANUARY = date(2028, 1, 10)

OpenGovernance = Callable[[Styrmodell | None], Governance]


@pytest.fixture
def open_governance(tmp_path: Path) -> OpenGovernance:
    """Governances on one SQLite store, as separate command lines would open them."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "store.db")}
    opened: list[Governance] = []

    def open_one(styrmodell: Styrmodell | None) -> Governance:
        opened.append(Governance(styrmodell, env=env))
        return opened[-1]

    return open_one


def staffing_on(app: Governance, day: date, cast: list[Seat] | None = None) -> list[StaffingAct]:
    """`p-<position>` holds every position of the app's chain from `day` (KF's as its sekreterare,
    who introduces the register), or, given `cast`, those seats, appointed by the chain's holders."""
    root = Seat(app.styrkedja.root().id, person_of(app.styrkedja.root().id))
    chain = [Seat(p.id, person_of(p.id)) for p in app.styrkedja if p.parent is not None]
    if cast is None:
        return staffing_plan(chain, app.position, on=day, until=TERM_ENDS, introduce=root)
    held = [replace(root, role="sekreterare"), *(s for s in chain if s not in cast)]
    return staffing_plan(cast, app.position, on=day, until=TERM_ENDS, held=held, matter=f"förordnanden {day}")


def staff_on(app: Governance, day: date = BUDGET_DAY) -> Governance:
    """Take the store into use on `day`: the first write, which records the model."""
    record_plan(app, staffing_on(app, day))
    return app


def staff_sbn(app: Governance) -> None:
    """`p-sbn` holds the samhällsbyggnadsnämnd from the day it exists (`app` given the new model)."""
    record_plan(app, staffing_on(app, REORGANISED_FROM, [Seat("sbn", person_of("sbn"))]))


def budget(app: Governance, day: date = BUDGET_DAY, number: int = 1) -> Outcome:
    return send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="budget",
        diarienummer=f"KF {day.year}/{number}",
        paragraf=f"§ {number}",
        title=f"Budget {number}",
        decided_on=day,
    )


def plan_of(app: Governance, organ: str, day: date) -> Outcome:
    return send(
        app,
        "take_beslut",
        organ,
        decided_by=organ,
        kind="verksamhetsplan",
        diarienummer=f"{organ.upper()} {day.isoformat()}",
        paragraf="§ 1",
        title=f"Verksamhetsplan för {organ}",
        decided_on=day,
    )


def adopt(app: Governance, styrmodell: Styrmodell, day: date, actor: str = "kf") -> Outcome:
    command = c.parse_command(c.AdoptStyrmodell, actor=actor, person=person_of(actor), effective_from=day)
    return app.adopt_styrmodell(command, styrmodell)


def versions(app: Governance) -> list[ModelVersion]:
    return app.styrmodell_versions()


def test_a_fresh_store_records_its_styrmodell_with_its_first_write() -> None:
    """The first write (the staffing) stores the model beside its own events, in force from its day;
    the commands after it record no other."""
    app = Governance(norrvik(), env=MEMORY)
    acts = staffing_on(app, BUDGET_DAY)
    record_plan(app, acts)

    [version] = versions(app)
    assert event_count(app) == len(acts) + 1 + 1  # each act, the introduction's marker, the model
    assert version.effective_from == BUDGET_DAY
    assert version.identity == identity_of(canonical_content(norrvik()), norrvik())
    assert version.identity.municipality == "Norrviks kommun"
    budget(app)
    assert event_count(app) == len(acts) + 3
    assert len(versions(app)) == 1


def test_a_refused_first_command_records_nothing_not_even_the_styrmodell() -> None:
    """A store whose first command is refused is as empty as before: no model either."""
    app = Governance(norrvik(), env=MEMORY)
    with pytest.raises(NotFound):
        plan_of(app, "okant-organ", BUDGET_DAY)

    assert event_count(app) == 0
    assert versions(app) == []


def test_the_recorded_content_rebuilds_the_model_and_its_digest() -> None:
    """An auditor can rebuild the model from the record and check its digest."""
    app = staff_on(Governance(norrvik(), env=MEMORY))
    budget(app)

    [version] = versions(app)
    assert model_from_content(version.content) == norrvik()
    assert hashlib.sha256(version.content.encode("utf-8")).hexdigest() == version.digest


def test_the_digest_is_the_model_s_not_the_file_s_layout(tmp_path: Path) -> None:
    """Comments and blank lines do not change what a model is."""
    bare = tmp_path / "utan-kommentarer.toml"
    text = "\n".join(
        line for line in default_styrmodell_text().splitlines() if line.strip() and not line.startswith("#")
    )
    bare.write_text(text, encoding="utf-8")
    model = load_styrmodell(bare)

    assert identity_of(canonical_content(model), model) == identity_of(
        canonical_content(default_styrmodell()), default_styrmodell()
    )


def default_styrmodell_text() -> str:
    from lerum_flow.styrmodell import shipped_styrmodell_path

    return shipped_styrmodell_path("lerum").read_text(encoding="utf-8")


def test_a_store_of_another_model_refuses_lerums_file(open_governance: OpenGovernance) -> None:
    """A Norrvik store refuses a command read with Lerum's model, naming both, and records nothing."""
    budget(staff_on(open_governance(norrvik())))
    lerum = open_governance(default_styrmodell())
    before = event_count(lerum)

    with pytest.raises(InvalidState) as refused:
        budget(lerum, number=2)

    assert refused.value.rule == "annan_styrmodell"
    assert refused.value.field == "styrmodell"
    assert "Norrviks kommun (9999" in refused.value.message
    assert "Lerums kommun (1441" in refused.value.message
    assert event_count(lerum) == before


def test_without_a_given_model_the_store_s_own_governs(open_governance: OpenGovernance) -> None:
    """Norrvik's store used without a model works by Norrvik's, its four-step scale too."""
    first = staff_on(open_governance(norrvik()))
    budget_id = budget(first).id
    uppdrag = send(
        first, "issue_uppdrag", "kf", recipient="ks", title="Budget", origin_beslut_id=budget_id,
        issued_on=BUDGET_DAY,
    ).id  # fmt: skip

    app = open_governance(None)
    send(app, "accept_uppdrag", "ks", uppdrag_id=uppdrag, on=BUDGET_DAY)
    reported = send(
        app, "report_uppdrag", "ks", uppdrag_id=uppdrag, on=DECEMBER,
        assessment="i_huvudsak_uppfyllt", text="Nästan.",
    )  # fmt: skip

    assert app.styrmodell.kommun.kod == "9999"
    assert reported.recorded


def test_a_fresh_store_without_a_given_model_begins_with_lerums(open_governance: OpenGovernance) -> None:
    """Lerum's model is the default only for a store that has recorded none."""
    app = staff_on(open_governance(None))
    budget(app)

    assert [v.identity.municipality for v in versions(app)] == ["Lerums kommun"]


def test_a_change_from_1_january_governs_from_that_day(
    open_governance: OpenGovernance, tmp_path: Path
) -> None:
    """After the merger is recorded, the store's own model is the old one in December, the new in January."""
    budget(staff_on(open_governance(norrvik())))
    adopted = adopt(open_governance(None), reorganised_norrvik(tmp_path), REORGANISED_FROM)
    staff_sbn(open_governance(reorganised_norrvik(tmp_path)))
    app = open_governance(None)

    assert adopted.recorded
    assert plan_of(app, "byn", DECEMBER).recorded
    assert plan_of(app, "sbn", JANUARY).recorded
    with pytest.raises(NotFound):
        plan_of(app, "byn", JANUARY)
    with pytest.raises(NotFound):
        plan_of(app, "sbn", DECEMBER)
    assert [v.effective_from for v in versions(app)] == [BUDGET_DAY, REORGANISED_FROM]


def test_a_given_model_is_checked_against_the_version_of_the_command_s_day(
    open_governance: OpenGovernance, tmp_path: Path
) -> None:
    """The old file is accepted for December and refused for January; the new one the other way round."""
    budget(staff_on(open_governance(norrvik())))
    adopt(open_governance(None), reorganised_norrvik(tmp_path), REORGANISED_FROM)
    staff_sbn(open_governance(reorganised_norrvik(tmp_path)))
    old, new = open_governance(norrvik()), open_governance(reorganised_norrvik(tmp_path))

    assert plan_of(old, "byn", DECEMBER).recorded
    assert plan_of(new, "sbn", JANUARY).recorded
    with pytest.raises(InvalidState, match="gäller från 2028-01-01"):
        plan_of(old, "bun", JANUARY)
    with pytest.raises(InvalidState, match="gäller från 2027-06-15"):
        plan_of(new, "bun", DECEMBER)


def test_a_change_must_take_effect_after_the_version_in_force(
    open_governance: OpenGovernance, tmp_path: Path
) -> None:
    """What was recorded under one model is never moved to another afterwards."""
    app = staff_on(open_governance(norrvik()))
    budget(app)
    before = event_count(app)

    with pytest.raises(InvalidState) as refused:
        adopt(app, reorganised_norrvik(tmp_path), BUDGET_DAY)

    assert refused.value.rule == "datumordning"
    assert event_count(app) == before


def test_adopting_the_model_in_force_again_is_refused(open_governance: OpenGovernance) -> None:
    """There is no change to record; nothing is recorded."""
    app = staff_on(open_governance(norrvik()))
    budget(app)

    with pytest.raises(InvalidState) as refused:
        adopt(app, norrvik(), REORGANISED_FROM)

    assert refused.value.rule == "redan_i_kraft"
    assert len(versions(app)) == 1


def test_a_retried_adoption_is_recorded_once(open_governance: OpenGovernance, tmp_path: Path) -> None:
    """The same command again is answered 'already recorded'."""
    app = staff_on(open_governance(norrvik()))
    budget(app)
    first = adopt(app, reorganised_norrvik(tmp_path), REORGANISED_FROM)
    again = adopt(open_governance(None), reorganised_norrvik(tmp_path), REORGANISED_FROM)

    assert (first.recorded, again.recorded) == (True, False)
    assert len(versions(app)) == 2


def test_only_fullmaktige_adopts_a_styrmodell(open_governance: OpenGovernance, tmp_path: Path) -> None:
    """KS cannot change the municipality's order; nothing is recorded."""
    app = staff_on(open_governance(norrvik()))
    budget(app)

    with pytest.raises(NotPermitted) as refused:
        adopt(app, reorganised_norrvik(tmp_path), REORGANISED_FROM, actor="ks")

    assert refused.value.rule == "styrmodell_antas_av_fullmaktige"
    assert len(versions(app)) == 1


def test_a_styrmodell_adopted_on_a_fresh_store_is_its_first_version(open_governance: OpenGovernance) -> None:
    """`styrmodell adopt` before any command is refused, as nobody holds fullmäktige before the
    register is introduced, and records nothing, not even Lerum's model; the store begins with the
    model its register is introduced under, from that day."""
    app = open_governance(None)
    with pytest.raises(NotPermitted, match="inget förordnande"):
        adopt(app, norrvik(), date(2027, 1, 1))
    assert (event_count(app), versions(app)) == (0, [])

    staff_on(open_governance(norrvik()), date(2027, 1, 1))
    app = open_governance(None)
    budget(app)

    assert [(v.identity.municipality, v.effective_from) for v in versions(app)] == [
        ("Norrviks kommun", date(2027, 1, 1))
    ]
    assert app.styrmodell.kommun.kod == "9999"


def test_the_first_write_in_a_batch_records_the_model_once() -> None:
    """A bulk import on a fresh store (its staffing, then two budgets) stores the model with it, once."""
    app = Governance(norrvik(), env=MEMORY)
    acts = staffing_on(app, BUDGET_DAY)
    with app.batch():
        record_plan(app, acts)
        budget(app)
        budget(app, number=2)

    assert event_count(app) == len(acts) + 1 + 1 + 2  # the acts, the marker, the model, the budgets
    assert len(versions(app)) == 1


def test_a_store_begun_by_another_writer_at_the_same_time_is_checked(
    open_governance: OpenGovernance,
) -> None:
    """Two command lines on a fresh store with different models: the later one's first write is refused."""
    lerum = open_governance(default_styrmodell())
    assert lerum.styrmodell_versions() == []  # it has seen an empty store
    budget(staff_on(open_governance(norrvik())))

    with pytest.raises(InvalidState, match="Norrviks kommun"):
        budget(lerum, number=2)
    assert [v.identity.municipality for v in versions(open_governance(None))] == ["Norrviks kommun"]


def test_the_version_in_force_on_a_day_before_the_first_is_the_first(open_governance: OpenGovernance) -> None:
    """A store knows no older model than the one it began with."""
    app = staff_on(open_governance(norrvik()))
    budget(app)

    version = app.styrmodell_version_on(date(2020, 1, 1))
    assert version is not None
    assert version.effective_from == BUDGET_DAY
    assert app.get_record(STYRMODELL_RECORD_ID).version == 1


def test_a_version_stored_in_an_older_form_still_knows_its_file(open_governance: OpenGovernance) -> None:
    """Content written by an older format (here: a default spelt out, keys unsorted) has another digest,
    yet the file it was recorded from is accepted, and another file still refused."""
    model = norrvik()
    values = model.model_dump(mode="json")  # defaults included, keys in the format's order
    older = json.dumps(values, ensure_ascii=False)
    identity = ModelIdentity(
        digest=hashlib.sha256(older.encode("utf-8")).hexdigest(),
        municipality_code=model.kommun.kod,
        municipality=model.kommun.namn,
    )
    stamp = Stamp(
        command_id=uuid4(),
        actor=Actor(position="kf", person=person_of("kf")),
        recorded_at=datetime(2027, 6, 1, tzinfo=UTC),
        effective_on=BUDGET_DAY,
        explicit_id=True,
    )
    writer = open_governance(None)
    writer.save(StyrmodellRecord.adopt(stamp, identity=identity, content=older))
    assert identity != identity_of(canonical_content(model), model)

    assert budget(staff_on(open_governance(norrvik()))).recorded
    with pytest.raises(InvalidState):
        budget(open_governance(default_styrmodell()), number=2)
