"""Many rows read at once: built column by column, with the garbage collector paused.

Why: an as-of question about the whole municipality reads a few hundred
thousand history rows, and building them one dict and one dataclass call at a
time cost more than the database's read. Each column is converted in one
pass (only the columns whose stored form differs), each row object is made
without its dataclass `__init__` (the values come from the view's own
tables, written from rows that passed it), and the collector is paused
while they are made: every allocation counts towards a collection, and the
full collections that hundreds of thousands of new objects trigger walk
every object already made, growing with the answer.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID, SafeUUID

from lerum_flow.projections.rows import TRow

# A column's conversion from what the database returns to the row's value (None: as it is).
Reader = Callable[[Any], object] | None

_new = object.__new__
_set = object.__setattr__
# Read once: an enum member's lookup through its class is a descriptor call, per id.
_UNKNOWN_SAFETY = SafeUUID.unknown


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (as it was after it): rows are acyclic, so
    nothing is left for it to find that reference counting does not free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def uuid_from_text(text: str) -> UUID:
    """`UUID(text)` for the canonical form the views store (`str(uuid)`), without the checks and
    the prefix stripping of the general constructor."""
    found = _new(UUID)
    _set(found, "int", int(text.replace("-", ""), 16))
    _set(found, "is_safe", _UNKNOWN_SAFETY)
    return found


def build_rows(
    into: type[TRow], names: Sequence[str], tuples: Iterable[Sequence[object]], readers: Sequence[Reader]
) -> list[TRow]:
    """`into` rows from the database's tuples (values in the order of `names`), each column read
    by its reader (None passes through untouched)."""
    columns: list[Any] = list(zip(*tuples, strict=True)) or [() for _ in names]
    for i, read in enumerate(readers):
        if read is not None:
            columns[i] = [None if value is None else read(value) for value in columns[i]]
    found: list[TRow] = []
    append = found.append
    for values in zip(*columns, strict=True):
        row = _new(into)
        vars(row).update(zip(names, values, strict=True))
        append(row)
    return found
