"""The same application tests on SQLite and on PostgreSQL: what one Governance records,
a second Governance on the same store reads back exactly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import TypeVar
from uuid import UUID, uuid4

import pytest

# Shared with the unit tests; tests/ is on sys.path, so tests/unit is the package `unit`.
from unit.governance_world import (
    CHEF,
    DAY,
    SECTOR,
    SEED_EVENTS,
    World,
    appoint,
    event_count,
    governance,
    seed,
    send,
    staffing_event_count,
)

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.befattning import Befattning, befattning_id
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import AvvikelseStatus, UppdragStatus
from lerum_flow.settings import Settings

RECORDED_AT = datetime(2027, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)

OpenGovernance = Callable[[], Governance]


@pytest.fixture
def open_governance(database_url: str) -> Iterator[OpenGovernance]:
    """Opens Governance instances on one store (SQLite file or PostgreSQL database), closed afterwards."""
    env = Settings(database_url=database_url).eventsourcing_env("governance")
    opened: list[Governance] = []

    def open_one() -> Governance:
        app = governance(env, clock=lambda: RECORDED_AT)
        opened.append(app)
        return app

    yield open_one
    for app in opened:
        app.close()


@pytest.fixture
def writer(open_governance: OpenGovernance) -> Governance:
    return open_governance()


@pytest.fixture
def world(writer: Governance) -> World:
    return seed(writer)


@pytest.fixture
def reader(open_governance: OpenGovernance, world: World) -> Governance:
    """A second instance, opened after the seed, with nothing in memory."""
    return open_governance()


T = TypeVar("T")


def _record(app: Governance, record_id: UUID, cls: type[T]) -> T:
    record = app.get_record(record_id)
    assert isinstance(record, cls)
    return record


def test_the_seeded_history_is_read_back_by_a_second_governance(
    world: World, writer: Governance, reader: Governance
) -> None:
    """Every seeded record loads on a fresh instance with the same state and version."""
    for record_id in (world.budget, world.kf_uppdrag_to_ks, world.delegering, world.avvikelse):
        assert reader.get_record(record_id).version == writer.get_record(record_id).version
    # The styrmodell the store records with its first write, who holds which position, the seed.
    assert event_count(reader) == event_count(writer) == 1 + staffing_event_count(writer) + SEED_EVENTS


def test_an_uppdrag_life_cycle_is_persisted(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """Issue, accept, report, return, report, accept the report, complete: the reader sees it completed."""
    uppdrag = send(
        writer,
        "issue_uppdrag",
        "ks",
        recipient="kommundirektor",
        title="Lokalplan",
        parent_id=world.kf_uppdrag_to_ks,
        issued_on=DAY,
        due=date(2027, 11, 30),
    ).id
    send(writer, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
    send(
        writer, "report_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY, assessment="delvis", text="1"
    )
    send(writer, "return_report", "ks", uppdrag_id=uppdrag, on=DAY, reason="Saknar siffror")
    send(
        writer,
        "report_uppdrag",
        "kommundirektor",
        uppdrag_id=uppdrag,
        on=DAY,
        assessment="uppfyllt",
        text="2",
    )
    send(writer, "accept_report", "ks", uppdrag_id=uppdrag, on=DAY)
    send(writer, "complete_uppdrag", "ks", uppdrag_id=uppdrag, on=date(2027, 12, 1))
    record = _record(open_governance(), uppdrag, Uppdrag)
    assert (record.status, record.version, record.due, record.origin_beslut_id, record.parent_id) == (
        UppdragStatus.COMPLETED,
        7,
        date(2027, 11, 30),
        world.budget,
        world.kf_uppdrag_to_ks,
    )


def test_a_beslut_life_cycle_is_persisted(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """A delegated decision, its anmälan and a correction survive a reload."""
    beslut = send(
        writer,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2027/40",
        title="Avtal",
        decided_on=DAY,
        delegering_id=world.delegering,
    ).id
    send(
        writer,
        "report_beslut",
        "ks",
        beslut_id=beslut,
        minutes_paragraf="§ 44",
        reported_on=date(2027, 3, 20),
    )
    send(
        writer,
        "correct_beslut",
        "kommundirektor",
        beslut_id=beslut,
        diarienummer="KS 2027/41",
        title="Avtal",
        reason="Fel dnr",
        corrected_on=date(2027, 3, 21),
    )
    record = _record(open_governance(), beslut, Beslut)
    assert (
        record.report_to,
        record.reported,
        record.awaits_report,
        record.decided_on,
        record.delegering_id,
    ) == (
        "ks",
        True,
        False,
        DAY,
        world.delegering,
    )


def test_a_delegering_life_cycle_is_persisted(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """Granted and revoked: the reader knows on which days it was in force."""
    send(
        writer,
        "revoke_delegering",
        "ks",
        delegering_id=world.delegering,
        reason="Ny ordning",
        valid_from=date(2027, 9, 1),
        beslut_id=world.delegationsordning,
    )
    record = _record(open_governance(), world.delegering, Delegering)
    assert (record.granted_by, record.delegate, record.valid_from, record.valid_until) == (
        "ks",
        "kommundirektor",
        date(2027, 1, 1),
        date(2027, 9, 1),
    )
    assert [record.in_force_on(d) for d in (date(2027, 8, 31), date(2027, 9, 1))] == [True, False]


def test_a_vidaredelegering_keeps_its_parent_after_reload(reader: Governance, world: World) -> None:
    """The chain KS → director → sektorschef is stored by id."""
    record = _record(reader, world.vidaredelegering, Delegering)
    assert (record.parent_id, record.granted_by, record.delegate) == (
        world.delegering,
        "kommundirektor",
        SECTOR,
    )


def test_an_avvikelse_life_cycle_is_persisted(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """Assess, acknowledge, escalate, acknowledge, decide, close: the reader sees it closed at KS."""
    deviation = world.avvikelse
    send(
        writer,
        "assess_avvikelse",
        "kommundirektor",
        avvikelse_id=deviation,
        on=DAY,
        severity="storre",
        reason="Stort underskott",
    )
    send(writer, "acknowledge_avvikelse", "kommundirektor", avvikelse_id=deviation, on=DAY)
    send(writer, "escalate_avvikelse", "kommundirektor", avvikelse_id=deviation, on=DAY)
    appoint(writer, "ks", "p-ks-1", role="ersattare")  # KS's ersättare stands in
    send(writer, "acknowledge_avvikelse", "ks", person="p-ks-1", avvikelse_id=deviation, on=DAY)
    send(writer, "decide_action", "ks", avvikelse_id=deviation, on=DAY, action="Äskande till KF")
    send(writer, "close_avvikelse", "ks", avvikelse_id=deviation, on=DAY, resolution="Beviljat")
    record = _record(open_governance(), deviation, Avvikelse)
    assert (record.status, record.level, record.severity, record.acknowledged_by, record.version) == (
        AvvikelseStatus.CLOSED,
        "ks",
        "storre",
        "p-ks-1",
        7,
    )


def test_an_established_befattning_is_part_of_the_chain_after_reload(
    reader: Governance, world: World
) -> None:
    """A fresh instance finds the chef and places it under its sector."""
    position = reader.position(CHEF)
    assert (position.kind, position.parent) == (PositionKind.CHEF, SECTOR)
    assert _record(reader, befattning_id(CHEF), Befattning).discontinued is False


def test_events_carry_who_when_recorded_and_when_effective(reader: Governance, world: World) -> None:
    """Actor, person, the clock's time and the business date come back exactly."""
    (issued, accepted) = reader.history(world.kf_uppdrag_to_ks)
    assert (issued.actor, issued.person, issued.effective_on) == ("kf", "p-kf", date(2026, 6, 15))
    assert (accepted.actor, accepted.person) == ("ks", "p-ks")
    assert issued.recorded_at == RECORDED_AT
    assert issued.recorded_at.tzinfo is not None


