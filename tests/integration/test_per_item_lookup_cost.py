"""The auditor's trace of one uppdrag and the operator's overdue lists cost the same however many
other uppdrag, decisions and documents the views hold.

Counted, not timed: the rows a view hands out for the answer (on SQLite and PostgreSQL), and the
virtual-machine steps SQLite takes for an overdue query (an index seek; a walk of the table would
grow with every row). The answers themselves are held to what they were.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import cast

from eventsourcing.persistence import Tracking
from integration.test_decisions_taken_cost import sqlite_steps
from unit.view_rows import beslut_row, delegering_row, styrdokument_row, uid, uppdrag_row

from lerum_flow.domain.styrdokument import StyrdokumentStatus
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections import sql
from lerum_flow.projections.authority import candidate_delegations
from lerum_flow.projections.beslut import BeslutProjection, BeslutRow
from lerum_flow.projections.registers import unreported_by
from lerum_flow.projections.rows import Insert, Row, TRow
from lerum_flow.projections.sql import BATCH_ROWS
from lerum_flow.projections.sqlite_view import _where
from lerum_flow.projections.store import Views, ViewStore
from lerum_flow.projections.styrdokument import StyrdokumentProjection, StyrdokumentRow
from lerum_flow.projections.styrdokument_register import overdue_styrdokument
from lerum_flow.projections.trace import orphans, trace
from lerum_flow.projections.uppdrag import UppdragProjection, UppdragRow
from lerum_flow.projections.uppdrag_queries import GIVEN_OPEN, RECEIVED_OPEN, inbox, overdue_uppdrag
from lerum_flow.projections.view import ViewReads
from lerum_flow.settings import Settings

TODAY = date(2028, 3, 1)


class CountedRows:
    """A view's reads, counting the rows it hands out."""

    def __init__(self, view: ViewReads) -> None:
        self.view = view
        self.rows = 0

    def select(self, row_type: type[TRow], **where: object) -> list[TRow]:
        return self._counted(self.view.select(row_type, **where))

    def query(
        self,
        row_type: type[TRow],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TRow]:
        found = self.view.query(row_type, where, order_by=order_by, limit=limit, offset=offset)
        return self._counted(found)

    def batches(
        self,
        row_type: type[TRow],
        where: Mapping[str, object],
        *,
        order_by: Sequence[str] = (),
        size: int = BATCH_ROWS,
    ) -> Iterator[list[TRow]]:
        for batch in self.view.batches(row_type, where, order_by=order_by, size=size):
            yield self._counted(batch)

    def count(self, row_type: type[Row], where: Mapping[str, object]) -> int:
        return self.view.count(row_type, where)

    def dump(self) -> dict[str, list[Row]]:
        return self.view.dump()

    def _counted(self, rows: list[TRow]) -> list[TRow]:
        self.rows += len(rows)
        return rows


def counted(views: Views) -> Views:
    """The views, each counting the rows it hands out (`rows_read`)."""
    return Views(**{f.name: CountedRows(getattr(views, f.name)) for f in fields(Views)})


def rows_read(views: Views) -> dict[str, int]:
    """The rows each view handed out since `counted`, for those that handed out any."""
    read = {f.name: cast(CountedRows, getattr(views, f.name)).rows for f in fields(Views)}
    return {name: rows for name, rows in read.items() if rows}


# Decision 1 is political, 2 delegated. The uppdrag: 10 <- 11 <- 12 reach decision 1; 20 breaks down an
# uppdrag not recorded; 30 and 31 break each other down, 32 itself; 40 names no decision, 50 one not
# recorded, 60 the delegated one.
DECISIONS = [beslut_row(1), beslut_row(2, delegated=True)]
UPPDRAG = [
    uppdrag_row(10, "Budgeten", origin=1, issued_on=date(2027, 1, 10)),
    uppdrag_row(11, "Sektorns del", parent=10),
    uppdrag_row(12, "Enhetens del", parent=11, issued_on=date(2027, 3, 1)),
    uppdrag_row(20, "Föräldralöst", parent=99),
    uppdrag_row(30, "Slinga A", parent=31, issued_on=date(2027, 1, 20)),
    uppdrag_row(31, "Slinga B", parent=30, issued_on=date(2027, 1, 20)),
    uppdrag_row(32, "Egen slinga", parent=32),
    uppdrag_row(40, "Utan beslut"),
    uppdrag_row(50, "Okänt beslut", origin=98, issued_on=date(2027, 1, 5)),
    uppdrag_row(60, "Delegerat", origin=2),
]
# The overdue ones: due before today and still owing a report.
OVERDUE_UPPDRAG = [
    uppdrag_row(70, "Sen rapport", due=date(2028, 1, 15)),
    uppdrag_row(71, "Återförvisad rapport", status=UppdragStatus.REPORT_RETURNED, due=date(2028, 1, 15)),
    uppdrag_row(72, "Tidigare sen", status=UppdragStatus.ACCEPTED, due=date(2027, 12, 1)),
]
OVERDUE_STYRDOKUMENT = [
    styrdokument_row(80, "Inköpspolicy", date(2028, 2, 1)),
    styrdokument_row(81, "Arkivpolicy", date(2027, 11, 1)),
]


