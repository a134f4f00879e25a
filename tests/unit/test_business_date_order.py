"""A record's business dates run forward: a command dated before its latest event must be a correction."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import event_count, governance, seed, send

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidInput


def reported_uppdrag() -> tuple[Governance, UUID]:
    """An uppdrag issued, accepted and reported (its latest event dated 2027-06-30)."""
    app = governance()
    world = seed(app)
    uppdrag = send(
        app,
        "issue_uppdrag",
        "kf",
        recipient="ks",
        title="Minska sjukfrånvaron",
        origin_beslut_id=world.budget,
        issued_on=date(2027, 2, 1),
        due=date(2027, 12, 31),
    ).id
    send(app, "accept_uppdrag", "ks", uppdrag_id=uppdrag, on=date(2027, 2, 10))
    send(
        app,
        "report_uppdrag",
        "ks",
        uppdrag_id=uppdrag,
        on=date(2027, 6, 30),
        assessment="delvis",
        text="Halvvägs.",
    )
    return app, uppdrag


def test_a_command_dated_before_the_records_latest_event_is_refused_naming_both_dates() -> None:
    """Accepting a report on a day before the report itself is refused, and nothing is recorded."""
    app, uppdrag = reported_uppdrag()
    before = event_count(app)

    with pytest.raises(InvalidInput) as refusal:
        send(app, "accept_report", "kf", uppdrag_id=uppdrag, on=date(2027, 6, 1))

    assert refusal.value.rule == "datumordning"
    assert "2027-06-01" in str(refusal.value)
    assert "2027-06-30" in str(refusal.value)
    assert event_count(app) == before


def test_a_correction_with_its_reason_may_be_dated_before_and_the_reason_is_recorded() -> None:
    """The same command said to be a correction is recorded, with why on the event."""
    app, uppdrag = reported_uppdrag()

    outcome = send(
        app,
        "accept_report",
        "kf",
        uppdrag_id=uppdrag,
        on=date(2027, 6, 1),
        correction="Godkändes på mötet 1 juni; registrerades sent.",
    )

    events: list[Any] = app.events_of(outcome.id)
    assert events[-1].effective_on == date(2027, 6, 1)
    assert events[-1].correction == "Godkändes på mötet 1 juni; registrerades sent."
    assert all(event.correction is None for event in events[:-1])
