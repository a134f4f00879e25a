"""The decisions a process waiting for one asks about, found in the beslut view by one indexed read.

Why: a process started late (or a relay behind) first looks for the decisions
already taken. Walking every recorded decision on each call costs more the
longer the store has lived; the view, caught up first (which reads only what
was recorded since), answers from an index on organ, kind and day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from lerum_flow.projections.beslut import BeslutProjection, TakenRow
from lerum_flow.projections.sql import Range
from lerum_flow.projections.store import ViewStore
from lerum_flow.relay_contract import BeslutTaget, event_id
from lerum_flow.settings import Settings


class ViewDecisions:
    """Decisions taken, from the store's beslut view (opened once, caught up on every question)."""

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    @classmethod
    def open(cls, settings: Settings) -> ViewDecisions:
        return cls(ViewStore.open(settings, names=(BeslutProjection.name,)))

    def taken(
        self,
        kinds: Sequence[str],
        decided_by: Sequence[str],
        not_before: date,
        *,
        not_after: date | None = None,
        known_until: datetime | None = None,
    ) -> list[BeslutTaget]:
        """The decisions of these kinds by these organs, taken on or after `not_before`, as recorded;
        for an auditor's day, only those taken by `not_after` and recorded before `known_until`."""
        self.store.projector().catch_up()
        view = self.store.projection(BeslutProjection).view
        where = {
            "decided_by": tuple(decided_by),
            "kind": tuple(kinds),
            "decided_on": Range(low=not_before, high=not_after),
        }
        rows = view.query(TakenRow, where, order_by=("recorded_at",))
        return [_message(row) for row in rows if known_until is None or row.recorded_at < known_until]

    def close(self) -> None:
        self.store.close()


def _message(row: TakenRow) -> BeslutTaget:
    return BeslutTaget(
        event_id=event_id(row.id, row.version),
        beslut_id=row.id,
        kind=row.kind,
        decided_by=row.decided_by,
        decided_on=row.decided_on,
        budget_year=row.budget_year,
        budget_kind=row.budget_kind,
    )
