"""The registers' view queries select exactly the rows the rows' own predicates accept."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from eventsourcing.persistence import Tracking
from unit.view_rows import beslut_row, delegering_row, styrdokument_row, uppdrag_row

from lerum_flow.domain.styrdokument import StyrdokumentStatus
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.beslut import BeslutProjection, BeslutRow
from lerum_flow.projections.delegering import DelegeringProjection, DelegeringRow
from lerum_flow.projections.memory_view import MemoryView
from lerum_flow.projections.rows import Insert
from lerum_flow.projections.store import MEMORY_ENV, open_view
from lerum_flow.projections.styrdokument import StyrdokumentProjection, StyrdokumentRow
from lerum_flow.projections.uppdrag import UppdragProjection, UppdragRow

DAY = date(2025, 3, 10)
NOW = datetime(2025, 3, 10, tzinfo=UTC)


def test_delegations_in_force_between_are_those_in_force_on_some_day_of_the_period() -> None:
    days = [DAY + timedelta(days=n) for n in range(7)]
    # Rows start and end inside the sampled days, so an open end of a period is the
    # sample's edge: no row is in force before days[0] that is not also on days[0].
    inner = days[1:-1]
    rows = [
        delegering_row(n, "kd", valid_from=start, valid_until=end)
        for n, (start, end) in enumerate(itertools.product(inner, [None, *inner]), start=1)
        if end is None or start < end
    ]
    view = open_view(DelegeringProjection, dict(MEMORY_ENV)).view
    view.apply([(1, [Insert(r) for r in rows])], Tracking("governance", 1), after=None)
    for start, end in itertools.product([None, *days], [None, *days]):
        period = [d for d in days if (start is None or d >= start) and (end is None or d <= end)]
        if not period:
            continue
        found = {r.id for r in view.query(DelegeringRow, DelegeringRow.in_force_between(start, end))}
        expected = {r.id for r in rows if any(r.in_force_on(d) for d in period)}
        assert found == expected, (start, end)


def test_decisions_awaiting_report_are_those_the_row_says_await_it() -> None:
    base = beslut_row(1)
    rows = [
        replace(base, id=uuid4(), delegering_id=delegering, reported=reported)
        for delegering, reported in itertools.product([None, uuid4()], [False, True])
    ]
    view = open_view(BeslutProjection, dict(MEMORY_ENV)).view
    view.apply([(1, [Insert(r) for r in rows])], Tracking("governance", 1), after=None)
    found = {r.id for r in view.query(BeslutRow, BeslutRow.AWAITING_REPORT)}
    assert found == {r.id for r in rows if r.awaits_report}
    assert len(found) == 1


DEADLINES = [None, DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]


def test_uppdrag_overdue_on_a_day_are_those_the_row_says_are_overdue() -> None:
    """Every status with no deadline, one the day before, on the day and after it: on SQLite and in
    the views held in dicts, the query's uppdrag are those `is_overdue` accepts."""
    rows = [
        uppdrag_row(n, f"Uppdrag {n}", status=status, due=due)
        for n, (status, due) in enumerate(itertools.product(UppdragStatus, DEADLINES), start=1)
    ]
    for view in (open_view(UppdragProjection, dict(MEMORY_ENV)).view, MemoryView((UppdragRow,))):
        view.apply([(1, [Insert(r) for r in rows])], Tracking("governance", 1), after=None)
        found = {r.id for r in view.query(UppdragRow, UppdragRow.overdue_conditions(DAY))}
        assert found == {r.id for r in rows if r.is_overdue(DAY)}
        assert len(found) == 3


def test_styrdokument_overdue_on_a_day_are_those_the_row_says_are_overdue() -> None:
    """Every status with no review day, one the day before, on the day and after it: the query's
    documents are those `overdue_on` accepts."""
    rows = [
        styrdokument_row(n, f"Dokument {n}", review_by, status)
        for n, (status, review_by) in enumerate(itertools.product(StyrdokumentStatus, DEADLINES), start=1)
    ]
    for view in (open_view(StyrdokumentProjection, dict(MEMORY_ENV)).view, MemoryView((StyrdokumentRow,))):
        view.apply([(1, [Insert(r) for r in rows])], Tracking("governance", 1), after=None)
        found = {r.id for r in view.query(StyrdokumentRow, StyrdokumentRow.overdue_conditions(DAY))}
        assert found == {r.id for r in rows if r.overdue_on(DAY)}
        assert len(found) == 1
