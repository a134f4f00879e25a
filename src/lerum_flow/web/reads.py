"""The reads the API and the pages share: a person's inbox, one uppdrag with its history, the
avvikelse board; each now, or as of a day as known on a day (the auditor's two time axes).

Today's answers come from the caught-up views; an as-of answer reads their history
as of the moment (projections.asof.as_known), which holds the rows a replay of the
events in effect then builds, so both say what the command line's `uppdrag mine`,
`avvikelse board` and `audit` say. One uppdrag as of a moment replays its own events.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from lerum_flow.avvikelse_acknowledgement import acknowledgement_deadlines
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.event_names import event_name
from lerum_flow.history import HistoryEntry, history_entry
from lerum_flow.municipal_time import MUNICIPAL_TIME, municipal_today
from lerum_flow.projections.asof import AsOf, as_known, replay_records
from lerum_flow.projections.avvikelse import AvvikelseRow, BoardLine, board_by_urgency, open_avvikelser
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import unreported_by
from lerum_flow.projections.store import Views
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.projections.uppdrag_queries import inbox
from lerum_flow.status_names import status_name
from lerum_flow.web import models as m
from lerum_flow.web.record import WebRecord


@dataclass(frozen=True)
class Moment:
    """The day an answer is about and the day it is known on (None: as known now)."""

    on: date
    known_on: date | None = None

    @property
    def known_until(self) -> datetime | None:
        return AsOf(self.on, self.known_on).known_until

    @property
    def is_now(self) -> bool:
        return self.known_on is None and self.on >= today()

    def clock(self) -> datetime:
        """The time waits and deadlines are measured at: now, or the end of a past day."""
        if self.on >= today():
            return datetime.now(MUNICIPAL_TIME)
        return datetime.combine(self.on, time(23, 59, 59), tzinfo=MUNICIPAL_TIME)


def today() -> date:
    return municipal_today()


def moment(as_of: date | None, known_on: date | None) -> Moment:
    on = as_of or today()
    if known_on is not None and known_on > today():
        raise InvalidInput(
            f"known_on ({known_on.isoformat()}) ligger i framtiden; ingen vet ännu vad som då är känt.",
            field="known_on",
            rule="framtida_kannedom",
        )
    return Moment(on, known_on)


@contextmanager
def views_at(record: WebRecord, at: Moment) -> Iterator[Views]:
    """The views now, or read as of the moment from their history (`as_known`: indexed reads, the
    rows the replay of the log builds, which a property test holds equal), while they are held."""
    with record.views() as store:
        yield store.views if at.is_now else as_known(store.views, AsOf(at.on, at.known_on))


def uppdrag_out(row: UppdragRow, on: date) -> m.UppdragOut:
    return m.UppdragOut(
        id=row.id,
        kind=row.kind,
        giver=row.giver,
        recipient=row.recipient,
        title=row.title,
        description=row.description,
        status=row.status,
        status_text=status_name(row.status),
        assessment=row.assessment,
        period=row.period,
        due=row.due,
        issued_on=row.issued_on,
        overdue=row.is_overdue(on),
        secrecy=row.secrecy,
    )


def avvikelse_out(line: BoardLine) -> m.AvvikelseOut:
    a: AvvikelseRow = line.avvikelse
    return m.AvvikelseOut(
        id=a.id,
        reporter=a.reporter,
        level=a.level,
        status=a.status,
        status_text=status_name(a.status),
        severity=a.severity,
        category=a.category,
        description=a.description,
        occurred_on=a.occurred_on,
        at_level_since=a.at_level_since,
        vantat_timmar=round(line.waited.total_seconds() / 3600, 1),
        kvittens_senast=line.deadline,
        kvittens_forsenad=line.overdue,
    )


def board_lines(
    record: WebRecord,
    views: Views,
    at: Moment,
    level: str | tuple[str, ...] = "",
    *,
    unacknowledged: bool = False,
) -> list[BoardLine]:
    """Open deviations, most urgent first (levels in the order of their most urgent one)."""
    rows = open_avvikelser(views.avvikelse, level, unacknowledged=unacknowledged)
    with record.lock:
        deadline_of = acknowledgement_deadlines(record.governance, record.styrmodell())
        found = board_by_urgency(rows, now=at.clock(), deadline_of=deadline_of)
    return [line for _, lines_at in found for line in lines_at]


def beslut_out(b: BeslutRow) -> m.BeslutOut:
    return m.BeslutOut(
        id=b.id,
        decided_by=b.decided_by,
        kind=b.kind,
        diarienummer=b.diarienummer,
        paragraf=b.paragraf,
        title=b.title,
        decided_on=b.decided_on,
        report_to=b.report_to,
        matter=b.matter,
        delegering_id=b.delegering_id,
        ej_anmalt=b.awaits_report,
    )


def read_inbox(record: WebRecord, positions: list[str], at: Moment) -> m.Inbox:
    """What waits for the person's positions: uppdrag to accept, report, review and complete,
    deviations at their level to acknowledge, and their delegated decisions not yet reported."""
    with views_at(record, at) as views:
        boxes = [inbox(views, p) for p in positions]
        to_report_beslut = sorted(
            (b for p in positions for b in unreported_by(views, p)),
            key=lambda b: (b.decided_on, b.diarienummer),
        )
        to_acknowledge = [
            line for line in board_lines(record, views, at, tuple(positions), unacknowledged=True)
        ]

    def out(rows: list[UppdragRow]) -> list[m.UppdragOut]:
        return [uppdrag_out(r, at.on) for r in rows]

    return m.Inbox(
        datum=at.on,
        kant_per=at.known_on,
        befattningar=positions,
        att_ta_emot=out([r for b in boxes for r in b.to_accept]),
        att_aterrapportera=out([r for b in boxes for r in b.to_report]),
        att_granska=out([r for b in boxes for r in b.to_review]),
        att_slutfora=out([r for b in boxes for r in b.to_complete]),
        att_kvittera=[avvikelse_out(line) for line in to_acknowledge],
        att_anmala=[beslut_out(b) for b in to_report_beslut],
    )


def read_uppdrag(record: WebRecord, uppdrag_id: UUID, at: Moment) -> m.UppdragDetail:
    """One uppdrag as of the moment, with every event of it known then."""
    as_of = AsOf(at.on, at.known_on)
    with record.lock:
        _, events = record.governance.read_with_events(Uppdrag, uppdrag_id)
        known = [e for e in events if at.is_now or as_of.includes(e)]
        if not known:
            raise InvalidInput(
                f"Uppdraget fanns inte den {at.on.isoformat()}"
                + (f" enligt vad som var känt {at.known_on.isoformat()}." if at.known_on else "."),
                field="as_of",
                rule="fanns_inte_da",
            )
        scale = [m.AssessmentOut(kod=n.kod, namn=n.namn) for n in record.styrmodell().bedomningsskala]
    if at.is_now:
        with record.views() as store:
            row = store.views.uppdrag.select(UppdragRow, id=uppdrag_id)[0]
    else:
        with record.lock:
            replayed = replay_records(record.governance, as_of, [uppdrag_id])
        try:
            row = replayed.views.uppdrag.select(UppdragRow, id=uppdrag_id)[0]
        finally:
            replayed.close()
    history = [history_entry(e) for e in known]
    return m.UppdragDetail(
        uppdrag=uppdrag_out(row, at.on),
        historik=[history_out(h) for h in history],
        skala=scale,
    )


def history_out(h: HistoryEntry) -> m.HistoryOut:
    return m.HistoryOut(
        version=h.version,
        handelse=event_name(h.event),
        registrerad=h.recorded_at,
        galler_fran=h.effective_on,
        som=h.actor,
        person=h.person,
        process=h.process,
        detaljer={k: _plain(v) for k, v in h.details.items()},
    )


def _plain(value: object) -> object:
    if isinstance(value, UUID | date | datetime):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
