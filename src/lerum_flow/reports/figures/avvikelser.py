"""Avvikelser reported in the report's window: by category and severity, how long each level took
to acknowledge them, how they were closed, and which reached KS and KF."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from uuid import UUID

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.reports.figures.counted import Counted, counted
from lerum_flow.reports.positions import level_rank
from lerum_flow.reports.record import ReportRecord


@dataclass(frozen=True)
class CategoryLine:
    category: str
    by_severity: tuple[Counted, ...]  # in the order of the styrmodell's severities
    total: Counted


@dataclass(frozen=True)
class AcknowledgementLine:
    """One level of the chain: deviations that reached it, and how long it took to acknowledge them."""

    level: str
    reached: Counted
    acknowledged: Counted
    passed_on_unacknowledged: Counted
    waiting: Counted
    median_hours: float | None
    longest_hours: float | None


@dataclass(frozen=True)
class Closure:
    with_action: Counted
    without_action: Counted
    open: Counted


@dataclass(frozen=True)
class Reached:
    ks: Counted
    kf: Counted


@dataclass(frozen=True)
class AvvikelseFigures:
    severities: tuple[str, ...]
    categories: tuple[CategoryLine, ...]
    acknowledgement: tuple[AcknowledgementLine, ...]
    closure: Closure
    reached: Reached


def in_window(record: ReportRecord) -> list[AvvikelseRow]:
    last = min(record.period.end, record.on)
    return [
        a
        for a in record.avvikelser
        if record.period.start <= a.occurred_on <= last and record.positions.within(a.reporter, record.scope)
    ]


def avvikelse_figures(record: ReportRecord) -> AvvikelseFigures:
    rows = in_window(record)
    severities = tuple(record.styrmodell.severity_codes())
    extra = sorted({a.severity for a in rows} - set(severities))
    severities = (*severities, *extra)
    categories = list(record.styrmodell.avvikelsekategorier)
    categories += sorted({a.category for a in rows} - set(categories))
    lines = tuple(
        CategoryLine(
            category,
            tuple(
                counted(a.id for a in rows if a.category == category and a.severity == s) for s in severities
            ),
            counted(a.id for a in rows if a.category == category),
        )
        for category in categories
    )
    events = {a.id: record.avvikelse_events.get(a.id, ()) for a in rows}
    return AvvikelseFigures(
        severities=severities,
        categories=lines,
        acknowledgement=_acknowledgement(record, events),
        closure=_closure(events),
        reached=_reached(record, events),
    )


@dataclass(frozen=True)
class _Stay:
    """A deviation's time at one level: from its arrival to its acknowledgement or departure."""

    avvikelse: UUID
    level: str
    arrived: datetime
    acknowledged: datetime | None = None
    left: bool = False


def stays(avvikelse_id: UUID, events: Iterable[Avvikelse.Event]) -> list[_Stay]:
    """Each level a deviation was delivered to, in order (a level reached twice is two stays)."""
    found: list[_Stay] = []
    for event in events:
        if isinstance(event, Avvikelse.Reported):
            found.append(_Stay(avvikelse_id, event.level, event.timestamp))
        elif isinstance(event, Avvikelse.Escalated):
            if found:
                found[-1] = _replace(found[-1], left=True)
            found.append(_Stay(avvikelse_id, event.to_level, event.timestamp))
        elif isinstance(event, Avvikelse.Acknowledged) and found and found[-1].acknowledged is None:
            found[-1] = _replace(found[-1], acknowledged=event.timestamp)
    return found


def _replace(stay: _Stay, **changes: object) -> _Stay:
    values = {**vars(stay), **changes}
    return _Stay(**values)


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _acknowledgement(
    record: ReportRecord, events: dict[UUID, Sequence[Avvikelse.Event]]
) -> tuple[AcknowledgementLine, ...]:
    by_level: dict[str, list[_Stay]] = defaultdict(list)
    for avvikelse_id, its_events in events.items():
        for stay in stays(avvikelse_id, its_events):
            by_level[record.positions.placement(stay.level).level].append(stay)
    lines = []
    for level in sorted(by_level, key=lambda lv: (level_rank(lv), lv)):
        level_stays = by_level[level]
        hours = [_hours(s.acknowledged - s.arrived) for s in level_stays if s.acknowledged is not None]
        lines.append(
            AcknowledgementLine(
                level=level,
                reached=counted(s.avvikelse for s in level_stays),
                acknowledged=counted(s.avvikelse for s in level_stays if s.acknowledged is not None),
                passed_on_unacknowledged=counted(
                    s.avvikelse for s in level_stays if s.acknowledged is None and s.left
                ),
                waiting=counted(s.avvikelse for s in level_stays if s.acknowledged is None and not s.left),
                median_hours=median(hours) if hours else None,
                longest_hours=max(hours) if hours else None,
            )
        )
    return tuple(lines)


def _closure(events: dict[UUID, Sequence[Avvikelse.Event]]) -> Closure:
    closed = {i for i, es in events.items() if any(isinstance(e, Avvikelse.Closed) for e in es)}
    acted = {i for i, es in events.items() if any(isinstance(e, Avvikelse.ActionDecided) for e in es)}
    return Closure(
        with_action=counted(closed & acted),
        without_action=counted(closed - acted),
        open=counted(set(events) - closed),
    )


def _levels_reached(its_events: Iterable[Avvikelse.Event]) -> set[str]:
    levels: set[str] = set()
    for event in its_events:
        if isinstance(event, (Avvikelse.Reported, Avvikelse.Informed)):
            levels.add(event.level)
        elif isinstance(event, Avvikelse.Escalated):
            levels.add(event.to_level)
    return levels


def _reached(record: ReportRecord, events: dict[UUID, Sequence[Avvikelse.Event]]) -> Reached:
    def reaching(kind: PositionKind) -> Counted:
        return counted(
            i
            for i, es in events.items()
            if any(record.positions.placement(level).level == kind for level in _levels_reached(es))
        )

    return Reached(ks=reaching(PositionKind.STYRELSE), kf=reaching(PositionKind.FULLMAKTIGE))
