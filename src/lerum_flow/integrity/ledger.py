"""Every stored row, whatever its position: rows off the chain, and records whose versions do not add up.

The chain covers positions 1 and up; the database accepts any. So the whole
table is read once, and each row is also checked against its record: versions
start at 1 and rise by one in the order the rows are stored, or someone has
inserted, duplicated or removed a version.

Following every record's last version would hold one entry per record, so
memory would grow with the log. The database names the irregular records
first (`EventReader.irregular_records`, one pass over its key index), and only
their rows are followed here: a record it does not name has no finding to give.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lerum_flow.integrity import findings as f
from lerum_flow.integrity.chain import StoredRow, canonical_id

# Findings named one by one from this pass; beyond this they are only counted.
MAX_NAMED = 10_000


@dataclass
class Ledger:
    # The records whose rows are followed; every other record's versions run 1, 2, 3 … in order.
    irregular: set[str]
    findings: list[f.Finding] = field(default_factory=list)
    omitted: int = 0
    # Per record: the last version seen and its position.
    _last: dict[str, tuple[int, int]] = field(default_factory=dict)

    def observe(self, rows: Iterable[StoredRow]) -> Iterator[StoredRow]:
        """The rows unchanged, each checked on the way through."""
        for row in rows:
            self._check(row)
            yield row

    def _check(self, row: StoredRow) -> None:
        if canonical_id(row.originator_id) not in self.irregular:
            return
        originator_id, version = row.identity
        if row.position <= 0:
            self._note(f.off_chain(row.position, originator_id, version))
        last = self._last.get(originator_id)
        last_version, last_position = (0, 0) if last is None else last
        if last is not None and row.position == last_position and version > last_version:
            # Two versions at one position (PostgreSQL's notification id can repeat once its
            # unique index is dropped), read in either order: this is the one found.
            self._note(f.shared_position(originator_id, version, row.position, last_version))
        if version <= last_version:
            self._note(f.duplicate_version(originator_id, version, row.position, last_version, last_position))
            return  # the record's latest version stays the higher one
        if version > last_version + 1:
            self._note(f.version_gap(originator_id, last_version + 1, row.position))
        self._last[originator_id] = (version, row.position)

    def _note(self, finding: f.Finding) -> None:
        if len(self.findings) < MAX_NAMED:
            self.findings.append(finding)
        else:
            self.omitted += 1


def on_chain(rows: Iterable[StoredRow], upto: int) -> Iterator[StoredRow]:
    """The rows at 0 < position <= upto, though every row is read (so the ledger sees them all)."""
    for row in rows:
        if 0 < row.position <= upto:
            yield row
