"""The planned history: commands in the order they happen, by business day.

Planners put commands on days in any order; the generator takes them out day
by day, and within a day in the order they were planned, so a planner states
that A comes before B on the same day by planning A first.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ParamSpec, TypeVar

from lerum_flow.commands import Acting, Command
from lerum_flow.domain.values import derive_id

TCommand = TypeVar("TCommand", bound=Command)
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Planned:
    """One command and the Governance method that records it."""

    method: str
    command: Command


class Schedule:
    def __init__(self, person: Callable[[str], str], seed: int) -> None:
        # Who acts in a position (the organisation's rule).
        self.person = person
        self.seed = seed
        self._heap: list[tuple[int, int, Planned]] = []
        self._order = 0

    def by(self, actor: str) -> Acting:
        """Who acts in `actor`'s position, for a command's typed constructor: `**schedule.by(actor)`."""
        return {"actor": actor, "person": self.person(actor)}

    def add(
        self, day: date, method: str, command_class: Callable[P, TCommand], *args: P.args, **fields: P.kwargs
    ) -> TCommand:
        """Plan a command on `day` (mypy checks its fields); returns it (for its derived ids)."""
        self._order += 1
        # An explicit id, as a real import gives each case from the diarium: a re-run
        # is then recognised command by command, whatever happened to the record since.
        command_id = derive_id("bench-kommando", str(self.seed), str(self._order))
        command = command_class(*args, **fields).model_copy(update={"command_id": command_id})
        heapq.heappush(self._heap, (day.toordinal(), self._order, Planned(method, command)))
        return command

    def add_planned(self, day: date, method: str, command: Command) -> None:
        """Plan a command built elsewhere (a staffing plan's), under its own (derived) id."""
        self._order += 1
        heapq.heappush(self._heap, (day.toordinal(), self._order, Planned(method, command)))

    def first_day(self) -> date | None:
        return date.fromordinal(self._heap[0][0]) if self._heap else None

    def take_day(self) -> tuple[date, list[Planned]]:
        """Every command of the earliest planned day, in planning order."""
        ordinal = self._heap[0][0]
        planned = []
        while self._heap and self._heap[0][0] == ordinal:
            planned.append(heapq.heappop(self._heap)[2])
        return date.fromordinal(ordinal), planned

    def __len__(self) -> int:
        return len(self._heap)