def others(count: int) -> tuple[list[BeslutRow], list[UppdragRow], list[StyrdokumentRow]]:
    """`count` of each that no answer here is about: decisions no uppdrag names, uppdrag reaching a
    decision of their own (finished or not yet due, some due today), documents repealed or not yet
    due for review."""
    start = 100_000
    decisions = [beslut_row(start + n) for n in range(count)]
    finished = (UppdragStatus.COMPLETED, UppdragStatus.WITHDRAWN, UppdragStatus.REPORTED)
    rows = [
        uppdrag_row(
            start + count + n,
            f"Annat {n}",
            origin=start + n,
            status=finished[n % 3] if n % 2 else UppdragStatus.ISSUED,
            due=TODAY - timedelta(days=30) if n % 2 else TODAY + timedelta(days=n % 5),
        )
        for n in range(count)
    ]
    documents = [
        styrdokument_row(
            start + 2 * count + n,
            f"Dokument {n}",
            TODAY - timedelta(days=40) if n % 2 else TODAY + timedelta(days=n % 7),
            StyrdokumentStatus.REPEALED if n % 2 else StyrdokumentStatus.IN_FORCE,
        )
        for n in range(count)
    ]
    return decisions, rows, documents


def store_settings(directory: Path, url: str) -> Settings:
    """On SQLite a store of its own in `directory`; on PostgreSQL the test's database."""
    directory.mkdir(parents=True, exist_ok=True)
    if not url.startswith("postgresql"):
        url = f"sqlite:///{directory / 'governance.db'}"
    return Settings(data_dir=directory, database_url=url)


@contextmanager
def views_holding(directory: Path, url: str, rows: Sequence[Row]) -> Iterator[ViewStore]:
    """The views of a store holding just `rows` (written directly)."""
    store = ViewStore.open(store_settings(directory, url))
    try:
        for projection in store.projections:
            projection.view.reset(None)
            mine = [r for r in rows if type(r) in projection.view.row_types]
            items = [(n + 1, [Insert(row)]) for n, row in enumerate(mine)]
            projection.view.apply(items, Tracking(store.log.name, len(items) + 1), after=0)
        yield store
    finally:
        store.close()


WORLD: list[Row] = [*DECISIONS, *UPPDRAG, *OVERDUE_UPPDRAG, *OVERDUE_STYRDOKUMENT]


def test_trace_and_orphans_answer_each_way_a_chain_can_end(tmp_path: Path, database_url: str) -> None:
    """A chain reaching a political decision, and one for each way it can fail to: a parent not
    recorded, a loop (of two, and of one), no decision named, one not recorded, a delegated one."""
    with views_holding(tmp_path, database_url, WORLD) as store:
        views = store.views
        answers = {n: trace(views, uid(n)) for n in (12, 20, 30, 32, 40, 50, 60)}
        listed = [(t.chain[0].id.int, t.problem) for t in orphans(views)]
        missing = trace(views, uid(12345))

    def said(n: int) -> tuple[list[int], int | None, str]:
        found = answers[n]
        assert found is not None
        return [u.id.int for u in found.chain], found.beslut.id.int if found.beslut else None, found.problem

    assert said(12) == ([12, 11, 10], 1, "")
    assert said(20) == ([20], None, f"uppdraget {uid(99)} som det bryter ned finns inte")
    assert said(30) == ([30, 31], None, "uppdragen bildar en slinga")
    assert said(32) == ([32], None, "uppdragen bildar en slinga")
    assert said(40) == ([40], None, "inget beslut angivet som ursprung")
    assert said(50) == ([50], None, f"ursprungsbeslutet {uid(98)} finns inte")
    assert said(60) == ([60], 2, "ursprunget är ett delegationsbeslut, inte ett politiskt beslut")
    assert missing is None
    # Oldest first, then by title (as Python orders text: Å after U).
    assert listed == [
        (50, f"ursprungsbeslutet {uid(98)} finns inte"),
        (30, "uppdragen bildar en slinga"),
        (31, "uppdragen bildar en slinga"),
        (60, "ursprunget är ett delegationsbeslut, inte ett politiskt beslut"),
        (32, "uppdragen bildar en slinga"),
        (20, f"uppdraget {uid(99)} som det bryter ned finns inte"),
        (70, "inget beslut angivet som ursprung"),
        (72, "inget beslut angivet som ursprung"),
        (40, "inget beslut angivet som ursprung"),
        (71, "inget beslut angivet som ursprung"),
    ]


