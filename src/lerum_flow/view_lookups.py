"""The records granted or adopted under others, found by one indexed read of a view per step.

Why: a revoked delegering's falling vidaredelegationer (and a styrdokument's
derived documents) were found by reading every grant (every adoption) in the
log, a cost that grows with every record the store keeps. The view, caught up
first (which reads only what was recorded since), answers from its index on
`parent_id`; the rules (`resting_on`, in force on a day) still read the records.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from lerum_flow.projections.delegering import DelegeringProjection, DelegeringRow
from lerum_flow.projections.projection import ViewProjection
from lerum_flow.projections.rows import Row
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.styrdokument import StyrdokumentProjection, StyrdokumentRow
from lerum_flow.settings import Settings


class ViewChildren:
    """The ids of the rows whose `parent_id` is one of the given ids, in one view of the store."""

    def __init__(self, store: ViewStore, projection: type[ViewProjection], row_type: type[Row]) -> None:
        self.store = store
        self.projection = projection
        self.row_type = row_type

    @classmethod
    def delegeringar(cls, settings: Settings) -> ViewChildren:
        """Vidaredelegationer: delegations granted under the given ones."""
        store = ViewStore.open(settings, names=(DelegeringProjection.name,))
        return cls(store, DelegeringProjection, DelegeringRow)

    @classmethod
    def styrdokument(cls, settings: Settings) -> ViewChildren:
        """Documents adopted as deriving from the given ones."""
        store = ViewStore.open(settings, names=(StyrdokumentProjection.name,))
        return cls(store, StyrdokumentProjection, StyrdokumentRow)

    def __call__(self, parents: Sequence[UUID]) -> list[UUID]:
        if not parents:
            return []
        self.store.projector().catch_up()
        view = self.store.projection(self.projection).view
        rows = view.query(self.row_type, {"parent_id": tuple(parents)})
        return [row.id for row in rows]  # type: ignore[attr-defined]

    def close(self) -> None:
        self.store.close()
