"""What the integrity tools need from a database: the event rows, and a seal of their own.

Two implementations each (SQLite, PostgreSQL). Every read runs in one
transaction, so a check sees one consistent state while writers carry on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import NamedTuple, Protocol

from lerum_flow.domain.errors import NotFound
from lerum_flow.integrity.chain import Identity, StoredRow
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.comparison import SealRow

# Rows per query: large enough that round trips do not dominate, small enough
# that memory stays flat however long the log is.
PAGE_SIZE = 1000

SEALS_TABLE = "integrity_seals"
CHECKPOINTS_TABLE = "integrity_checkpoints"
# The auditors' signatures: one per sealed event's link, one per checkpoint.
LINK_SIGNATURES_TABLE = "integrity_link_signatures"
CHECKPOINT_SIGNATURES_TABLE = "integrity_checkpoint_signatures"


class CheckpointSignature(NamedTuple):
    """The auditors' signature of one checkpoint, and the public key it was made for."""

    public_key: str
    signature: bytes


class EventReader(Protocol):
    def max_position(self) -> int: ...

    def rows(self, after: int, upto: int) -> Iterator[StoredRow]:
        """Stored rows with after < position <= upto, in position order, a page at a time."""
        ...

    def unplaced_rows(self) -> Iterator[StoredRow]:
        """The rows stored with no position at all (PostgreSQL's notification id made NULL), read
        as at position 0: no range of positions holds them, yet their record's own read does."""
        ...

    def count_after(self, position: int) -> int: ...

    def irregular_records(self, after: int, upto: int) -> set[str]:
        """The records (canonical ids) among the rows with after < position <= upto whose versions,
        in the order their rows are stored, are not 1, 2, 3 …, or that have a row whose position
        is not positive: the only ones whose versions the verification needs to follow."""
        ...

    def stored_position(self, identity: Identity) -> int | None: ...

    def topics(self, upto: int) -> list[str]: ...


class EventLog(Protocol):
    def reading(self) -> AbstractContextManager[EventReader]: ...

    def make_append_only(self) -> None:
        """Refuse, from now on, any change to a stored row and any insert not above the last one."""
        ...


class SealReader(Protocol):
    def checkpoints(self) -> list[Checkpoint]: ...

    def max_position(self) -> int: ...

    def rows(self, after: int, upto: int) -> Iterator[SealRow]: ...

    def sealed_position(self, identity: Identity) -> int | None: ...

    def link_signatures(self, after: int, upto: int) -> dict[int, bytes]:
        """The signed links' signatures with after < position <= upto, by position."""
        ...

    def checkpoint_signatures(self) -> dict[int, CheckpointSignature]: ...


class SealWriter(SealReader, Protocol):
    def add_rows(self, rows: Sequence[SealRow]) -> None: ...

    def add_link_signatures(self, signatures: Sequence[tuple[int, bytes]]) -> None: ...

    def add_checkpoint_signature(self, number: int, signature: CheckpointSignature) -> None: ...

    def add_checkpoint(self, checkpoint: Checkpoint) -> None: ...


class SealStore(Protocol):
    def reading(self) -> AbstractContextManager[SealReader]: ...

    def sealing(self) -> AbstractContextManager[SealWriter]:
        """One transaction, serialised against other seals; committed if the block succeeds."""
        ...


class NoSeal:
    """A store that has never been sealed."""

    def checkpoints(self) -> list[Checkpoint]:
        return []

    def max_position(self) -> int:
        return 0

    def rows(self, after: int, upto: int) -> Iterator[SealRow]:
        return iter(())

    def sealed_position(self, identity: Identity) -> int | None:
        return None

    def link_signatures(self, after: int, upto: int) -> dict[int, bytes]:
        return {}

    def checkpoint_signatures(self) -> dict[int, CheckpointSignature]:
        return {}


class Lookups:
    """Both point look-ups the comparison makes, each answered by its own store."""

    def __init__(self, events: EventReader, seals: SealReader) -> None:
        self._events = events
        self._seals = seals

    def stored_position(self, identity: Identity) -> int | None:
        return self._events.stored_position(identity)

    def sealed_position(self, identity: Identity) -> int | None:
        return self._seals.sealed_position(identity)


def missing_event_table(table: str) -> NotFound:
    return NotFound(
        f"Händelselagret saknar tabellen {table}: det finns inget att granska här. "
        "Kontrollera --database-url eller --data-dir.",
        rule="handelselager",
    )


def as_int(value: object) -> int:
    """A column read back as an int; -1 for anything else, which then fails its hash."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def as_bytes(value: object) -> bytes:
    return bytes(value) if isinstance(value, bytes | bytearray | memoryview) else repr(value).encode()


def checkpoint_from(row: Sequence[object]) -> Checkpoint:
    """A checkpoint row (number, position, event_count, link, sealed_at, previous, hash)."""
    number, position, count, link, sealed_at, previous, hash_ = row
    return Checkpoint(
        as_int(number), as_int(position), as_int(count), str(link), str(sealed_at), str(previous), str(hash_)
    )


def seal_row_from(row: Sequence[object]) -> SealRow:
    position, originator_id, version, digest = row
    if (
        type(position) is int
        and type(originator_id) is str
        and type(version) is int
        and type(digest) is bytes
    ):
        return SealRow(position, originator_id, version, digest)
    return SealRow(as_int(position), str(originator_id), as_int(version), as_bytes(digest))
