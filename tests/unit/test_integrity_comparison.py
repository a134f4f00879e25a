"""Verification against in-memory stores: each kind of alteration is named, in Swedish, where it happened."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

import pytest

from lerum_flow.integrity import Kind, Report, comparison, seal, verify
from lerum_flow.integrity.chain import Identity, StoredRow, canonical_id
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.comparison import SealRow
from lerum_flow.integrity.stores import CheckpointSignature

SEALED_AT = datetime(2027, 4, 1, 12, 0, tzinfo=UTC)


class MemoryEvents:
    """An event table held in a dict: position → row."""

    def __init__(self, count: int) -> None:
        self.rows_by_position = {p: self.make(p, version=1) for p in range(1, count + 1)}

    @staticmethod
    def make(position: int, version: int) -> StoredRow:
        return StoredRow(
            position, UUID(int=position).hex, version, "lerum_flow:Beslut.Taken", b'{"n": %d}' % position
        )

    @contextmanager
    def reading(self) -> Iterator[MemoryEvents]:
        yield self

    def max_position(self) -> int:
        return max(self.rows_by_position, default=0)

    def rows(self, after: int, upto: int) -> Iterator[StoredRow]:
        return iter([self.rows_by_position[p] for p in sorted(self.rows_by_position) if after < p <= upto])

    def unplaced_rows(self) -> Iterator[StoredRow]:
        return iter(())  # every row here has a position

    def count_after(self, position: int) -> int:
        return sum(p > position for p in self.rows_by_position)

    def irregular_records(self, after: int, upto: int) -> set[str]:
        """Every record: the ledger then follows each one, which is its definition."""
        return {canonical_id(row.originator_id) for row in self.rows(after, upto)}

    def stored_position(self, identity: Identity) -> int | None:
        return next((p for p, r in self.rows_by_position.items() if r.identity == identity), None)

    def topics(self, upto: int) -> list[str]:
        return ["lerum_flow:Beslut.Taken"]

    def make_append_only(self) -> None:
        """A dict refuses nothing; the tests change it on purpose."""

    def move(self, position: int, to: int) -> None:
        self.rows_by_position[to] = self.rows_by_position.pop(position)._replace(position=to)


class MemorySeal:
    """A seal held in lists; its one reader is also its writer."""

    def __init__(self) -> None:
        self.seal_rows: dict[int, SealRow] = {}
        self.saved: list[Checkpoint] = []

    @contextmanager
    def reading(self) -> Iterator[MemorySeal]:
        yield self

    sealing = reading

    def checkpoints(self) -> list[Checkpoint]:
        return list(self.saved)

    def max_position(self) -> int:
        return max(self.seal_rows, default=0)

    def rows(self, after: int, upto: int) -> Iterator[SealRow]:
        return iter([self.seal_rows[p] for p in sorted(self.seal_rows) if after < p <= upto])

    def sealed_position(self, identity: Identity) -> int | None:
        return next((p for p, r in self.seal_rows.items() if r.identity == identity), None)

    def add_rows(self, rows: Sequence[SealRow]) -> None:
        self.seal_rows.update((row.position, row) for row in rows)

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self.saved.append(checkpoint)

    def link_signatures(self, after: int, upto: int) -> dict[int, bytes]:
        return {}

    def checkpoint_signatures(self) -> dict[int, CheckpointSignature]:
        return {}

    def add_link_signatures(self, signatures: Sequence[tuple[int, bytes]]) -> None:
        """Unsigned seals only here."""

    def add_checkpoint_signature(self, number: int, signature: CheckpointSignature) -> None:
        """Unsigned seals only here."""


@pytest.fixture
def sealed() -> tuple[MemoryEvents, MemorySeal]:
    """1 300 events sealed at 700 and at 1 300."""
    events, seals = MemoryEvents(700), MemorySeal()
    seal(events, seals, now=SEALED_AT)
    events.rows_by_position |= {p: MemoryEvents.make(p, version=1) for p in range(701, 1301)}
    seal(events, seals, now=SEALED_AT)
    return events, seals


def messages(report: Report) -> list[str]:
    return [finding.message for finding in report.findings]


def test_a_changed_event_is_named_by_position_and_aggregate(sealed: tuple[MemoryEvents, MemorySeal]) -> None:
    """One edited state byte: exactly that event, with Swedish digit grouping."""
    events, seals = sealed
    events.rows_by_position[1234] = events.rows_by_position[1234]._replace(state=b'{"n": 1235}')

    report = verify(events, seals)

    assert messages(report) == [f"händelse 1\u202f234 har ändrats (aggregat {UUID(int=1234)}, version 1)"]


def test_a_removed_event_is_named_between_its_neighbours(sealed: tuple[MemoryEvents, MemorySeal]) -> None:
    """The message says which event is gone and which events now enclose the hole."""
    events, seals = sealed
    del events.rows_by_position[1234]

    report = verify(events, seals)

    assert messages(report) == [
        f"händelse 1\u202f234 saknas mellan 1\u202f233 och 1\u202f235 (aggregat {UUID(int=1234)}, version 1)"
    ]


def test_a_cut_off_tail_names_every_sealed_event_after_the_last_one_left(
    sealed: tuple[MemoryEvents, MemorySeal],
) -> None:
    """Truncating the log loses the sealed events after the cut, each of them named."""
    events, seals = sealed
    for position in range(1298, 1301):
        del events.rows_by_position[position]

    report = verify(events, seals)

    assert [(f.kind, f.position) for f in report.findings] == [(Kind.MISSING, p) for p in (1298, 1299, 1300)]
    assert report.findings[0].message.startswith("händelse 1\u202f298 saknas efter 1\u202f297")


def test_two_swapped_events_are_both_named_as_moved(sealed: tuple[MemoryEvents, MemorySeal]) -> None:
    """Reordering keeps every event but not its place; both places are named."""
    events, seals = sealed
    events.move(10, 0)
    events.move(900, 10)
    events.move(0, 900)

    report = verify(events, seals)

    assert [(f.kind, f.position, f.sealed_position) for f in report.findings] == [
        (Kind.MOVED, 10, 900),
        (Kind.MOVED, 900, 10),
    ]


def test_an_event_added_into_a_hole_of_the_sealed_range_is_named_inserted() -> None:
    """A hole sealed as a hole (a rolled-back insert leaves one) may not be filled later."""
    events, seals = MemoryEvents(700), MemorySeal()
    del events.rows_by_position[500]
    seal(events, seals, now=SEALED_AT)
    events.rows_by_position[500] = MemoryEvents.make(500, version=1)

    report = verify(events, seals)

    assert [(f.kind, f.position) for f in report.findings] == [(Kind.INSERTED, 500)]


def test_an_event_whose_record_skips_a_version_is_named_with_the_missing_version() -> None:
    """A record's versions rise by one; the first that skips is named, whatever the seal says."""
    events, seals = MemoryEvents(700), MemorySeal()
    del events.rows_by_position[500]
    seal(events, seals, now=SEALED_AT)
    events.rows_by_position[500] = MemoryEvents.make(500, version=9)

    report = verify(events, seals)

    assert [(f.kind, f.position, f.originator_version) for f in report.findings] == [
        (Kind.VERSION_GAP, 500, 1),
        (Kind.INSERTED, 500, 9),
    ]


