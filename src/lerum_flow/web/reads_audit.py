"""The auditor's reads: the record as it stood on a day as known on a day (`audit as-of`), one
record's history (`audit history`), an uppdrag traced to its political decision (`audit trace`), the
seal verified (`audit verify`) and the evidence file (`audit export`). Each calls what the command
does; none writes anything.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lerum_flow.domain.errors import NotFound
from lerum_flow.history import HistoryEntry
from lerum_flow.integrity import EVIDENCE_WRITERS, EvidenceRequest, Report, evidence, open_stores, verify
from lerum_flow.integrity.checkpoint_file import CheckpointFile
from lerum_flow.integrity.store_label import store_label
from lerum_flow.projections.asof import AsOf, as_known
from lerum_flow.projections.asof_pages import AS_OF_PAGE, RecordKind, as_of_page
from lerum_flow.projections.registers import Page, Paging
from lerum_flow.projections.trace import Trace, trace
from lerum_flow.web.reads import Moment
from lerum_flow.web.record import WebRecord

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


def register_at(
    record: WebRecord, at: Moment, kind: RecordKind, offset: int = 0, size: int = AS_OF_PAGE
) -> Page[Any]:
    """One page of one register on the day, as known on the day, from the views' history."""
    asked = AsOf(at.on, at.known_on)
    with record.views() as live:
        return as_of_page(as_known(live.views, asked), asked.on, kind, Paging(size, offset))


def history_of(record: WebRecord, text: str) -> list[HistoryEntry]:
    """Every event of the record whose id is or starts with `text`, in order."""
    with record.lock:
        return record.governance.history(record.governance.resolve_id(text))


def trace_of(record: WebRecord, uppdrag_id: UUID) -> Trace:
    with record.views() as store:
        found = trace(store.views, uppdrag_id)
    if found is None:
        raise NotFound(f"Det finns inget uppdrag med id {uppdrag_id}.", field="uppdrag", rule="okant_id")
    return found


def verify_seal(
    record: WebRecord, checkpoint_file: CheckpointFile | None = None, key: Ed25519PublicKey | None = None
) -> Report:
    """The sealed history checked against the checkpoints in the database, and against the auditors'
    own checkpoint file and key when they sent them (`web.seal_check`), as `audit verify` does."""
    with record.lock:
        return verify(*open_stores(record.governance, record.settings), checkpoint_file, key)


def evidence_file(record: WebRecord, at: Moment, file_format: str) -> tuple[str, bytes, int]:
    """The evidence of `audit export` for the day as known on the day: its file name, its bytes (as the
    command writes the file) and how many events it holds. Secrets stay hidden: only `audit export
    --visa-sekretess` shows them, to those entitled. Held in memory for the download; a very large
    export is the command line's."""
    request = EvidenceRequest(as_of=at.on, known_on=at.known_on, position=None, reveal_secret=False)
    name = f"revisionsunderlag-{at.on.isoformat()}" + (
        f"-kant-{at.known_on.isoformat()}" if at.known_on else ""
    )
    name += f".{file_format}"
    with tempfile.TemporaryDirectory(prefix="lerum-underlag-") as directory:
        path = Path(directory) / name
        with (
            record.lock,
            evidence(
                *open_stores(record.governance, record.settings),
                record.governance.mapper,
                request,
                exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
                store=store_label(record.settings),
            ) as found,
        ):
            written = EVIDENCE_WRITERS[file_format](path, found)
        return name, path.read_bytes(), written
