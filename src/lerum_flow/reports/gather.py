"""Reading a report's record from the log: the auditor's as-of replay, up to one position of the log.

This is the one part of the reports wing that reads the store. It replays the
log up to its head as it stands now (or a position given, to make an older
report again) into throwaway views as of the days asked, and reads from them
and from the few records whose every event a figure needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast
from uuid import UUID

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.domain.values import BeslutKind
from lerum_flow.log_pages import head, pages
from lerum_flow.projections.asof import AsOf, model_version_on, replay
from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.registers import Period, beslut_register
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.record_ids import RecordLog
from lerum_flow.reports.period import ReportPeriod
from lerum_flow.reports.positions import PositionIndex
from lerum_flow.reports.record import Provenance, ReportRecord
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.styrmodell.canonical import canonical_content, identity_of, model_from_content

# The kinds of decision the årshjul asks the organs for.
CALENDAR_KINDS = tuple(
    str(k)
    for k in (
        BeslutKind.BUDGET,
        BeslutKind.VERKSAMHETSPLAN,
        BeslutKind.UPPFOLJNINGSPLAN,
        BeslutKind.ANSVARSFRIHET,
        BeslutKind.DELARSRAPPORT,
        BeslutKind.ARSREDOVISNING,
        BeslutKind.VILJA_OCH_MAL,
    )
)


def gather(
    log: RecordLog,
    period: ReportPeriod,
    as_of: AsOf,
    *,
    styrmodell: Styrmodell,
    scope: str | None = None,
    upto: int | None = None,
    audience: str = "ks",
) -> ReportRecord:
    """The record of one report. `styrmodell` serves a store that recorded none of its own."""
    position = head(log.recorder) if upto is None else upto
    version = model_version_on(log, as_of)
    model = model_from_content(version.content) if version is not None else styrmodell
    digest = version.digest if version is not None else identity_of(canonical_content(model), model).digest
    positions = PositionIndex(model.styrkedja(), _established(log, position))
    if scope is not None and scope not in {p.id for p in positions.sectors()}:
        sectors = ", ".join(p.id for p in positions.sectors())
        raise InvalidInput(
            f"'{scope}' är ingen sektor i styrmodellen; välj ks, kommundirektor eller en av: {sectors}.",
            field="niva",
            rule="okand_sektor",
        )
    store = replay(log, as_of, upto=position)
    try:
        views = store.views
        uppdrag = views.uppdrag.select(UppdragRow)
        reports = views.uppdrag.select(ReportRow)
        window = Period(period.start, period.end)
        beslut = beslut_register(views, period=window).rows
        organs = [
            p.id for p in model.styrkedja() if p.kind in (PositionKind.FULLMAKTIGE, PositionKind.STYRELSE)
        ]
        calendar_ids = [
            b.id for b in views.beslut.query(BeslutRow, {"decided_by": tuple(organs), "kind": CALENDAR_KINDS})
        ]
        avvikelser = views.avvikelse.select(AvvikelseRow)
    finally:
        store.close()
    organ_beslut = [cast(Beslut.Taken, _events(log, i, as_of, 1)[0]) for i in sorted(calendar_ids)]
    in_window = [a for a in avvikelser if period.start <= a.occurred_on <= period.end]
    return ReportRecord(
        period=period,
        scope=scope,
        provenance=Provenance(position=position, as_of=as_of, model_digest=digest),
        styrmodell=model,
        positions=positions,
        uppdrag=uppdrag,
        reports=reports,
        beslut=beslut,
        organ_beslut=organ_beslut,
        avvikelser=avvikelser,
        avvikelse_events={
            a.id: [cast(Avvikelse.Event, e) for e in _events(log, a.id, as_of, a.version)] for a in in_window
        },
        audience=audience,
    )


def _events(log: RecordLog, record_id: UUID, as_of: AsOf, version: int) -> list[object]:
    """A record's events as of the report's days, up to the version the replay (up to its position) saw:
    an event recorded after that position is not part of the report."""
    return [e for e in log.events.get(record_id, lte=version) if as_of.includes(e)]


def _established(log: RecordLog, upto: int) -> Iterator[Befattning.Established]:
    topics = [Befattning.Established.TOPIC]
    for page in pages(log.recorder, after=0, upto=upto, size=DEFAULT_PAGE_SIZE, topics=topics):
        for notification in page.notifications:
            event = log.mapper.to_domain_event(notification)
            if isinstance(event, Befattning.Established):
                yield event
