"""The views of one store, opened from Settings, or as throwaway in-memory views.

On SQLite every view has its own file (the library's tracking table is named
`tracking` in each database); on PostgreSQL every view lives in the store's
database with its own tables and tracking table. Views are built the way the
library's ProjectionRunner builds them: an infrastructure factory named after
the projection constructs the view class of its backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from eventsourcing.persistence import InfrastructureFactory, PersistenceError
from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment

from lerum_flow.log_pages import head
from lerum_flow.opening import opened
from lerum_flow.projections.avvikelse import AvvikelseProjection
from lerum_flow.projections.befattning import BefattningProjection
from lerum_flow.projections.beslut import BeslutProjection
from lerum_flow.projections.delegering import DelegeringProjection
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.projections.internkontroll import InternkontrollProjection
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE, GovernanceLog
from lerum_flow.projections.memory_view import MemoryView
from lerum_flow.projections.projection import ViewProjection
from lerum_flow.projections.runner import Projector
from lerum_flow.projections.styrdokument import StyrdokumentProjection
from lerum_flow.projections.uppdrag import UppdragProjection
from lerum_flow.projections.view import GovernanceView, ViewReads
from lerum_flow.record_ids import RecordLog
from lerum_flow.settings import Settings

PROJECTIONS: tuple[type[ViewProjection], ...] = (
    UppdragProjection,
    BeslutProjection,
    DelegeringProjection,
    AvvikelseProjection,
    InternkontrollProjection,
    StyrdokumentProjection,
    ForordnandeProjection,
    BefattningProjection,
)

# A view needs one connection to apply and one to answer: five views with the
# store's pool each would hold many idle PostgreSQL connections. Set as the
# view's own (prefixed) keys, which an operator can still set in the environment.
VIEW_POOL = {"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "2"}

MEMORY_ENV = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"}

TProjection = TypeVar("TProjection", bound=ViewProjection)


@dataclass(frozen=True)
class Views:
    """The views, by what they hold; what every query reads."""

    uppdrag: ViewReads
    beslut: ViewReads
    delegering: ViewReads
    avvikelse: ViewReads
    internkontroll: ViewReads
    styrdokument: ViewReads
    forordnande: ViewReads
    befattning: ViewReads


def open_view(projection_class: type[TProjection], env: dict[str, str]) -> TProjection:
    factory = InfrastructureFactory.construct(Environment(projection_class.name, env))
    on_postgres = isinstance(factory, PostgresFactory)
    view_class = projection_class.postgres_view if on_postgres else projection_class.sqlite_view
    view = cast(GovernanceView, opened(lambda: factory.tracking_recorder(view_class)))
    return projection_class(view=view)


def _view_env(settings: Settings, name: str) -> dict[str, str]:
    env = settings.eventsourcing_env(name)
    for key, value in VIEW_POOL.items():
        env.setdefault(f"{name.upper()}_{key}", value)
    return env


@dataclass(frozen=True)
class Answered:
    """Where a read-only answer came from: the stored views, or the log replayed in memory."""

    replayed: bool
    position: int

    def describe(self) -> str:
        if self.replayed:
            return (
                f"Svaret bygger på händelseloggen omspelad till position {self.position} "
                "(vyerna i lagret låg efter; de byggs av projektorn, inte av en läsare)."
            )
        return f"Svaret kommer från vyerna i lagret, aktuella till position {self.position}."


class ViewStore:
    """A log and its views, opened together and closed together."""

    def __init__(self, log: RecordLog, projections: Sequence[ViewProjection], *, owns_log: bool) -> None:
        self.log = log
        self.projections = list(projections)
        self._owns_log = owns_log

    @classmethod
    def open(cls, settings: Settings, *, names: Sequence[str] = ()) -> ViewStore:
        """The store's log and its views (those named, or all); their tables are created if missing."""
        log = GovernanceLog(settings.eventsourcing_env("governance"))
        chosen = [p for p in PROJECTIONS if not names or p.name in names]
        projections = [open_view(p, _view_env(settings, p.name)) for p in chosen]
        return cls(log, projections, owns_log=True)

    @classmethod
    def open_read_only(cls, settings: Settings, *, names: Sequence[str] = ()) -> tuple[ViewStore, Answered]:
        """For a process that may only read: the stored views when the named ones (all if none) are
        at the log's head, else every view replayed in memory from the log; nothing is written."""
        log = GovernanceLog(settings.eventsourcing_env("governance"))
        target = head(log.recorder)
        try:
            stored = [open_view(p, _view_env(settings, p.name)) for p in PROJECTIONS]
        except PersistenceError:  # never migrated: no view tables to read
            stored = []
        if stored:
            store = cls(log, stored, owns_log=True)
            try:
                current = all(
                    position == target for position in store.projector(names=names).positions().values()
                )
            except PersistenceError:
                current = False
            if current:
                return store, Answered(replayed=False, position=target)
            for projection in stored:
                projection.view.datastore.close()  # type: ignore[attr-defined]
        replayed = cls(log, [open_view(p, dict(MEMORY_ENV)) for p in PROJECTIONS], owns_log=True)
        replayed.projector(names=names).catch_up(upto=target)
        return replayed, Answered(replayed=True, position=target)

    @classmethod
    def in_memory(cls, log: RecordLog) -> ViewStore:
        """Empty views in memory over `log`: for the as-of replay and for comparisons."""
        projections = [open_view(p, dict(MEMORY_ENV)) for p in PROJECTIONS]
        for projection in projections:
            projection.view.keeps_history = False  # thrown away after one answer
        return cls(log, projections, owns_log=False)

    @classmethod
    def in_dicts(cls, log: RecordLog) -> ViewStore:
        """Empty views held in dicts over `log`: for replays of a few records (memory_view.py)."""
        projections = [p(view=MemoryView(p.sqlite_view.row_types)) for p in PROJECTIONS]
        return cls(log, projections, owns_log=False)

    def projector(self, *, page_size: int = DEFAULT_PAGE_SIZE, names: Sequence[str] = ()) -> Projector:
        chosen = [p for p in self.projections if not names or p.name in names]
        return Projector(self.log, chosen, page_size=page_size)

    def projection(self, projection_class: type[TProjection]) -> TProjection:
        for projection in self.projections:
            if isinstance(projection, projection_class):
                return projection
        raise LookupError(f"{projection_class.name} is not open")

    @property
    def views(self) -> Views:
        return Views(
            uppdrag=self.projection(UppdragProjection).view,
            beslut=self.projection(BeslutProjection).view,
            delegering=self.projection(DelegeringProjection).view,
            avvikelse=self.projection(AvvikelseProjection).view,
            internkontroll=self.projection(InternkontrollProjection).view,
            styrdokument=self.projection(StyrdokumentProjection).view,
            forordnande=self.projection(ForordnandeProjection).view,
            befattning=self.projection(BefattningProjection).view,
        )

    def close(self) -> None:
        for projection in self.projections:
            if isinstance(projection.view, MemoryView):
                continue  # nothing to release
            projection.view.datastore.close()  # type: ignore[attr-defined]
        if self._owns_log:
            self.log.close()
