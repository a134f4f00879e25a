"""The seal checked against the auditors' own checkpoint file (and key), sent to the web: what
`audit verify --checkpoints FIL [--publik-nyckel FIL]` does, read by the same parser, with a verdict
on each checkpoint of the file and on the key. Reads only; records nothing."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, Field

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.integrity import Report
from lerum_flow.integrity import findings as f
from lerum_flow.integrity.checkpoint_file import RULE, CheckpointFile, parse, public_key_of
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.signing import parse_public
from lerum_flow.text_safety import printable
from lerum_flow.web.reads_audit import verify_seal
from lerum_flow.web.record import WebRecord

# A checkpoint file of a century of daily seals is well under this; more is not such a file.
MAX_FILE_BYTES = 5_000_000
KEY_FROM_FILE = "kontrollpunktsfilen"
KEY_UPLOADED = "nyckelfilen"


@dataclass(frozen=True)
class SentFile:
    """A file as the browser or the client sent it: its name and its bytes."""

    name: str
    content: bytes


class CheckpointVerdict(BaseModel):
    nummer: int
    position: int
    forseglad: str
    stammer: bool = Field(description="Registret stämmer fortfarande med kontrollpunkten.")
    avvikelser: list[str] = Field(description="Det som inte stämmer med just den kontrollpunkten.")


class SealCheck(BaseModel):
    """Svaret på en prövning mot revisorernas kontrollpunktsfil."""

    intakt: bool = Field(description="Allt stämmer med filen (och nyckeln, om en prövades).")
    kontrollpunkter: list[CheckpointVerdict]
    nyckel: str | None = Field(
        description="Var den prövade publika nyckeln kom ifrån (kontrollpunktsfilen eller nyckelfilen); "
        "null: ingen nyckel prövades."
    )
    nyckeln_stammer: bool | None = Field(description="Varje kontrollpunkt är signerad med nyckeln.")
    kontrollerade: int
    ej_forseglade: int
    avvikelser: list[str] = Field(description="Allt som inte stämmer, som 'audit verify' namnger det.")
    ej_listade: int


def file_name(sent: str | None, fallback: str) -> str:
    """A sent file's name as a refusal shows it: printable, short."""
    shown = printable(sent or "", keep_line_breaks=False)[:80]
    return f"Filen '{shown}'" if shown else fallback


def check_seal(record: WebRecord, checkpoints: SentFile, key_file: SentFile | None = None) -> SealCheck:
    """The record verified against the sent checkpoint file (and key file); a file that is no such
    file is refused in Swedish before anything is read."""
    _within_limit(checkpoints, "checkpoints")
    parsed = parse(checkpoints.content, file_name(checkpoints.name, "Kontrollpunktsfilen"))
    key: Ed25519PublicKey | None
    if key_file is not None:
        _within_limit(key_file, "nyckel")
        key = parse_public(key_file.content, file_name(key_file.name, "Nyckelfilen"))
        source: str | None = KEY_UPLOADED
    else:
        key = public_key_of(parsed)
        source = KEY_FROM_FILE if key is not None else None
    return _verdicts(verify_seal(record, parsed, key), parsed, source)


def _within_limit(sent: SentFile, field: str) -> None:
    if len(sent.content) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{file_name(sent.name, 'Filen')} är större än {MAX_FILE_BYTES // 1_000_000} MB; "
            "ange filen som 'lerum-flow audit checkpoint export' skrev.",
            field=field,
            rule=RULE,
        )


def _verdicts(report: Report, file: CheckpointFile, key_source: str | None) -> SealCheck:
    return SealCheck(
        intakt=report.intact,
        kontrollpunkter=[_verdict(c, report.findings) for c in file.checkpoints],
        nyckel=key_source,
        nyckeln_stammer=None
        if key_source is None
        else not any(x.kind is f.Kind.CHECKPOINT_UNSIGNED for x in report.findings),
        kontrollerade=report.checked,
        ej_forseglade=report.unsealed,
        avvikelser=[x.message for x in report.findings],
        ej_listade=report.omitted,
    )


def _verdict(checkpoint: Checkpoint, findings: list[f.Finding]) -> CheckpointVerdict:
    """A checkpoint no longer matches if a finding names it, or names an event it vouched for: a
    hash chain carries every event up to its position."""
    against = [
        x.message
        for x in findings
        if x.checkpoint == checkpoint.number
        or (x.checkpoint is None and x.position is not None and x.position <= checkpoint.position)
    ]
    return CheckpointVerdict(
        nummer=checkpoint.number,
        position=checkpoint.position,
        forseglad=checkpoint.sealed_at,
        stammer=not against,
        avvikelser=against,
    )
