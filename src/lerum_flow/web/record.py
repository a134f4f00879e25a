"""The web door's one Governance and its views, shared by every request.

A request's command and the reads that follow it are serialised by one lock:
the embedded SQLite store has a single writer anyway, and every read first
catches the views up with the log (read-your-writes without waiting on a
separate projection process, as the command line does).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import TypeVar

from lerum_flow.application import Governance, Outcome
from lerum_flow.appointments import Holding
from lerum_flow.commands import Command
from lerum_flow.domain.styrkedja import Position
from lerum_flow.level_names import LEVEL_NAMES, level_name
from lerum_flow.municipal_time import business_day
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.befattning import BefattningProjection, BefattningRow, Standing
from lerum_flow.projections.bitemporal import as_of_conditions, history_type
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.view import GovernanceView
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.view_lookups import ViewHoldings, ViewPositions, known_on_of

TCommand = TypeVar("TCommand", bound=Command)
HELD_KEPT = 10_000
# Days whose names are kept at once: a page asks for one, an auditor moves through a few.
NAMES_KEPT = 100


class WebRecord:
    """The store as the web door uses it: commands through Governance, reads from caught-up views."""

    def __init__(self, settings: Settings, styrmodell: Styrmodell | None = None) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self.governance = Governance(styrmodell, env=settings.eventsourcing_env("governance"))
        self._views = ViewStore.open(settings)
        # Kept until the log moves or the day changes (`_follow_log`): holdings, names, and the
        # styrmodell record the governance read, which the command line may have given a new version
        # since, or whose next version takes effect with the new day.
        self._held: dict[tuple[str, date, datetime | None], list[Holding]] = {}
        # By the day asked about and the day known on (None: today as known now).
        self._names: dict[tuple[date, date | None] | None, Mapping[str, str]] = {}
        # The log's head and the business day when they were kept.
        self._seen_at: tuple[int, date] | None = None

    def run(self, handle: Callable[[Governance, TCommand], Outcome], command: TCommand) -> Outcome:
        with self.lock:
            self._follow_log()
            return handle(self.governance, command)

    @contextmanager
    def views(self) -> Iterator[ViewStore]:
        """The views, caught up with the log first."""
        with self.lock:
            self._follow_log()
            self._views.projector().catch_up()
            yield self._views

    def _follow_log(self) -> None:
        """Drop what is kept until the log moves or the day changes, if either has since it was kept;
        the governance then takes up any styrmodell version recorded meanwhile (by another process),
        and works by the version in force on the new day: one adopted ahead takes effect on its
        first day, with no new event to say so."""
        seen = (self.governance.head(), business_day(self.governance.clock()))
        if seen == self._seen_at:
            return
        self._held.clear()
        self._names.clear()
        self.governance.follow_record()
        self._seen_at = seen

    def held_by(self, person: str, on: date, known_until: datetime | None = None) -> list[Holding]:
        """`Governance.held_by`, answered by the förordnande view and remembered until the log moves."""
        with self.lock:
            self._follow_log()
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
            view = self._befattningar()
            return self.governance.positions_below(code, on, known_on, established=ViewPositions(view))

    def position_names(self, on: date | None = None, known_on: date | None = None) -> Mapping[str, str]:
        """The name of every position by its code, and of every level by its kind (in the plural
        where the chain has several): today as known now when `on` is None, the styrmodell's chain
        and the established positions (one read of the befattning view's current rows); else as
        they were named on `on` as known on `known_on` (None: now), `_names_as_of`. Kept until the
        log moves; a page names each position it shows from this, never by a read per row."""
        with self.lock:
            self._follow_log()
            key = None if on is None else (on, known_on)
            found = self._names.get(key)
            if found is None:
                if len(self._names) >= NAMES_KEPT:
                    self._names.clear()
                found = self._current_names() if on is None else self._names_as_of(on, known_on)
                self._names[key] = found
            return found

    def _current_names(self) -> dict[str, str]:
        view = self._befattningar()
        chain = list(self.governance.styrmodell.styrkedja())
        return _names_of(chain, ((row.code, row.name) for row in view.query(BefattningRow, {})))

    def _names_as_of(self, on: date, known_on: date | None) -> dict[str, str]:
        """The chain of the styrmodell in force on `on` as known by the end of `known_on`, and the
        positions established by `on` as known then (discontinued or not: they still had their
        names), read as of the day from the befattning view's history. A code that named no
        position that day is left unnamed here: a page names it as it is named now."""
        known_until = AsOf(on, known_on).known_until
        model = self.governance.styrmodell_on(on, known_until)
        view = self._befattningar()
        rows = view.query_into(Standing, history_type(BefattningRow), as_of_conditions(on, known_on))
        return _names_of(list(model.styrkedja()), ((row.code, row.name) for row in rows))

    def _befattningar(self) -> GovernanceView:
        """The befattning view, caught up with the log."""
        self._views.projector(names=(BefattningProjection.name,)).catch_up()
        return self._views.projection(BefattningProjection).view

    def head(self) -> int:
        """The log position the next answer reflects: the ETag of every read."""
        with self.lock:
            return self.governance.head()

    def styrmodell(self) -> Styrmodell:
        """The store's styrmodell in force today, as the log now records it, read under the lock the
        application is shared by."""
        with self.lock:
            self._follow_log()
            return self.governance.styrmodell

    def close(self) -> None:
        with self.lock:
            self._views.close()
            self.governance.close()


def _names_of(chain: list[Position], established: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The names by code of the chain's positions and the established ones (`established`: code
    and name; one established under a code of the chain names it), and of each level by its kind."""
    names = {p.id: p.name for p in chain}
    names.update(established)
    # A step of the årshjul owed by a level (each sektorschef) names it by its level.
    holders = Counter(str(p.kind) for p in chain)
    for level in LEVEL_NAMES:
        names.setdefault(level, level_name(level, holders[level]))
    return names
