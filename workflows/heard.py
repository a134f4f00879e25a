"""What a plan-driven workflow has heard, shared by the årshjul and the mandate period.

Each carries the same part of its state across continue-as-new (the decisions
heard, by event id, what it has done, its tally and problems) and hears a
decision once however often the relay and the catch-up at start deliver it.
A message bumps `changes`, which wakes a wait for the next item early.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from lerum_flow.relay_contract import BeslutTaget
    from lerum_flow.workflows.models import Tally


class CarriedState(Protocol):
    """The input fields both workflows carry across continue-as-new (read-only: the models are frozen)."""

    @property
    def kommunkod(self) -> str: ...
    @property
    def done(self) -> Sequence[str]: ...
    @property
    def beslut(self) -> Sequence[BeslutTaget]: ...
    @property
    def handled_event_ids(self) -> Sequence[str]: ...
    @property
    def tally(self) -> Tally: ...
    @property
    def problems(self) -> Sequence[str]: ...
    @property
    def runs(self) -> int: ...


class HeardDecisions:
    """The base of a plan-driven workflow class: its carried state, and decisions heard once."""

    def _carry_over(self, state: CarriedState) -> None:
        self.workflow_id = workflow.info().workflow_id
        self.kommunkod = state.kommunkod
        self.done = list(state.done)
        self.beslut = list(state.beslut)
        self.handled = list(state.handled_event_ids)
        self.tally = state.tally
        self.problems = list(state.problems)
        self.runs = state.runs
        # Bumped by every message that may make an item ready earlier.
        self.changes = 0

    def _take_beslut(self, message: BeslutTaget) -> None:
        # Dedupe by event id: the relay resumes after crashes and the catch-up
        # at start may find what the relay also delivers.
        if self._first_time(message.event_id):
            self.beslut.append(message)
            self.changes += 1

    def _first_time(self, event_id: str) -> bool:
        if event_id in self.handled:
            return False
        self.handled.append(event_id)
        return True

    def _changed_since(self, mark: int) -> Callable[[], bool]:
        """True once a message has arrived since `mark`: an item may be ready earlier."""
        return lambda: self.changes != mark
