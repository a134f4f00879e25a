"""The checkpoint file handed to the auditors: the checkpoints as JSON, with a hash of its content.

Kept outside the database, it is what proves the history against someone who
could rewrite both the events and the seal: verification against it fails
unless the store still reproduces every link it lists.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lerum_flow.domain.errors import NotFound
from lerum_flow.projections.integrity.checkpoints import Checkpoint

FORMAT = "lerum-flow/kontrollpunkter/v1"
HASH_FIELD = "innehallshash"

# Swedish keys in the file, for the people who read it; the order is the Checkpoint's.
_KEYS = ("nummer", "position", "antal", "lank", "forseglad", "foregaende", "hash")


@dataclass(frozen=True)
class CheckpointFile:
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def content_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def document(checkpoints: list[Checkpoint], *, exported_at: str, store: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "format": FORMAT,
        "algoritm": "sha256",
        "lager": store,
        "exporterad": exported_at,
        "kontrollpunkter": [dict(zip(_KEYS, _values(checkpoint), strict=True)) for checkpoint in checkpoints],
    }
    return body | {HASH_FIELD: content_hash(body)}


def _values(checkpoint: Checkpoint) -> tuple[object, ...]:
    c = checkpoint
    return (c.number, c.position, c.event_count, c.link, c.sealed_at, c.previous, c.hash)


def write(path: Path, checkpoints: list[Checkpoint], *, exported_at: str, store: str) -> None:
    content = document(checkpoints, exported_at=exported_at, store=store)
    text = json.dumps(content, ensure_ascii=False, indent=2)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)  # never a half-written file for the auditors


def read(path: Path) -> CheckpointFile:
    """The file's checkpoints, or the problems that make it untrustworthy."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NotFound(
            f"Kontrollpunktsfilen {path} kan inte läsas: {error.strerror}.",
            field="checkpoints",
            rule="kontrollpunktsfil",
        ) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return CheckpointFile(problems=["är inte giltig JSON"])
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return CheckpointFile(problems=[f"har inte formatet {FORMAT}"])
    body = {key: value for key, value in data.items() if key != HASH_FIELD}
    if data.get(HASH_FIELD) != content_hash(body):
        return CheckpointFile(problems=["har ändrats: innehållshashen stämmer inte"])
    items = body.get("kontrollpunkter")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return CheckpointFile(problems=["saknar listan över kontrollpunkter"])
    return CheckpointFile(checkpoints=[_checkpoint(item, index) for index, item in enumerate(items)])


def _checkpoint(item: dict[str, Any], index: int) -> Checkpoint:
    """A checkpoint as the file states it; a missing or mistyped value fails its own hash."""
    number = _int(item.get("nummer"))
    return Checkpoint(
        number if number > 0 else index + 1,
        _int(item.get("position")),
        _int(item.get("antal")),
        str(item.get("lank")),
        str(item.get("forseglad")),
        str(item.get("foregaende")),
        str(item.get("hash")),
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