def test_an_altered_seal_is_blamed_on_the_seal_not_on_the_event(
    sealed: tuple[MemoryEvents, MemorySeal],
) -> None:
    """When the events still reproduce the checkpoint, the difference is in the seal's record."""
    events, seals = sealed
    row = seals.seal_rows[42]
    seals.seal_rows[42] = row._replace(digest=bytes(32))

    report = verify(events, seals)

    assert [(f.kind, f.position, f.checkpoint) for f in report.findings] == [(Kind.SEAL_CHANGED, 42, 1)]


def test_events_after_the_last_seal_are_counted_as_unsealed(sealed: tuple[MemoryEvents, MemorySeal]) -> None:
    """New events are not a fault: the store is intact and they are counted apart."""
    events, seals = sealed
    events.rows_by_position |= {p: MemoryEvents.make(p, version=1) for p in range(1301, 1311)}

    report = verify(events, seals)

    assert report.intact
    assert (report.checked, report.unsealed) == (1300, 10)


def test_a_store_altered_everywhere_names_the_first_findings_and_counts_the_rest(
    sealed: tuple[MemoryEvents, MemorySeal], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays bounded: beyond the limit findings are counted, and the store is still not intact."""
    monkeypatch.setattr(comparison, "MAX_NAMED", 5)
    events, seals = sealed
    for position in range(1, 21):
        events.rows_by_position[position] = events.rows_by_position[position]._replace(state=b"{}")

    report = verify(events, seals)

    assert [f.position for f in report.findings] == [1, 2, 3, 4, 5]
    assert report.omitted == 15
    assert not report.intact
