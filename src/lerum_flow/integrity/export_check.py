"""An evidence file checked offline: its own digest, its row count, and the checkpoint it is bound to.

Needs no database: the file and the auditors' checkpoint file are enough, so an
auditor can check what was handed over on their own machine.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.integrity.checkpoint_file import CheckpointFile
from lerum_flow.integrity.evidence import FORMAT
from lerum_flow.integrity.evidence_files import FILE_HASH
from lerum_flow.integrity.input_files import read_input_file, shown

RULE = "revisionsunderlag"


@dataclass(frozen=True)
class ExportCheck:
    header: dict[str, Any]
    records: int
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "intakt": self.intact,
            "antal": self.records,
            "huvud": self.header,
            "avvikelser": self.problems,
        }


def check_export(path: Path, checkpoints: CheckpointFile | None) -> ExportCheck:
    text = _text(path)
    body, last = _split_last_line(text)
    if body.startswith("{"):
        header, records = _jsonl(body)
        trailer = _json_trailer(last)
    else:
        header, records = _csv(body)
        trailer = _csv_trailer(last)
    if header.get("format") != FORMAT:
        raise _not_evidence(path, f"den saknar formatmärket {FORMAT}")
    problems: list[str] = []
    if trailer.get(FILE_HASH) != hashlib.sha256(body.encode("utf-8")).hexdigest():
        problems.append("filen har ändrats efter exporten: filhashen stämmer inte med innehållet")
    if str(trailer.get("antal")) != str(records):
        problems.append(f"filen säger {trailer.get('antal')} händelser men har {records}")
    if checkpoints is not None:
        problems += _binding(header, checkpoints)
    return ExportCheck(header, records, problems)


def _binding(header: dict[str, Any], file: CheckpointFile) -> list[str]:
    """The checkpoint the export names must be the auditors' checkpoint of that number, to the hash."""
    if file.problems:
        return [f"kontrollpunktsfilen {problem}" for problem in file.problems]
    number = str(header.get("kontrollpunkt") or "")
    if not number:
        return ["exporten är inte bunden till någon kontrollpunkt: lagret var inte förseglat"]
    theirs = next((c for c in file.checkpoints if str(c.number) == number), None)
    if theirs is None:
        return [f"kontrollpunkt {number} som exporten bygger på finns inte i revisorernas kontrollpunktsfil"]
    if (str(header.get("kontrollpunkt_hash")), str(header.get("lank"))) != (theirs.hash, theirs.link):
        return [f"kontrollpunkt {number} i exporten skiljer sig från revisorernas"]
    return []


def _text(path: Path) -> str:
    raw = read_input_file(path, what="Filen", field="fil", rule=RULE)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_evidence(path, "den är inte UTF-8") from None


def _split_last_line(text: str) -> tuple[str, str]:
    stripped = text.rstrip("\r\n")
    start = stripped.rfind("\n") + 1
    return text[:start], stripped[start:]


def _jsonl(body: str) -> tuple[dict[str, Any], int]:
    lines = body.splitlines()
    try:
        header = json.loads(lines[0]) if lines else {}
    except ValueError:
        header = {}
    return (header if isinstance(header, dict) else {}), max(len(lines) - 1, 0)


def _json_trailer(line: str) -> dict[str, Any]:
    try:
        trailer = json.loads(line)
    except ValueError:
        return {}
    return trailer if isinstance(trailer, dict) else {}


def _csv(body: str) -> tuple[dict[str, Any], int]:
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    first = rows[0] if rows else []
    header = dict(zip(first[::2], first[1::2], strict=False))
    return header, max(len(rows) - 2, 0)


def _csv_trailer(line: str) -> dict[str, Any]:
    cells = next(csv.reader([line], delimiter=";"), [])
    return dict(zip(cells[::2], cells[1::2], strict=False))


def _not_evidence(path: Path, why: str) -> InvalidInput:
    return InvalidInput(
        f"{shown(path)} är inget revisionsunderlag: {why}. Ange filen som 'lerum-flow audit export' skrev.",
        field="fil",
        rule=RULE,
    )
