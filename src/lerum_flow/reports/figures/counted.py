"""A count that can be traced: the number and the ids of the records it counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Counted:
    records: tuple[UUID, ...] = ()

    @property
    def value(self) -> int:
        return len(self.records)


def counted(ids: Iterable[UUID]) -> Counted:
    """The ids in a fixed order, so the same records always give the same report."""
    return Counted(tuple(sorted(set(ids))))
