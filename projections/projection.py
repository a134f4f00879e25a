"""The base of every projection: the library's `Projection`, mapping each event to view changes.

`changes(event)` is a pure function of the event. The runner, the rebuild, the
CLI's catch-up and the auditor's as-of replay all call it, so a view looks the
same however it was built. `process_event` is the library's one-event entry,
which lets the library's `ProjectionRunner` drive any of these projections too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.projections.bitemporal import axes_of
from lerum_flow.projections.handler_fold import Handler as Handler
from lerum_flow.projections.handler_fold import handler_fold
from lerum_flow.projections.record_order import RecordFold
from lerum_flow.projections.rows import Change
from lerum_flow.projections.view import GovernanceView


def stamp_values(event: GovernanceAggregate.Event) -> dict[str, object]:
    """What every change of a row records: the record's version and when the event was recorded."""
    return {"version": event.originator_version, "changed_at": event.timestamp}


class ViewProjection(Projection[GovernanceView]):
    """Maps the events of one aggregate type to changes of one view."""

    handlers: ClassVar[Mapping[type[Any], Handler]] = {}
    # Whether a rebuild may fold each record's stored events through the handlers whole
    # (`handler_fold`): every change an event makes is to a row of its own record.
    folds_by_record: ClassVar[bool] = False
    # The view classes per backend, chosen by the runner from the store's settings.
    sqlite_view: ClassVar[type[GovernanceView]]
    postgres_view: ClassVar[type[GovernanceView]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.topics = tuple(get_topic(event_class) for event_class in cls.handlers)

    @classmethod
    def record_fold(cls) -> RecordFold | None:
        """How a rebuild may fold one record's stored events straight into the rows they make, as
        the database stores them (`record_rebuild`); None: it applies the log's pages."""
        return handler_fold(cls.handlers) if cls.folds_by_record else None

    @classmethod
    def changes(cls, event: Any) -> Sequence[Change]:
        handler = cls.handlers.get(type(event))
        return handler(event) if handler is not None else ()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        item = (tracking.notification_id, self.changes(domain_event), axes_of(domain_event))
        self.view.apply([item], tracking, after=None)
