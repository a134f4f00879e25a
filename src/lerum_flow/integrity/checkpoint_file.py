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

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.integrity import signing
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.input_files import read_input_file, shown
from lerum_flow.text_safety import printable

FORMAT = "lerum-flow/kontrollpunkter/v1"
HASH_FIELD = "innehallshash"
# The rule a refusal of a file that is not a checkpoint file names.
RULE = "kontrollpunktsfil"

# Swedish keys in the file, for the people who read it; the order is the Checkpoint's.
_KEYS = ("nummer", "position", "antal", "lank", "forseglad", "foregaende", "hash")


@dataclass(frozen=True)
class CheckpointFile:
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # The auditors' public key (hex) and each checkpoint's signature, in files that carry them.
    public_key: str | None = None
    signatures: dict[int, bytes] = field(default_factory=dict)


def content_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def document(
    checkpoints: list[Checkpoint],
    *,
    exported_at: str,
    store: str,
    public_key: str | None = None,
    signatures: dict[int, bytes] | None = None,
) -> dict[str, Any]:
    signed = signatures or {}
    body: dict[str, Any] = {
        "format": FORMAT,
        "algoritm": "sha256",
        "lager": store,
        "exporterad": exported_at,
        "kontrollpunkter": [_item(checkpoint, signed.get(checkpoint.number)) for checkpoint in checkpoints],
    }
    if public_key is not None:
        body["publik_nyckel"] = public_key
        body["signaturalgoritm"] = "ed25519"
    return body | {HASH_FIELD: content_hash(body)}


def _item(checkpoint: Checkpoint, signature: bytes | None) -> dict[str, object]:
    item = dict(zip(_KEYS, _values(checkpoint), strict=True))
    return item if signature is None else item | {"signatur": signature.hex()}


def _values(checkpoint: Checkpoint) -> tuple[object, ...]:
    c = checkpoint
    return (c.number, c.position, c.event_count, c.link, c.sealed_at, c.previous, c.hash)


def write(
    path: Path,
    checkpoints: list[Checkpoint],
    *,
    exported_at: str,
    store: str,
    public_key: str | None = None,
    signatures: dict[int, bytes] | None = None,
) -> None:
    content = document(
        checkpoints, exported_at=exported_at, store=store, public_key=public_key, signatures=signatures
    )
    text = json.dumps(content, ensure_ascii=False, indent=2)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)  # never a half-written file for the auditors


def read(path: Path) -> CheckpointFile:
    """The file's checkpoints, or the problems that make it untrustworthy (as `parse`)."""
    if path.is_dir():
        raise _not_a_checkpoint_file(shown(path), "det är en katalog")
    raw = read_input_file(path, what="Kontrollpunktsfilen", field="checkpoints", rule=RULE)
    return parse(raw, shown(path))


def parse(raw: bytes, name: str) -> CheckpointFile:
    """The checkpoints in a checkpoint file's bytes (read from disk, or sent to the web), or the
    problems that make it untrustworthy; `name` names the file in a refusal.

    A file that is not a checkpoint file at all (missing, a directory, empty,
    not JSON, JSON without this format's mark) is refused: it is a wrong
    argument, not evidence that the history was altered. A file with the mark
    whose content no longer matches its hash is such evidence, and is reported.
    """
    data = _document(raw, name)
    body = {key: value for key, value in data.items() if key != HASH_FIELD}
    if data.get(HASH_FIELD) != content_hash(body):
        return CheckpointFile(problems=["har ändrats: innehållshashen stämmer inte"])
    items = body.get("kontrollpunkter")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return CheckpointFile(problems=["saknar listan över kontrollpunkter"])
    checkpoints = [_checkpoint(item, index) for index, item in enumerate(items)]
    key = body.get("publik_nyckel")
    return CheckpointFile(
        checkpoints=checkpoints,
        public_key=key if isinstance(key, str) else None,
        signatures={
            checkpoint.number: _hex_bytes(item.get("signatur"))
            for checkpoint, item in zip(checkpoints, items, strict=True)
            if item.get("signatur") is not None
        },
    )


def _hex_bytes(value: object) -> bytes:
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        return b""  # fails its verification, which then names the checkpoint


def _document(raw: bytes, name: str) -> dict[str, Any]:
    """The file's JSON object, if the file is one with this format's mark; otherwise a refusal."""
    if not raw.strip():
        raise _not_a_checkpoint_file(name, "den är tom")
    try:
        data = json.loads(raw.decode("utf-8"))
    # ValueError: not UTF-8, not JSON, or a number too long; RecursionError: nested too deep.
    except (ValueError, RecursionError):
        raise _not_a_checkpoint_file(name, "den är inte JSON") from None
    if not isinstance(data, dict) or "format" not in data:
        raise _not_a_checkpoint_file(name, f"den saknar formatmärket {FORMAT}")
    if data["format"] != FORMAT:
        mark = printable(str(data["format"]), keep_line_breaks=False)[:60]
        raise _not_a_checkpoint_file(name, f"den har formatet '{mark}', inte {FORMAT}")
    return data


def public_key_of(file: CheckpointFile) -> Ed25519PublicKey | None:
    """The auditors' public key the file carries, if it carries one; a key that is none is refused."""
    if file.public_key is None:
        return None
    key = signing.public_key_from_hex(file.public_key)
    if key is None:
        raise InvalidInput(
            "Kontrollpunktsfilens publika nyckel är ingen Ed25519-nyckel.",
            field="checkpoints",
            rule=signing.RULE,
        )
    return key


def _not_a_checkpoint_file(name: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"{name} är ingen kontrollpunktsfil: {why}. Ange filen som "
        "'lerum-flow audit checkpoint export' skrev.",
        field="checkpoints",
        rule=RULE,
    )


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
