"""The escalation process's own commands: a missed acknowledgement deadline, and informing a level."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from unit.governance_world import DAY, event_count, governance, send

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted

DEADLINE = datetime(2027, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def app() -> Governance:
    return governance()


def _avvikelse(app: Governance) -> Avvikelse:
    outcome = send(
        app,
        "report_avvikelse",
        "larande",
        subject_kind="budgetomrade",
        subject_ref="skola",
        severity="avvikelse",
        category="ekonomi",
        description="Underskott",
        occurred_on=DAY,
    )
    record = app.get_record(outcome.id)
    assert isinstance(record, Avvikelse)
    return record


def _miss(app: Governance, avvikelse: Avvikelse, level: str, **overrides: object) -> None:
    fields: dict[str, object] = {
        "actor": c.PROCESS_ACTOR,
        "person": "eskalering-1",
        "command_id": uuid4(),
        "avvikelse_id": avvikelse.id,
        "level": level,
        "deadline": DEADLINE,
    }
    fields.update(overrides)
    app.miss_acknowledgement_deadline(c.parse_command(c.MissAcknowledgementDeadline, **fields))


def test_a_missed_deadline_is_recorded_and_the_deviation_moves_one_level_up(app: Governance) -> None:
    """The kommundirektör let the deadline pass: the miss is recorded and KS now holds it."""
    avvikelse = _avvikelse(app)
    _miss(app, avvikelse, "kommundirektor")
    record = app.get_record(avvikelse.id)
    assert isinstance(record, Avvikelse)
    events = [type(e).__name__ for e in app.events_of(avvikelse.id)]
    assert (record.level, events[-2:]) == ("ks", ["DeadlineMissed", "Escalated"])


def test_the_same_missed_deadline_sent_twice_is_recorded_once(app: Governance) -> None:
    """A retried activity carries the same command id and records nothing new."""
    avvikelse = _avvikelse(app)
    command_id = uuid4()
    _miss(app, avvikelse, "kommundirektor", command_id=command_id)
    before = event_count(app)
    _miss(app, avvikelse, "kommundirektor", command_id=command_id)
    assert event_count(app) == before


def test_a_missed_deadline_of_a_level_that_no_longer_holds_it_is_refused(app: Governance) -> None:
    """Once acknowledged (or moved on), a late timer cannot escalate the deviation."""
    avvikelse = _avvikelse(app)
    send(app, "acknowledge_avvikelse", "kommundirektor", avvikelse_id=avvikelse.id, on=DAY)
    with pytest.raises(InvalidState):
        _miss(app, avvikelse, "kommundirektor")


def test_a_person_cannot_record_a_missed_deadline(app: Governance) -> None:
    """Only the escalation process records missed deadlines."""
    avvikelse = _avvikelse(app)
    with pytest.raises(NotPermitted):
        _miss(app, avvikelse, "kommundirektor", actor="ks")


def test_the_process_must_carry_its_own_command_id(app: Governance) -> None:
    """Process commands are retried by Temporal, so a derived id is not accepted."""
    avvikelse = _avvikelse(app)
    with pytest.raises(InvalidInput):
        _miss(app, avvikelse, "kommundirektor", command_id=None)


def test_a_level_above_the_holder_can_be_informed(app: Governance) -> None:
    """KF is informed of a deviation KS holds, and KS keeps it."""
    avvikelse = _avvikelse(app)
    app.inform_level(
        c.parse_command(
            c.InformLevel,
            actor=c.PROCESS_ACTOR,
            person="eskalering-1",
            command_id=uuid4(),
            avvikelse_id=avvikelse.id,
            level="kf",
            on=DAY,
        )
    )
    record = app.get_record(avvikelse.id)
    assert isinstance(record, Avvikelse)
    assert (record.level, type(app.events_of(avvikelse.id)[-1]).__name__) == (
        "kommundirektor",
        "Informed",
    )


def test_informing_a_level_below_the_holder_is_refused(app: Governance) -> None:
    """Information only goes up the chain."""
    avvikelse = _avvikelse(app)
    with pytest.raises(InvalidInput):
        app.inform_level(
            c.parse_command(
                c.InformLevel,
                actor=c.PROCESS_ACTOR,
                person="eskalering-1",
                command_id=uuid4(),
                avvikelse_id=avvikelse.id,
                level="larande",
                on=DAY,
            )
        )
