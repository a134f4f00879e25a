"""A rebuild's history rows, folded in memory and written once.

Why: applied page by page, a row's history is read back, deleted and
inserted again each time a later page changes the row (a decision taken, then
justerad, then corrected): measured with `lerum-flow bench`, the history
tables made a rebuild 2.4–3 times slower than without them, with five times
the rows written. Within one transaction (`GovernanceView.bulk`) nothing
needs to be in the table before the end, so each row's regions are folded
here, change by change with the same `apply_change` as a page, and written
once: when the transaction ends, or earlier for the rows longest untouched
when more rows are held than `limit` (memory stays bounded however long the
log). A row written early and changed again is read back and deleted, as a
page would, and is held here again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from lerum_flow.projections.bitemporal import (
    Axes,
    HistoryChanges,
    HistoryLoader,
    Region,
    apply_change,
    change_key,
    change_table,
    history_type,
    history_values,
    region_of,
)
from lerum_flow.projections.rows import Change, Row

# Rows whose regions are held at once; beyond it, the longest untouched quarter is written.
# A held row costs some 5 kB (its regions' values); a Lerum mandate period has some 140,000
# rows with a history.
DEFAULT_LIMIT = 40_000

Where = tuple[type[Row], tuple[object, ...]]


class HistoryBuffer:
    """The regions of the rows changed since the transaction began, least recently changed first.

    The history tables were empty when it began (a rebuild), so a row neither held nor written
    out since has no history rows to read back.
    """

    def __init__(self, *, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = max(1, limit)
        self._held: dict[Where, list[Region]] = {}
        # The rows written out while the transaction lasts: only these are read back.
        self._written: set[Where] = set()

    def __len__(self) -> int:
        return len(self._held)

    def add(self, events: Iterable[tuple[Sequence[Change], Axes]], load: HistoryLoader) -> HistoryChanges:
        """Fold these events (in log order); what must change in the tables now: the rows read back
        (deleted: they are held again) and the rows written out to keep within `limit`."""
        located: list[tuple[list[tuple[Where, Change]], Axes]] = []
        for changes, axes in events:
            here = [(change_key(c), c) for c in changes if change_table(c).historic]
            located.append((here, axes))
        # Only a row written out early can have rows in the table to read back.
        deletes = self._read_back({w for here, _ in located for w, _ in here}, load) if self._written else {}
        held = self._held
        for here, axes in located:
            for where, change in here:
                # Moved to the end: the dictionary's order is the order of last change.
                regions = held.pop(where, [])
                held[where] = apply_change(regions, change, axes)
        inserts = self._take(len(held) - self.limit * 3 // 4) if len(held) > self.limit else {}
        return HistoryChanges(deletes, inserts)

    def flush(self) -> dict[type[Row], list[dict[str, object]]]:
        """Every held row's history rows, to be written; the buffer is empty afterwards."""
        return self._take(len(self._held))

    def _read_back(
        self, wanted: set[Where], load: HistoryLoader
    ) -> dict[type[Row], list[tuple[object, ...]]]:
        """Hold the rows in the table of the rows about to change that are not held; their keys to
        delete."""
        missing: dict[type[Row], set[tuple[object, ...]]] = {}
        for row_type, key in wanted:
            where = (row_type, key)
            if where in self._held or where not in self._written:
                continue
            missing.setdefault(row_type, set()).add(key)
        deletes: dict[type[Row], list[tuple[object, ...]]] = {}
        for row_type, keys in missing.items():
            for key, rows in load(row_type, keys, date.min).items():
                regions = [region_of(r, row_type) for r in rows]
                self._held[(row_type, key)] = regions
                deletes.setdefault(row_type, []).extend((*key, r.held_from, r.known_from) for r in regions)
        return deletes

    def _take(self, count: int) -> dict[type[Row], list[dict[str, object]]]:
        """The `count` least recently changed rows' history rows, no longer held."""
        inserts: dict[type[Row], list[dict[str, object]]] = {}
        taken = list(self._held)[:count] if count < len(self._held) else list(self._held)
        # Written in the order of the history tables' keys (a row's key, then its regions'
        # days): appended at the end of the table's B-tree instead of split into it at random.
        taken.sort(key=_table_and_key)
        for where in taken:
            regions = self._held.pop(where)
            if regions:
                inserts.setdefault(history_type(where[0]), []).extend(history_values(r) for r in regions)
            self._written.add(where)
        return inserts


def _table_and_key(where: Where) -> tuple[str, tuple[str, ...]]:
    # As text: the order the tables store ids and days in, and never a comparison of unlike values.
    return (where[0].table, tuple(str(value) for value in where[1]))
