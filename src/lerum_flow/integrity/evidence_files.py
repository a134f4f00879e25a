"""Evidence files: CSV the way Swedish Excel opens it, and JSON Lines for programs.

CSV: UTF-8 with BOM (else Excel guesses the wrong encoding), semicolons
(the comma is the decimal sign), decimal commas, ISO dates. The first line
says what the file is and the log position it was taken at.

Both are evidence on their own: each row carries its stored event's digest,
and the last line the SHA-256 of every line before it (as UTF-8, without the
BOM), so `audit verify-export` can tell an edited file offline.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from lerum_flow.history import HistoryEntry
from lerum_flow.integrity.evidence import Evidence, Record
from lerum_flow.municipal_time import MUNICIPAL_TIME

COLUMNS = (
    "position",
    "aggregat_id",
    "version",
    "händelse",
    "registrerad",
    "gäller_från",
    "som",
    "person",
    "sekretess",
    "kommando_id",
    "radhash",
)
# The last line's mark: what follows it is the file's digest.
FILE_HASH = "filhash"
# Excel runs a cell that starts like a formula; evidence must never execute.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(path: Path, evidence: Evidence) -> int:
    with _replacing(path, encoding="utf-8-sig") as file:
        hashing = Hashing(file)
        writer = csv.writer(hashing, delimiter=";", lineterminator="\r\n")
        header = evidence.header.as_dict()
        writer.writerow([part for key, value in header.items() for part in (key, cell(value))])
        writer.writerow([*COLUMNS, *evidence.detail_fields])
        written = _count(evidence.records, lambda r: writer.writerow(_csv_row(r, evidence.detail_fields)))
        csv.writer(file, delimiter=";", lineterminator="\r\n").writerow(
            [FILE_HASH, hashing.hexdigest(), "antal", written]
        )
        return written


def write_jsonl(path: Path, evidence: Evidence) -> int:
    with _replacing(path, encoding="utf-8") as file:
        hashing = Hashing(file)
        hashing.write(_json({"typ": "huvud", **evidence.header.as_dict()}) + "\n")
        written = _count(evidence.records, lambda r: hashing.write(_json(_json_record(r)) + "\n"))
        file.write(_json({"typ": "slut", "antal": written, FILE_HASH: hashing.hexdigest()}) + "\n")
        return written


class Hashing:
    """Writes through to the file and hashes what it wrote, as UTF-8."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self._hash = hashlib.sha256()

    def write(self, text: str) -> int:
        self._hash.update(text.encode("utf-8"))
        return self._file.write(text)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


WRITERS: dict[str, Callable[[Path, Evidence], int]] = {"csv": write_csv, "jsonl": write_jsonl}


def _count(records: Iterator[Record], write: Callable[[Record], object]) -> int:
    written = 0
    for record in records:
        write(record)
        written += 1
    return written


@contextmanager
def _replacing(path: Path, *, encoding: str) -> Iterator[IO[str]]:
    """Write beside the target and move it into place: never a half-written evidence file."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with temporary.open("w", encoding=encoding, newline="") as file:
            yield file
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _csv_row(record: Record, detail_fields: list[str]) -> list[str]:
    entry = record.entry
    common: list[object] = [
        record.position,
        entry.id,
        entry.version,
        entry.event,
        entry.recorded_at,
        entry.effective_on,
        entry.actor,
        entry.person,
        entry.secrecy,
        entry.command_id,
        record.digest,
    ]
    return [cell(value) for value in common] + [cell(entry.details.get(name)) for name in detail_fields]


def cell(value: object) -> str:
    """One value as Swedish Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return format(Decimal(str(value)), "f").replace(".", ",")
    if isinstance(value, datetime):
        return value.astimezone(MUNICIPAL_TIME).isoformat()
    if isinstance(value, date | UUID):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(cell(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _json_record(record: Record) -> dict[str, Any]:
    entry: HistoryEntry = record.entry
    return {"position": record.position, "amne": record.topic} | entry.as_dict() | {"radhash": record.digest}


def _json(data: dict[str, Any]) -> str:
    # Decimal and anything else unusual as text: exact, never a rounded float.
    return json.dumps(data, ensure_ascii=False, default=str)