def test_tracing_one_uppdrag_reads_its_chain_and_its_decision_however_many_others_there_are(
    tmp_path: Path, database_url: str
) -> None:
    """With 20 and with 300 other uppdrag and decisions, the trace of an uppdrag three deep reads
    its three uppdrag and its one decision; the whole-municipality list of orphans reads every
    uppdrag, but of the decisions only those the chains end in."""
    measured = []
    for count in (20, 300):
        decisions, rows, _ = others(count)
        with views_holding(tmp_path / str(count), database_url, [*WORLD, *decisions, *rows]) as store:
            views = counted(store.views)
            found = trace(views, uid(12))
            traced = rows_read(views)
            views = counted(store.views)
            orphans(views)
            listed = rows_read(views)
        assert found is not None
        assert found.problem == ""
        measured.append((traced, listed))
    (small_trace, small_orphans), (large_trace, large_orphans) = measured
    assert small_trace == large_trace == {"uppdrag": 3, "beslut": 1}
    # Every uppdrag (the question is the whole municipality's), each decision a chain names once.
    assert small_orphans == {"uppdrag": 13 + 20, "beslut": 1 + 1 + 20}
    assert large_orphans == {"uppdrag": 13 + 300, "beslut": 1 + 1 + 300}


def query_steps(
    database: Path, row_type: type[Row], where: Mapping[str, object], found: int
) -> tuple[int, str]:
    statement, params = sql.select(sql.SQLITE, row_type, _where(row_type, where))
    steps, plan, rows = sqlite_steps(database, statement, params)
    assert rows == found
    return steps, plan


def test_overdue_uppdrag_and_styrdokument_are_read_through_an_index_however_many_others_there_are(
    tmp_path: Path, database_url: str
) -> None:
    """With 20 and with 300 other uppdrag (finished with a deadline passed, or due from today) and
    documents (repealed with a review passed, or due later), the overdue lists hand out the overdue
    ones only, in the order drift status shows, and on SQLite their queries take exactly as many
    steps through an index."""
    measured = []
    for count in (20, 300):
        _, rows, documents = others(count)
        directory = tmp_path / str(count)
        with views_holding(directory, database_url, [*WORLD, *rows, *documents]) as store:
            views = counted(store.views)
            late = overdue_uppdrag(views, TODAY)
            late_documents = overdue_styrdokument(views, TODAY)
            read = rows_read(views)
        assert [u.id.int for u in late] == [72, 70, 71]  # by deadline, then title
        assert [d.id.int for d in late_documents] == [80, 81]  # as the view keeps them
        steps: tuple[object, ...] = ()
        settings = store_settings(directory, database_url)
        uppdrag_late = UppdragRow.overdue_conditions(TODAY)
        documents_late = StyrdokumentRow.overdue_conditions(TODAY)
        if not database_url.startswith("postgresql"):
            steps = (
                *query_steps(settings.sqlite_path(UppdragProjection.name), UppdragRow, uppdrag_late, 3),
                *query_steps(
                    settings.sqlite_path(StyrdokumentProjection.name), StyrdokumentRow, documents_late, 2
                ),
            )
        measured.append((read, steps))
    (small_read, small_steps), (large_read, large_steps) = measured
    assert small_read == large_read == {"uppdrag": 3, "styrdokument": 2}
    assert small_steps == large_steps
    if small_steps:
        assert "USING INDEX uppdrag_view_status_due_idx" in str(small_steps[1])
        assert "USING INDEX styrdokument_view_status_review_by_idx" in str(small_steps[3])


def test_the_delegations_an_authority_question_replays_are_read_by_delegate_and_by_key(
    tmp_path: Path, database_url: str
) -> None:
    """With 20 and with 300 delegations to other positions, what `audit authority` replays for the
    enhetschef (its two delegations, the one a vidaredelegation rests on, and above that the
    förvaltningschef's own) is read as those four rows: by delegate, then up the chains by id."""
    chain = [
        delegering_row(1, "forvaltningschef"),
        delegering_row(2, "kommundirektor", parent=1),
        delegering_row(3, "enhetschef", parent=2),
        delegering_row(4, "enhetschef", valid_until=date(2027, 6, 1)),
    ]
    measured = []
    for count in (20, 300):
        more = [
            delegering_row(100_000 + n, f"chef-{n % 7}", parent=1 if n % 2 else None) for n in range(count)
        ]
        with views_holding(tmp_path / str(count), database_url, [*chain, *more]) as store:
            views = counted(store.views)
            found = candidate_delegations(views, "enhetschef")
            measured.append(rows_read(views))
        assert found == {uid(1), uid(2), uid(3), uid(4)}
    assert measured == [{"delegering": 4}, {"delegering": 4}]


