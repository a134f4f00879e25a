"""A control's hand-over as stored on SQLite: the day it was decided is stored with it, and a hand-over
stored before that field existed still loads and means what it meant, from the day it counts from."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from unit.governance_world import refused, seed, send, staff
from unit.test_internkontroll_handover_ahead import DECIDED, FROM, handed_over_ahead, result
from unit.test_internkontroll_rules import OWNER_1, OWNER_2, plan_of

from lerum_flow.application import Governance
from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.styrmodell import default_styrmodell

TOPIC = "lerum_flow:Internkontrollplan.ControlHandedOver"


def opened(path: Path) -> Governance:
    return Governance(
        default_styrmodell(), env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )


def sqlite_store(tmp_path: Path, record: Callable[[Governance], object]) -> Path:
    """A SQLite store, its chain staffed, with what `record` records."""
    path = tmp_path / "governance.sqlite"
    app = opened(path)
    try:
        staff(app)
        record(app)
    finally:
        app.close()
    return path


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A SQLite store with KS's plan for 2027, control 2 handed over ahead (decided DECIDED, from FROM)."""
    return sqlite_store(tmp_path, lambda app: (seed(app), handed_over_ahead(app)))


def stored_hand_over(path: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(path)) as connection:
        (state,) = connection.execute("SELECT state FROM stored_events WHERE topic = ?", (TOPIC,)).fetchone()
    stored: dict[str, Any] = json.loads(state)
    return stored


def store_as_before_the_field(path: Path) -> None:
    """The hand-over's stored state without `decided_on`, as the code before the field stored it."""
    state = stored_hand_over(path)
    del state["decided_on"]
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "UPDATE stored_events SET state = ? WHERE topic = ?",
            (json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode(), TOPIC),
        )


def hand_over_of(app: Governance, plan: UUID) -> Internkontrollplan.ControlHandedOver:
    [event] = [e for e in app.events_of(plan) if isinstance(e, Internkontrollplan.ControlHandedOver)]
    return event


def test_a_hand_over_is_stored_with_the_day_it_was_decided(path: Path) -> None:
    """The stored state names the decision's day beside the day the hand-over counts from."""
    state = stored_hand_over(path)
    assert (state["decided_on"]["_data_"], state["effective_on"]["_data_"]) == (
        DECIDED.isoformat(),
        FROM.isoformat(),
    )


def test_a_hand_over_stored_before_its_decisions_day_was_kept_loads_and_counts_from_its_own_day(
    path: Path,
) -> None:
    """Without `decided_on` it loads with none, hands the control over from FROM as before, and stands
    in the plan's date order at FROM, as it did: a result before FROM is a correction."""
    store_as_before_the_field(path)
    assert "decided_on" not in stored_hand_over(path)
    app = opened(path)
    try:
        plan = plan_of(app)
        event = hand_over_of(app, plan.id)
        assert (event.decided_on, event.effective_on, event.ordered_on) == (None, FROM, FROM)
        assert plan.last_effective_on == FROM
        control = plan.controls[2]
        assert (control.owner_on(date(2027, 8, 31)), control.owner_on(FROM)) == (OWNER_2, OWNER_1)

        refusal = refused(app, "record_kontrollresultat", OWNER_2, **result(plan.id, date(2027, 8, 31)))
        assert (refusal.rule, refusal.field) == ("datumordning", "date")
        assert send(app, "record_kontrollresultat", OWNER_1, **result(plan.id, FROM)).recorded
    finally:
        app.close()
