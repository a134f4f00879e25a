"""One position's inbox as of a day (the web's `views_at`, read from the views' history) costs the same
however many uppdrag and deviations other positions have.

Counted, not timed: the rows the views' history hands out (on SQLite and PostgreSQL), and on SQLite
the virtual-machine steps and plan of the history queries for what waits for the position: uppdrag
by recipient and by giver with their status, deviations at its level not yet acknowledged. The
delegated decisions it has to report are read from the beslut view's history, which has no index but
its key (every index there costs every rebuild): that query's steps grow with the decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from eventsourcing.persistence import Tracking
from integration.test_per_item_lookup_cost import (
    INBOX_OF,
    TODAY,
    counted,
    inbox_world,
    query_steps,
    rows_read,
    store_settings,
    views_holding,
)
from unit.view_rows import beslut_row, uid, uppdrag_row

from lerum_flow.domain.values import AvvikelseStatus, UppdragStatus
from lerum_flow.projections.asof import AsOf, as_known
from lerum_flow.projections.avvikelse import AvvikelseProjection, AvvikelseRow, open_avvikelser
from lerum_flow.projections.bitemporal import Axes, as_of_conditions, history_type
from lerum_flow.projections.registers import unreported_by
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.uppdrag import UppdragProjection, UppdragRow
from lerum_flow.projections.uppdrag_queries import GIVEN_OPEN, RECEIVED_OPEN, inbox

STAMP = datetime(2027, 1, 1, tzinfo=UTC)


def avvikelse_row(number: int, level: str, status: AvvikelseStatus) -> AvvikelseRow:
    return AvvikelseRow(
        id=uid(number),
        reporter="medarbetare",
        subject_kind="",
        subject_ref="",
        severity="allvarlig",
        category="arbetsmiljo",
        description=f"Avvikelse {number}",
        level=level,
        status=status.value,
        occurred_on=date(2027, 1, 1),
        at_level_since=STAMP,
        at_level_on=date(2027, 1, 1),
        acknowledged_by="",
        escalations=0,
        action="",
        resolution="",
        closed_on=None,
        reported_at=STAMP,
        changed_at=STAMP,
        secrecy="",
        version=1,
    )


def at_the_position() -> list[Row]:
    """What waits for the sektorschef (`inbox_world`), a deviation at its level to acknowledge and one
    it has acknowledged."""
    return [
        *inbox_world(),
        avvikelse_row(7, INBOX_OF, AvvikelseStatus.REPORTED),
        avvikelse_row(8, INBOX_OF, AvvikelseStatus.ACKNOWLEDGED),
    ]


def elsewhere(count: int) -> list[Row]:
    """`count` uppdrag between other positions in every status that waits for someone, as many
    deviations at other levels waiting to be acknowledged, and as many delegated decisions of other
    positions not yet reported."""
    statuses = [*RECEIVED_OPEN, *GIVEN_OPEN]
    rows: list[Row] = []
    for n in range(count):
        other = f"enhetschef-{n % 7}"
        status = UppdragStatus(statuses[n % len(statuses)])
        rows.append(
            uppdrag_row(10**5 + n, f"Annat {n}", status=status, giver="kommundirektor", recipient=other)
        )
        rows.append(avvikelse_row(2 * 10**5 + n, other, AvvikelseStatus.REPORTED))
        rows.append(beslut_row(3 * 10**5 + n, decided_by=other, delegated=True))
    return rows


def test_an_inbox_as_of_a_day_reads_what_waited_for_the_position_however_many_others_there_are(
    tmp_path: Path, database_url: str
) -> None:
    """With 20 and with 300 uppdrag and deviations of other positions, the sektorschef's inbox as of a
    day is handed, from the views' history, its five uppdrag, its one decision to report and its one
    deviation to acknowledge, and on SQLite the history queries for the uppdrag and the deviation take
    exactly as many steps through indexes on the history."""
    as_of = AsOf(TODAY)
    conditions = as_of_conditions(as_of.on, as_of.known_on)
    measured = []
    for count in (20, 300):
        directory = tmp_path / str(count)
        with views_holding(directory, database_url, [*at_the_position(), *elsewhere(count)]) as store:
            views = counted(as_known(store.views, as_of))
            box = inbox(views, INBOX_OF)
            to_report = unreported_by(views, INBOX_OF)
            to_acknowledge = open_avvikelser(views.avvikelse, (INBOX_OF,), unacknowledged=True)
            read = rows_read(views)
        assert [[u.id.int for u in rows] for rows in (box.to_accept, box.to_report, box.to_review)] == [
            [1],
            [3, 2],
            [4],
        ]
        assert ([u.id.int for u in box.to_complete], [b.id.int for b in to_report]) == ([5], [6])
        assert [a.id.int for a in to_acknowledge] == [7]
        steps: tuple[object, ...] = ()
        settings = store_settings(directory, database_url)
        if not settings.uses_postgres:
            uppdrag_view = settings.sqlite_path(UppdragProjection.name)
            avvikelse_view = settings.sqlite_path(AvvikelseProjection.name)
            uppdrag_history = history_type(UppdragRow)
            received = {"recipient": INBOX_OF, "status": RECEIVED_OPEN, **conditions}
            given = {"giver": INBOX_OF, "status": GIVEN_OPEN, **conditions}
            reported = {"level": (INBOX_OF,), "status": (AvvikelseStatus.REPORTED.value,), **conditions}
            steps = (
                *query_steps(uppdrag_view, uppdrag_history, received, 3),
                *query_steps(uppdrag_view, uppdrag_history, given, 2),
                *query_steps(avvikelse_view, history_type(AvvikelseRow), reported, 1),
            )
        measured.append((read, steps))
    (small_read, small_steps), (large_read, large_steps) = measured
    assert small_read == large_read == {"uppdrag": 5, "beslut": 1, "avvikelse": 1}
    assert small_steps == large_steps
    if small_steps:
        assert "USING INDEX uppdrag_view_history_recipient_status_known_until_held_until" in str(
            small_steps[1]
        )
        assert "USING INDEX uppdrag_view_history_giver_status_known_until_held_until_idx" in str(
            small_steps[3]
        )
        assert "USING INDEX avvikelse_view_history_level_status_known_until_held_until_idx" in str(
            small_steps[5]
        )


def finished_before(count: int, on: date) -> list[tuple[Sequence[Change], Axes]]:
    """`count` uppdrag to and from the sektorschef, each waiting for it a while and finished before
    `on`: given to it and completed, or reported to it and then completed."""
    issued, finished = on - timedelta(days=300), on - timedelta(days=100)
    changes: list[tuple[Sequence[Change], Axes]] = []
    for n in range(count):
        number = 5 * 10**5 + n
        if n % 2:
            row = uppdrag_row(number, f"Klart {n}", giver="kommundirektor", recipient=INBOX_OF)
        else:
            status = UppdragStatus.REPORTED
            row = uppdrag_row(number, f"Granskat {n}", status=status, giver=INBOX_OF, recipient="enhetschef")
        changes.append(([Insert(row)], Axes(issued, issued)))
        done = {"status": UppdragStatus.COMPLETED.value}
        changes.append(([Update(UppdragRow, (uid(number),), done)], Axes(finished, finished)))
    return changes


def test_an_inbox_as_of_a_day_passes_by_what_the_position_had_finished_before_it(
    tmp_path: Path, database_url: str
) -> None:
    """With 20 and with 300 uppdrag that waited for the sektorschef (to report on, to review) and were
    finished before the day, its inbox as of the day is handed its five uppdrag, and on SQLite the
    history queries take exactly as many steps: the indexes hold the ends of each interval."""
    as_of = AsOf(TODAY)
    conditions = as_of_conditions(as_of.on, as_of.known_on)
    measured = []
    for count in (20, 300):
        directory = tmp_path / str(count)
        with views_holding(directory, database_url, at_the_position()) as store:
            view = store.projection(UppdragProjection).view
            position = view.position(store.log.name)
            items = [(position + n, *change) for n, change in enumerate(finished_before(count, TODAY), 1)]
            view.apply(items, Tracking(store.log.name, position + len(items) + 1), after=position)
            views = counted(as_known(store.views, as_of))
            box = inbox(views, INBOX_OF)
            read = rows_read(views)
        assert [[u.id.int for u in rows] for rows in (box.to_accept, box.to_report, box.to_review)] == [
            [1],
            [3, 2],
            [4],
        ]
        assert [u.id.int for u in box.to_complete] == [5]
        steps: tuple[object, ...] = ()
        settings = store_settings(directory, database_url)
        if not settings.uses_postgres:
            uppdrag_view = settings.sqlite_path(UppdragProjection.name)
            uppdrag_history = history_type(UppdragRow)
            received = {"recipient": INBOX_OF, "status": RECEIVED_OPEN, **conditions}
            given = {"giver": INBOX_OF, "status": GIVEN_OPEN, **conditions}
            steps = (
                *query_steps(uppdrag_view, uppdrag_history, received, 3),
                *query_steps(uppdrag_view, uppdrag_history, given, 2),
            )
        measured.append((read, steps))
    (small_read, small_steps), (large_read, large_steps) = measured
    assert small_read == large_read == {"uppdrag": 5}
    assert small_steps == large_steps
    if small_steps:
        assert "(recipient=? AND status=? AND known_until=? AND held_until>?)" in str(small_steps[1])
        assert "(giver=? AND status=? AND known_until=? AND held_until>?)" in str(small_steps[3])
