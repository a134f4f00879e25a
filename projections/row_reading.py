"""Many rows read at once: built by a function generated for the row class, with the garbage
collector paused.

Why: an as-of question about the whole municipality reads a few hundred
thousand history rows, and building them one dict and one dataclass call at a
time cost more than the database's read. Each row's values are converted
in place (only the columns whose stored form differs), each row object is made
without its dataclass `__init__` (the values come from the view's own
tables, written from rows that passed it), and the collector is paused
while they are made: every allocation counts towards a collection, and the
full collections that hundreds of thousands of new objects trigger walk
every object already made, growing with the answer.

A read a batch at a time (a view's `batches`) keeps the collector paused
while its caller uses each batch too: a collection then walks the batch's
new rows only to find them alive, and once the caller moves on they are
freed by reference counting without being walked at all (on the largest
as-of answer at a million events, about a sixth of the CPU time). Cyclic
garbage the caller makes meanwhile is collected after the read.
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
    return _row_maker(into, tuple(names), tuple(readers))(tuples)


RowMaker = Callable[[Iterable[Sequence[object]]], list[Any]]
_MAKERS: dict[tuple[type[Any], tuple[str, ...], tuple[Reader, ...]], RowMaker] = {}


def _row_maker(into: type[Any], names: tuple[str, ...], readers: tuple[Reader, ...]) -> RowMaker:
    """A function that builds the rows, generated once per row class, columns and readers, as
    `dataclasses` generates `__init__`: each tuple unpacked into locals and each row's values
    given as one dict display. Per value, a loop over the columns and their readers (or a
    transposition to columns and back) cost more than the values themselves.

    Ids (`uuid_from_text`) are built in the loop itself, without a call per id; an id that is
    not the row's own key (a decision's delegering, an uppdrag's parent) is built once per
    batch and shared by the rows that name it, as the immutable value it is. The names come
    from the row classes, never from input.
    """
    key = (into, names, readers)
    if key in _MAKERS:
        return _MAKERS[key]
    columns = list(zip(names, readers, strict=True))
    namespace: dict[str, object] = {"_new": _new, "_set": _set, "_int": int, "_UUID": UUID}
    namespace |= {"_into": into, "_unknown": _UNKNOWN_SAFETY}
    own_key = set(getattr(into, "key", ()))
    shared = {i for i, (name, read) in enumerate(columns) if read is uuid_from_text and name not in own_key}
    body: list[str] = []
    for i, (_, read) in enumerate(columns):
        if read is uuid_from_text:
            made = [
                f"v{i} = _new(_UUID)",
                f"_set(v{i}, 'int', _int(c{i}.replace('-', ''), 16))",
                f"_set(v{i}, 'is_safe', _unknown)",
            ]
            found_before = f"(v{i} := seen{i}.get(c{i})) is None" if i in shared else "True"
            body += [f"if c{i} is None:", f"    v{i} = None", f"elif {found_before}:"]
            body += [f"    {line}" for line in made]
            body += [f"    seen{i}[c{i}] = v{i}"] if i in shared else []
        elif read is not None:
            namespace[f"r{i}"] = read
            body.append(f"v{i} = None if c{i} is None else r{i}(c{i})")
    values = ", ".join(
        f"{name!r}: {'c' if read is None else 'v'}{i}" for i, (name, read) in enumerate(columns)
    )
    lines = [
        "def make(tuples):",
        "    found = []",
        "    append = found.append",
        *(f"    seen{i} = {{}}" for i in sorted(shared)),
        f"    for ({''.join(f'c{i}, ' for i in range(len(columns)))}) in tuples:",
        *(f"        {line}" for line in body),
        "        row = _new(_into)",
        f"        _set(row, '__dict__', {{{values}}})",
        "        append(row)",
        "    return found",
    ]
    exec("\n".join(lines), namespace)  # noqa: S102
    made_rows: RowMaker = namespace["make"]  # type: ignore[assignment]
    _MAKERS[key] = made_rows
    return made_rows
