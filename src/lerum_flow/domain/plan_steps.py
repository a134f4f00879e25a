"""Which recorded decision answers a step of a plan (a decision an organ owes by a date)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class Decided(Protocol):
    """A decision as recorded: its kind, its organ, its day, and the event that recorded it."""

    @property
    def kind(self) -> str: ...
    @property
    def decided_by(self) -> str: ...
    @property
    def decided_on(self) -> date: ...
    @property
    def event_id(self) -> str: ...


class Owed(Protocol):
    """A decision a plan asks for: of which kind, by which organ, from which day."""

    @property
    def kind(self) -> str: ...
    @property
    def organ(self) -> str: ...
    @property
    def not_before(self) -> date: ...


TDecided = TypeVar("TDecided", bound=Decided)


def answering_decision(decisions: Iterable[TDecided], step: Owed) -> TDecided | None:
    """The first decision that answers a step: right kind, right organ, not before its window.

    Ties on the day go to the decision recorded first, so every reader picks the same one.
    """
    candidates = [
        d
        for d in decisions
        if d.kind == step.kind and d.decided_by == step.organ and d.decided_on >= step.not_before
    ]
    return min(candidates, key=lambda d: (d.decided_on, d.event_id), default=None)
