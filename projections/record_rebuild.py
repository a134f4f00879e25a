"""A view rebuilt record by record from the stored events: each record's events folded whole into
the rows they make, as the database stores them, and written once.

Why: rebuilt page by page in log order, the beslut view of a Lerum mandate period (249k events)
held each decision's history until its anmälan weeks later (or wrote it out early and read it
back), wrote it in the random order of the decisions' ids, and decoded every value only to turn
it back into text. Read record by record (`record_order`), a decision's history is complete when
its last event is read and is written in the order of the history table's key; the projection's
fold (`ViewProjection.record_fold`) reads the stored JSON itself: through the projection's own
handlers (`handler_fold`: the uppdrag and avvikelse views), or the beslut view's own copy of them
(`beslut_stored`). Its tables' current rows come
from the history at the end, as in every rebuild (`GovernanceView.rebuilding`).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.utils import resolve_topic

from lerum_flow.projections.projection import ViewProjection
from lerum_flow.projections.record_order import StoredRows, can_read, records

# Events folded between two writes: bounds the rows held in memory.
WRITE_EVERY = 20_000


def can_rebuild_by_record(projection: ViewProjection, log: Application[UUID]) -> bool:
    """Whether `projection`'s view can be rebuilt here record by record: it has a fold, its view
    keeps history and takes stored rows, the store's events table can be read, and its events are
    stored as the fold reads them (plain JSON: no cipher, no compression, no older versions)."""
    mapper = log.mapper
    return (
        projection.record_fold() is not None
        and projection.view.keeps_history
        and projection.view.writes_stored
        and can_read(log.recorder)
        and mapper.cipher is None
        and mapper.compressor is None
        and all(getattr(resolve_topic(t), "class_version", 1) == 1 for t in projection.topics)
    )


def rebuild_by_record(projection: ViewProjection, log: Application[UUID], upto: int) -> int:
    """Inside the view's `rebuilding`, just reset: apply every event of the projection's topics up to
    `upto` and track the view at `upto`; how many events were applied."""
    fold = projection.record_fold()
    assert fold is not None, "only for a projection with a fold"
    view = projection.view
    if view.position(log.name) != 0:
        raise IntegrityError(f"{projection.name}: rebuilt record by record only when just reset")
    applied = folded = 0
    rows: StoredRows = {}
    for record in records(log.recorder, projection.topics, upto):
        fold(record, rows)
        applied += len(record)
        folded += len(record)
        if folded >= WRITE_EVERY:
            view.write_stored(rows)
            rows, folded = {}, 0
    view.write_stored(rows)
    if upto > 0:
        view.track(Tracking(log.name, upto))
    return applied
