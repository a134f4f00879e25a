"""The auditor's replay: the same projections over the events in effect on a day, as known on a day.

The replay is the definition of an as-of answer; `as_known` gives the same answer from the
views' history tables (bitemporal.py) without replaying, and a property test holds the two equal.

Two time axes (docs/arkitektur.md, "Time"): an event counts if it took effect on or before
`on` (its `effective_on`) and was recorded by the end of `known_on` (its
timestamp, in the municipality's time zone). A correction is the exception on
the first axis (`lerum_flow.domain.in_force`, the rule the evidence export
follows too). The replay writes into
throwaway in-memory views through the same `Projector` as every other build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from uuid import UUID

from eventsourcing.utils import get_topic

from lerum_flow.domain.in_force import RETROACTIVE, counts_on
from lerum_flow.domain.styrmodell_record import STYRMODELL_RECORD_ID, ModelVersion, StyrmodellRecord
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.bitemporal import HistoryReads
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.effective_pages import in_effect_on
from lerum_flow.projections.internkontroll import InternkontrollplanRow, KontrollresultatRow, OverlamningRow
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.runner import Progress, Projector
from lerum_flow.projections.store import Views, ViewStore
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.record_ids import RecordLog


@dataclass(frozen=True)
class AsOf:
    """The state in effect on `on`, as recorded by the end of `known_on` (None: as known now)."""

    on: date
    known_on: date | None = None

    @property
    def known_until(self) -> datetime | None:
        """The first moment after `known_on`: events recorded from then on are not known."""
        if self.known_on is None:
            return None
        return datetime.combine(self.known_on + timedelta(days=1), time(0), tzinfo=MUNICIPAL_TIME)

    def includes(self, event: Any) -> bool:
        until = self.known_until
        if until is not None and event.timestamp >= until:
            return False
        return counts_on(event, self.on)


def model_version_on(log: RecordLog, as_of: AsOf) -> ModelVersion | None:
    """The styrmodell in force on `as_of.on`, as recorded by the end of `known_on`; None if the
    store recorded none (a store older than the record of its model)."""
    record: StyrmodellRecord | None = None
    for event in log.events.get(STYRMODELL_RECORD_ID):
        record = cast(StyrmodellRecord.Event, event).mutate(record)
    if record is None:
        return None
    return record.in_force_on(as_of.on, known_until=as_of.known_until)


def as_known(views: Views, as_of: AsOf) -> Views:
    """The store's views read from their history as of `as_of`: what `replay` builds, answered by
    indexed queries (the views must be caught up with the log)."""
    return Views(
        **{f.name: HistoryReads(getattr(views, f.name), as_of.on, as_of.known_on) for f in fields(Views)}
    )


def replay(
    log: RecordLog,
    as_of: AsOf,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: Progress | None = None,
    upto: int | None = None,
) -> ViewStore:
    """The whole municipality as of `as_of`, in new in-memory views (close them after use); with `upto`,
    from the log up to that position only (a report names the position it was made from)."""
    store = ViewStore.in_memory(log)
    reader = in_effect_on(as_of.on, always=[get_topic(t) for t in RETROACTIVE])
    projector = Projector(log, store.projections, page_size=page_size, accept=as_of.includes, reader=reader)
    projector.catch_up(upto=upto, progress=progress)
    return store


def replay_records(
    log: RecordLog,
    as_of: AsOf,
    record_ids: Iterable[UUID],
    *,
    into: Callable[[RecordLog], ViewStore] = ViewStore.in_dicts,
) -> ViewStore:
    """Only these records and what they trace to (parent uppdrag and delegations, their beslut; an
    internkontroll plan's beslut and the deviations it opened).

    Reads each record's own events instead of the whole log: an answer about one
    mandate costs a few reads, whatever the size of the log. Its views are held in dicts
    (`ViewStore.in_dicts`): creating database tables for tens of rows cost most of the answer;
    `into` gives other views (a test compares the two).
    """
    store = into(log)
    projector = Projector(log, store.projections, accept=as_of.includes)
    # Records read one by one have no place in the log to track; each gets a range
    # of made-up positions (one more than its events, so even an empty one moves on).
    position = 0
    seen: set[UUID] = set()
    pending = set(record_ids)
    while pending:
        for record_id in sorted(pending):
            events = list(log.events.get(record_id))
            projector.apply_events(
                [(position + i, e) for i, e in enumerate(events, start=1)],
                after=position,
                last=position + len(events) + 1,
            )
            position += len(events) + 1
        seen |= pending
        pending = _references(store.views, pending) - seen
    return store


def _references(views: Views, ids: set[UUID]) -> set[UUID]:
    """The records that the given records point to."""
    found: set[UUID | None] = set()
    for u in views.uppdrag.select(UppdragRow, id=tuple(ids)):
        found |= {u.parent_id, u.origin_beslut_id}
    for d in views.delegering.select(DelegeringRow, id=tuple(ids)):
        found |= {d.parent_id, d.beslut_id, d.revoked_by_beslut_id}
    for b in views.beslut.select(BeslutRow, id=tuple(ids)):
        found.add(b.delegering_id)
    # A plan points to the decision adopting it, those handing its controls over, and to the
    # deviations its brister opened.
    for p in views.internkontroll.select(InternkontrollplanRow, id=tuple(ids)):
        found.add(p.beslut_id)
    for h in views.internkontroll.select(OverlamningRow, plan_id=tuple(ids)):
        found.add(h.beslut_id)
    for r in views.internkontroll.select(KontrollresultatRow, plan_id=tuple(ids)):
        found.add(r.avvikelse_id)
    return {i for i in found if i is not None}
