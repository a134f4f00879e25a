"""Which process recorded an event: a field of its own, stored only when a process did.

A workflow's command names the workflow in `process`; the event says so, the
history shows it and the relay routes by it. An event a person records
stores no such field (its bytes are those of before the field existed; the
golden file of test_stored_events_unchanged.py holds them), and an event a
process stored before the field existed is still read as that process's.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
from unit.governance_world import staff

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import BeslutKind, derive_id
from lerum_flow.history import history_entry
from lerum_flow.relay_contract import acting_process, system_person
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.styrmodell import default_styrmodell

WORKFLOW_ID = "arshjul-1441-2027"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Governance, Path]]:
    """A SQLite store whose chain is staffed, so KF's and KS's people may act."""
    path = tmp_path / "governance.sqlite"
    app = Governance(
        default_styrmodell(), env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    )
    try:
        staff(app)
        yield app, path
    finally:
        app.close()


def take_budget(app: Governance) -> UUID:
    return app.take_beslut(
        c.TakeBeslut(
            actor="kf",
            person="p-kf",
            decided_by="kf",
            kind=BeslutKind.BUDGET,
            diarienummer="KF 2026/10",
            paragraf="§ 55",
            title="Budget 2027",
            decided_on=date(2026, 6, 15),
        )
    ).id


def issue_budget_uppdrag(app: Governance, origin: UUID, *, process: str | None) -> UUID:
    """KF's budget uppdrag to KS as the årshjul records it (with the person it has always named)."""
    return app.issue_uppdrag(
        c.IssueUppdrag(
            actor="kf",
            person=system_person(WORKFLOW_ID),
            process=process,
            command_id=derive_id("test", WORKFLOW_ID, str(process)),
            recipient="ks",
            title="Budget 2027",
            origin_beslut_id=origin,
            issued_on=date(2026, 6, 16),
            key="budget-2027",
        )
    ).id


def stored_states(path: Path) -> dict[str, dict[str, Any]]:
    """Each stored event's state, by its topic's last part: the last of that topic stored (the
    staffing's own decisions are `Taken` too, stored before the test's)."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT topic, state FROM stored_events ORDER BY rowid").fetchall()
    connection.close()
    return {topic.rsplit(".", 1)[-1]: json.loads(state) for topic, state in rows}


def test_a_workflows_event_names_its_process_and_a_persons_stores_no_such_field(
    store: tuple[Governance, Path],
) -> None:
    """The uppdrag's Issued says `process`; the decision, recorded by a person, has no such key stored."""
    app, path = store
    budget = take_budget(app)
    uppdrag = issue_budget_uppdrag(app, budget, process=WORKFLOW_ID)

    states = stored_states(path)
    assert "process" not in states["Taken"]
    assert states["Issued"]["process"] == WORKFLOW_ID
    (taken,) = app.events_of(budget)
    issued = next(iter(app.events_of(uppdrag)))
    assert (taken.process, issued.process) == (None, WORKFLOW_ID)
    assert (history_entry(taken).process, history_entry(issued).process) == (None, WORKFLOW_ID)


def test_an_event_a_process_stored_before_the_field_existed_is_still_read_as_its(
    store: tuple[Governance, Path],
) -> None:
    """Recorded the old way, the process only in `person`: it is read as the workflow's all the same."""
    app, path = store
    uppdrag = issue_budget_uppdrag(app, take_budget(app), process=None)

    assert "process" not in stored_states(path)["Issued"]
    issued = next(iter(app.events_of(uppdrag)))
    assert (issued.process, acting_process(issued)) == (None, WORKFLOW_ID)
    assert history_entry(issued).process == WORKFLOW_ID


@pytest.mark.parametrize("process", [WORKFLOW_ID, None], ids=["process", "before the field"])
def test_a_report_goes_to_the_workflow_that_issued_the_uppdrag(
    store: tuple[Governance, Path], process: str | None
) -> None:
    """The relay finds the issuing workflow by the process that recorded the uppdrag, old or new."""
    app, _ = store
    uppdrag = issue_budget_uppdrag(app, take_budget(app), process=process)
    app.accept_uppdrag(c.AcceptUppdrag(actor="ks", person="p-ks", uppdrag_id=uppdrag, on=date(2026, 6, 17)))
    app.report_uppdrag(
        c.ReportUppdrag(
            actor="ks",
            person="p-ks",
            uppdrag_id=uppdrag,
            on=date(2026, 9, 1),
            assessment="uppfyllt",
            text="Enligt plan.",
        )
    )
    reported = next(e for e in app.events_of(uppdrag) if isinstance(e, Uppdrag.Reported))
    # Routing asks the store only; no Temporal client is needed to say where an event goes.
    routes = TemporalRoutes(cast(Any, None), app)

    assert asyncio.run(routes.target(reported)) == WORKFLOW_ID
