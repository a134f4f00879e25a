"""The web door's one Governance and its views, shared by every request.

A request's command and the reads that follow it are serialised by one lock:
the embedded SQLite store has a single writer anyway, and every read first
catches the views up with the log (read-your-writes without waiting on a
separate projection process, as the command line does).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import TypeVar

from lerum_flow.application import Governance, Outcome
from lerum_flow.appointments import Holding
from lerum_flow.commands import Command
from lerum_flow.domain.styrkedja import Position
from lerum_flow.level_names import LEVEL_NAMES, level_name
from lerum_flow.projections.befattning import BefattningProjection, BefattningRow
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.view_lookups import ViewHoldings, ViewPositions, known_on_of

TCommand = TypeVar("TCommand", bound=Command)
HELD_KEPT = 10_000


class WebRecord:
    """The store as the web door uses it: commands through Governance, reads from caught-up views."""

    def __init__(self, settings: Settings, styrmodell: Styrmodell | None = None) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self.governance = Governance(styrmodell, env=settings.eventsourcing_env("governance"))
        self._views = ViewStore.open(settings)
        self._held: dict[tuple[str, date, datetime | None], list[Holding]] = {}
        self._held_at = -1
        self._names: dict[str, str] = {}
        self._names_at = -1

    def run(self, handle: Callable[[Governance, TCommand], Outcome], command: TCommand) -> Outcome:
        with self.lock:
            return handle(self.governance, command)

    @contextmanager
    def views(self) -> Iterator[ViewStore]:
        """The views, caught up with the log first."""
        with self.lock:
            self._views.projector().catch_up()
            yield self._views

    def held_by(self, person: str, on: date, known_until: datetime | None = None) -> list[Holding]:
        """`Governance.held_by`, answered by the förordnande view and remembered until the log moves."""
        with self.lock:
            position = self.governance.head()
            if position != self._held_at:
                self._held.clear()
                self._held_at = position
            key = (person, on, known_until)
            if key not in self._held:
                if len(self._held) >= HELD_KEPT:
                    self._held.clear()
                self._held[key] = self._held_by(person, on, known_until)
            return self._held[key]

    def _held_by(self, person: str, on: date, known_until: datetime | None) -> list[Holding]:
        """From the förordnande view (caught up first), as known by the end of a day; a moment
        within a day, which the view's days of record time cannot tell apart, from the walk."""
        try:
            known_on = known_on_of(known_until)
        except ValueError:
            return self.governance.held_by(person, on, known_until=known_until)
        self._views.projector(names=(ForordnandeProjection.name,)).catch_up()
        view = self._views.projection(ForordnandeProjection).view
        return ViewHoldings(view).held_by(person, on, known_on)

    def positions_below(self, code: str, on: date, known_on: date | None = None) -> list[Position]:
        """`Governance.positions_below`, the established positions read from the befattning view
        (caught up first), never from a walk of the log."""
        with self.lock:
            self._views.projector(names=(BefattningProjection.name,)).catch_up()
            view = self._views.projection(BefattningProjection).view
            return self.governance.positions_below(code, on, known_on, established=ViewPositions(view))

    def position_names(self) -> Mapping[str, str]:
        """The name of every position by its code: the styrmodell's chain, and the established
        positions (one read of the befattning view's current rows); and of every level by its kind,
        in the plural where the chain has several. Kept until the log moves; a page names each
        position it shows from this, never by a read per row."""
        with self.lock:
            position = self.governance.head()
            if position != self._names_at:
                self._views.projector(names=(BefattningProjection.name,)).catch_up()
                view = self._views.projection(BefattningProjection).view
                chain = list(self.governance.styrmodell.styrkedja())
                names = {p.id: p.name for p in chain}
                names.update((row.code, row.name) for row in view.query(BefattningRow, {}))
                # A step of the årshjul owed by a level (each sektorschef) names it by its level.
                holders = Counter(str(p.kind) for p in chain)
                for level in LEVEL_NAMES:
                    names.setdefault(level, level_name(level, holders[level]))
                self._names, self._names_at = names, position
            return self._names

    def head(self) -> int:
        """The log position the next answer reflects: the ETag of every read."""
        with self.lock:
            return self.governance.head()

    def styrmodell(self) -> Styrmodell:
        """The store's styrmodell in force, read under the lock the application is shared by."""
        with self.lock:
            return self.governance.styrmodell

    def close(self) -> None:
        with self.lock:
            self._views.close()
            self.governance.close()
