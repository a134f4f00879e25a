"""The hash chain over the stored events: a canonical encoding of each row and the links.

A row's content (originator id, version, topic, state) is hashed on its own and
the link then covers the previous link, the notification id and that digest.
Keeping the content digest apart from the position is what lets the seal store
one 32-byte digest per event and still recognise an event that was moved.
"""

from __future__ import annotations

import hashlib
import struct
from typing import NamedTuple
from uuid import UUID

# Changing the encoding changes every link: a new encoding needs a new label here.
GENESIS = hashlib.sha256(b"lerum-flow integritetskedja v1").digest()

_sha256 = hashlib.sha256
_INT64 = struct.Struct(">q")
_LENGTH = struct.Struct(">Q")


class StoredRow(NamedTuple):
    """One row of the event table as the database returns it, untouched."""

    position: int
    originator_id: object
    originator_version: object
    topic: object
    state: object

    @property
    def identity(self) -> Identity:
        return Identity(canonical_id(self.originator_id), _as_version(self.originator_version))


class Identity(NamedTuple):
    """Which event a row claims to be: its aggregate and version."""

    originator_id: str
    originator_version: int


def canonical_id(value: object) -> str:
    """SQLite stores the UUID as 32 hex digits, PostgreSQL as a uuid: both hash alike."""
    return value.hex if isinstance(value, UUID) else str(value)


def _as_version(value: object) -> int:
    return value if isinstance(value, int) else -1


def encode(value: object) -> bytes:
    """Type tag, length and bytes: unambiguous, and SQLite's loose column types change the hash."""
    if value is None:
        return b"n"
    if isinstance(value, bool):  # bool is an int subclass; SQLite never returns one
        return b"t" + _INT64.pack(int(value))
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return b"i" + _INT64.pack(value)
        return _tagged(b"I", str(value).encode())
    if isinstance(value, UUID):
        return _tagged(b"s", value.hex.encode())
    if isinstance(value, str):
        return _tagged(b"s", value.encode("utf-8", "surrogatepass"))
    if isinstance(value, bytes | bytearray | memoryview):
        return _tagged(b"b", bytes(value))
    if isinstance(value, float):
        return b"f" + struct.pack(">d", value)
    return _tagged(b"r", repr(value).encode())


def _tagged(tag: bytes, data: bytes) -> bytes:
    return tag + _LENGTH.pack(len(data)) + data


def content_digest(row: StoredRow) -> bytes:
    _, originator_id, version, topic, state = row
    if type(originator_id) is UUID:
        originator_id = originator_id.hex
    # The usual row encoded inline, byte for byte what encode() gives: this
    # runs once per event on every seal and check, and the calls dominate.
    if (
        type(originator_id) is str
        and type(version) is int
        and type(topic) is str
        and type(state) is bytes
        and -(2**63) <= version < 2**63
    ):
        oid = originator_id.encode("utf-8", "surrogatepass")
        name = topic.encode("utf-8", "surrogatepass")
        return _sha256(
            b"s"
            + _LENGTH.pack(len(oid))
            + oid
            + b"i"
            + _INT64.pack(version)
            + b"s"
            + _LENGTH.pack(len(name))
            + name
            + b"b"
            + _LENGTH.pack(len(state))
            + state
        ).digest()
    return _sha256(encode(originator_id) + encode(version) + encode(topic) + encode(state)).digest()


def next_link(previous: bytes, position: int, digest: bytes) -> bytes:
    return _sha256(previous + _INT64.pack(position) + digest).digest()