INBOX_OF = "sektorschef"


def inbox_world() -> list[Row]:
    """What waits for the sektorschef: an uppdrag to accept, two to report on (one returned), a
    report to review, one to complete, and a delegated decision to report (anmäla)."""
    above, below = "kommundirektor", "enhetschef"
    return [
        uppdrag_row(1, "Ta emot", giver=above, recipient=INBOX_OF),
        uppdrag_row(2, "Rapportera", status=UppdragStatus.ACCEPTED, giver=above, recipient=INBOX_OF),
        uppdrag_row(3, "Igen", status=UppdragStatus.REPORT_RETURNED, giver=above, recipient=INBOX_OF),
        uppdrag_row(4, "Granska", status=UppdragStatus.REPORTED, giver=INBOX_OF, recipient=below),
        uppdrag_row(5, "Slutför", status=UppdragStatus.REPORT_ACCEPTED, giver=INBOX_OF, recipient=below),
        beslut_row(6, decided_by=INBOX_OF, delegated=True),
    ]


def inbox_history(count: int) -> list[Row]:
    """`count` uppdrag to and from the sektorschef on which nothing waits for it (finished, or waiting
    for the other side), and as many of its decisions with nothing to report (reported, or its own)."""
    waiting_elsewhere = [
        ("ks", INBOX_OF, UppdragStatus.COMPLETED),
        ("ks", INBOX_OF, UppdragStatus.REPORTED),
        ("ks", INBOX_OF, UppdragStatus.WITHDRAWN),
        (INBOX_OF, "enhetschef", UppdragStatus.ISSUED),
        (INBOX_OF, "enhetschef", UppdragStatus.COMPLETED),
    ]
    rows: list[Row] = []
    for n in range(count):
        giver, recipient, status = waiting_elsewhere[n % len(waiting_elsewhere)]
        rows.append(uppdrag_row(10**5 + n, f"Historik {n}", status=status, giver=giver, recipient=recipient))
        delegated = bool(n % 2)
        reported_on = date(2027, 2, 1) if delegated else None
        decision = beslut_row(
            2 * 10**5 + n, decided_by=INBOX_OF, delegated=delegated, reported_on=reported_on
        )
        rows.append(decision)
    return rows


def test_an_inbox_reads_what_waits_for_the_position_however_long_its_history(
    tmp_path: Path, database_url: str
) -> None:
    """With 20 and with 300 finished uppdrag to and from the sektorschef (and its decisions reported
    or not delegated), its inbox is handed the five uppdrag and one decision that wait for it, and
    on SQLite its queries take exactly as many steps through indexes."""
    measured = []
    for count in (20, 300):
        directory = tmp_path / str(count)
        with views_holding(directory, database_url, [*inbox_world(), *inbox_history(count)]) as store:
            views = counted(store.views)
            box = inbox(views, INBOX_OF)
            to_report = unreported_by(views, INBOX_OF)
            read = rows_read(views)
        assert [[u.id.int for u in rows] for rows in (box.to_accept, box.to_report, box.to_review)] == [
            [1],
            [3, 2],  # by deadline (or day of issue), then title
            [4],
        ]
        assert ([u.id.int for u in box.to_complete], [b.id.int for b in to_report]) == ([5], [6])
        steps: tuple[object, ...] = ()
        settings = store_settings(directory, database_url)
        if not settings.uses_postgres:
            uppdrag_view = settings.sqlite_path(UppdragProjection.name)
            beslut_view = settings.sqlite_path(BeslutProjection.name)
            awaiting = {"decided_by": INBOX_OF, **BeslutRow.AWAITING_REPORT}
            steps = (
                *query_steps(uppdrag_view, UppdragRow, {"recipient": INBOX_OF, "status": RECEIVED_OPEN}, 3),
                *query_steps(uppdrag_view, UppdragRow, {"giver": INBOX_OF, "status": GIVEN_OPEN}, 2),
                *query_steps(beslut_view, BeslutRow, awaiting, 1),
            )
        measured.append((read, steps))
    (small_read, small_steps), (large_read, large_steps) = measured
    assert small_read == large_read == {"uppdrag": 5, "beslut": 1}
    assert small_steps == large_steps
    if small_steps:
        assert "USING INDEX uppdrag_view_recipient_status_idx" in str(small_steps[1])
        assert "USING INDEX uppdrag_view_giver_status_idx" in str(small_steps[3])
        assert "USING INDEX beslut_view_decided_by_reported_delegering_id_idx" in str(small_steps[5])