def test_dates_and_uuids_round_trip_with_their_types(reader: Governance, world: World) -> None:
    """Stored dates come back as dates and ids as UUIDs, not as strings."""
    issued = reader.events_of(world.kf_uppdrag_to_ks)[0]
    assert isinstance(issued, Uppdrag.Issued)
    assert (
        type(issued.due),
        type(issued.effective_on),
        type(issued.origin_beslut_id),
        type(issued.command_id),
    ) == (
        date,
        date,
        UUID,
        UUID,
    )
    assert (issued.due, issued.origin_beslut_id, issued.parent_id) == (date(2027, 12, 31), world.budget, None)


def test_the_command_id_sent_is_the_one_stored(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """A caller's command id is kept with the event it produced."""
    command_id = uuid4()
    send(
        writer,
        "acknowledge_avvikelse",
        "kommundirektor",
        avvikelse_id=world.avvikelse,
        on=DAY,
        command_id=command_id,
        secrecy="OSL 39:3",
    )
    entry = open_governance().history(world.avvikelse)[-1]
    assert (entry.command_id, entry.event, entry.secrecy) == (
        command_id,
        "Avvikelse.Acknowledged",
        "OSL 39:3",
    )


def test_history_is_in_order_with_contiguous_versions(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """Versions run 1..N and the events are in the order they were recorded."""
    for text in ("a", "b", "c"):
        send(
            writer,
            "revise_uppdrag",
            "kf",
            uppdrag_id=world.kf_uppdrag_to_ks,
            on=DAY,
            title=f"Budget {text}",
            reason=f"Ändring {text}",
        )
    history = open_governance().history(world.kf_uppdrag_to_ks)
    assert [e.version for e in history] == [1, 2, 3, 4, 5]
    assert [e.event for e in history] == ["Uppdrag.Issued", "Uppdrag.Accepted", *["Uppdrag.Revised"] * 3]
    assert [e.details["title"] for e in history[2:]] == ["Budget a", "Budget b", "Budget c"]


def test_a_retry_sent_to_another_instance_records_nothing(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """Another process receiving the same command recognises it by its id in the store."""
    fields = {
        "uppdrag_id": world.kf_uppdrag_to_ks,
        "on": DAY,
        "title": "Ny",
        "reason": "R",
        "command_id": uuid4(),
    }
    before = event_count(writer)
    first = send(writer, "revise_uppdrag", "kf", **fields)
    retry = send(open_governance(), "revise_uppdrag", "kf", **fields)
    assert (first.recorded, retry.recorded, retry.version) == (True, False, first.version)
    assert event_count(writer) == before + 1


def test_a_create_retried_on_another_instance_records_nothing(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """The deterministic id of a new beslut makes the retry find the first one."""
    fields = {
        "decided_by": "ks",
        "kind": "verksamhetsplan",
        "diarienummer": "KS 2026/301",
        "paragraf": "§ 1",
        "title": "Verksamhetsplan",
        "decided_on": date(2026, 12, 10),
    }
    first = send(writer, "take_beslut", "ks", **fields)
    retry = send(open_governance(), "take_beslut", "ks", **fields)
    assert (retry.id, retry.recorded) == (first.id, False)


def test_a_refusal_adds_no_events_to_the_store(writer: Governance, reader: Governance, world: World) -> None:
    """A refused command leaves the store as it was, seen from another instance."""
    before = event_count(reader)
    with pytest.raises(Refusal):
        send(writer, "complete_uppdrag", "kf", uppdrag_id=world.kf_uppdrag_to_ks, on=DAY)
    assert event_count(reader) == before


def test_long_and_unicode_texts_round_trip(
    open_governance: OpenGovernance, writer: Governance, world: World
) -> None:
    """Swedish letters, emoji, tabs, line breaks and 4000-character texts are stored unchanged
    (other control characters are refused at input: tests/e2e/test_refusals_cli.py)."""
    description = ("Åäö ÅÄÖ é ß 中文 🚒 \t\n" * 200)[:4000]
    outcome = send(
        writer,
        "report_avvikelse",
        SECTOR,
        subject_kind="handelse",
        subject_ref="brand-🚒",
        severity="avvikelse",
        category="sakerhet",
        description=description,
        occurred_on=DAY,
    )
    (reported,) = open_governance().history(outcome.id)
    assert (reported.details["description"], reported.details["subject_ref"]) == (
        description.strip(),
        "brand-🚒",
    )
