"""Evidence for the auditors: every event in force on a date, as known on a date, decoded.

The events are read in one snapshot up to one log position, which the
evidence names, so the same request at the same position gives the same file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from lerum_flow.domain.errors import InvalidState
from lerum_flow.domain.in_force import counts_on
from lerum_flow.history import COMMON_FIELDS, HistoryEntry, history_entry
from lerum_flow.integrity.chain import StoredRow, canonical_id, content_digest
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.signing import short_text
from lerum_flow.integrity.stores import EventLog, SealStore
from lerum_flow.municipal_time import MUNICIPAL_TIME

FORMAT = "lerum-flow/revisionsunderlag/v2"


@dataclass(frozen=True)
class EvidenceRequest:
    as_of: date
    known_on: date | None = None  # None: everything recorded up to the position
    position: int | None = None  # None: the log as it is now
    # Secret records (OSL) in clear only when the exporter states a right to see them.
    reveal_secret: bool = False


@dataclass(frozen=True)
class Header:
    """Everything needed to reproduce the file: the request and the position it was taken at."""

    position: int
    as_of: date
    known_on: date | None
    exported_at: str
    checkpoint: Checkpoint | None
    store: str = ""
    tool: str = ""
    reveal_secret: bool = False

    def as_dict(self) -> dict[str, Any]:
        checkpoint = self.checkpoint
        return {
            "format": FORMAT,
            "lager": self.store,
            "verktyg": self.tool,
            "position": self.position,
            "per": self.as_of.isoformat(),
            "kant_per": None if self.known_on is None else self.known_on.isoformat(),
            "exporterad": self.exported_at,
            "forseglad_till": None if self.checkpoint is None else self.checkpoint.position,
            "kontrollpunkt": None if self.checkpoint is None else self.checkpoint.number,
            "lank": None if self.checkpoint is None else self.checkpoint.link,
            # What binds the file to the auditors' checkpoint file: the checkpoint's own hash.
            "kontrollpunkt_hash": None if checkpoint is None else checkpoint.hash,
            "kontrollsumma": None if checkpoint is None else short_text(checkpoint.hash),
            "sekretess_visas": self.reveal_secret,
        }


@dataclass(frozen=True)
class Record:
    position: int
    topic: str
    entry: HistoryEntry
    digest: str = ""  # the stored row's content digest, as the seal records it


@dataclass(frozen=True)
class Evidence:
    header: Header
    detail_fields: list[str]
    records: Iterator[Record]


@contextmanager
def evidence(
    log: EventLog,
    seals: SealStore,
    mapper: Mapper[UUID],
    request: EvidenceRequest,
    *,
    exported_at: str,
    store: str = "",
) -> Iterator[Evidence]:
    """The evidence, streamed from one snapshot that stays open while the block writes it."""
    with seals.reading() as seal, log.reading() as events:
        now = events.max_position()
        position = now if request.position is None else min(request.position, now)
        sealed = [c for c in seal.checkpoints() if c.position <= position]
        last_seal = sealed[-1] if sealed else None
        header = Header(
            position,
            request.as_of,
            request.known_on,
            exported_at,
            last_seal,
            store=store,
            tool=tool_version(),
            reveal_secret=request.reveal_secret,
        )
        rows = events.rows(0, position)
        yield Evidence(header, detail_fields(events.topics(position)), _records(rows, mapper, request))


def detail_fields(topics: list[str]) -> list[str]:
    """The union of the events' own fields, so every event fits one table."""
    names: set[str] = set()
    for topic in topics:
        try:
            cls = resolve_topic(topic)
        except Exception:  # noqa: S112 - an unknown topic is refused when its event is decoded
            continue
        if dataclasses.is_dataclass(cls):
            names.update(field.name for field in dataclasses.fields(cls))
    return sorted(names - COMMON_FIELDS)


def _records(rows: Iterator[StoredRow], mapper: Mapper[UUID], request: EvidenceRequest) -> Iterator[Record]:
    for row in rows:
        event = _decode(row, mapper)
        effective_on = getattr(event, "effective_on", None)
        recorded_at = getattr(event, "timestamp", None)
        if not isinstance(effective_on, date) or not isinstance(recorded_at, datetime):
            continue  # not a governance event: it has no business date to select by
        if not counts_on(event, request.as_of) or not _known(recorded_at, request.known_on):
            continue
        entry = history_entry(event)
        if entry.secrecy and not request.reveal_secret:
            entry = masked(entry)
        yield Record(row.position, str(row.topic), entry, content_digest(row).hex())


def masked(entry: HistoryEntry) -> HistoryEntry:
    """A secret record's content hidden, its legal ground shown; who, when and which stay visible."""
    hidden = f"[sekretess: {entry.secrecy}]"
    return dataclasses.replace(entry, details=dict.fromkeys(entry.details, hidden))


def tool_version() -> str:
    try:
        return f"lerum-flow {metadata.version('lerum-flow')}"
    except metadata.PackageNotFoundError:
        return "lerum-flow (okänd version)"


def _known(recorded_at: datetime, known_on: date | None) -> bool:
    return known_on is None or recorded_at.astimezone(MUNICIPAL_TIME).date() <= known_on


def _decode(row: StoredRow, mapper: Mapper[UUID]) -> Any:
    try:
        stored = StoredEvent(
            originator_id=UUID(hex=canonical_id(row.originator_id)),
            originator_version=int(str(row.originator_version)),
            topic=str(row.topic),
            state=bytes(row.state) if isinstance(row.state, bytes | memoryview) else b"",
        )
        return mapper.to_domain_event(stored)
    except Exception as error:
        raise InvalidState(
            f"Händelse {row.position} kan inte läsas ({type(error).__name__}); "
            "kör 'lerum-flow audit verify' för att se om den har ändrats.",
            rule="lasbar_handelse",
        ) from error
