"""The hash chain's encoding: every stored detail counts, and the two databases hash alike."""

from __future__ import annotations

from uuid import UUID

from lerum_flow.integrity.chain import GENESIS, StoredRow, content_digest, encode, next_link

ID = UUID("12345678-1234-5678-1234-567812345678")


def row(
    position: int = 1, originator_id: object = ID.hex, version: object = 1, state: object = b"{}"
) -> StoredRow:
    return StoredRow(position, originator_id, version, "lerum_flow:Beslut.Taken", state)


def test_a_uuid_from_postgresql_hashes_like_its_hex_text_from_sqlite() -> None:
    """PostgreSQL returns a uuid where SQLite stores 32 hex digits: the same event, the same digest."""
    assert content_digest(row(originator_id=ID)) == content_digest(row(originator_id=ID.hex))


def test_the_same_bytes_under_another_sqlite_type_hash_differently() -> None:
    """SQLite would return the state as text if someone stored it so: that is a changed row."""
    assert content_digest(row(state=b"{}")) != content_digest(row(state="{}"))
    assert content_digest(row(version=1)) != content_digest(row(version="1"))


def test_field_boundaries_cannot_be_shifted() -> None:
    """Moving a byte from one field to the next changes the encoding (lengths are part of it)."""
    assert encode("ab") + encode("c") != encode("a") + encode("bc")


def test_the_content_digest_ignores_the_position_and_the_link_does_not() -> None:
    """A moved event keeps its digest, so it can be recognised; its link changes, so the move shows."""
    first, moved = row(position=1), row(position=2)
    assert content_digest(first) == content_digest(moved)
    digest = content_digest(first)
    assert next_link(GENESIS, 1, digest) != next_link(GENESIS, 2, digest)


def test_every_link_depends_on_the_one_before() -> None:
    """Changing an early link changes every later one."""
    digest = content_digest(row())
    assert next_link(GENESIS, 2, digest) != next_link(next_link(GENESIS, 1, digest), 2, digest)
