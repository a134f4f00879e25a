"""Verification: prove the stored history is what was sealed, or name everything that is not."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lerum_flow.integrity import findings as f
from lerum_flow.integrity.attestation import LOWEST_POSITION, first_difference, unsigned_checkpoints
from lerum_flow.integrity.checkpoint_file import CheckpointFile
from lerum_flow.integrity.checkpoints import Checkpoint, chain_problems, trusted
from lerum_flow.integrity.comparison import compare
from lerum_flow.integrity.ledger import Ledger, on_chain
from lerum_flow.integrity.stores import CheckpointSignature, EventLog, Lookups, SealStore

IN_DATABASE = "i databasen"
IN_FILE = "i kontrollpunktsfilen"


@dataclass(frozen=True)
class Report:
    """The verdict: intact unless something is found; unsealed events are no fault."""

    findings: list[f.Finding]
    omitted: int
    checked: int
    unsealed: int
    position: int
    checkpoint: Checkpoint | None
    against_file: bool
    against_key: bool = False

    @property
    def intact(self) -> bool:
        return not self.findings and not self.omitted

    def as_dict(self) -> dict[str, Any]:
        return {
            "intakt": self.intact,
            "position": self.position,
            "kontrollerade": self.checked,
            "ej_forseglade": self.unsealed,
            "kontrollpunkt": None if self.checkpoint is None else self.checkpoint.as_dict(),
            "mot_kontrollpunktsfil": self.against_file,
            "mot_revisorernas_nyckel": self.against_key,
            "avvikelser": [finding.as_dict() for finding in self.findings],
            "ej_listade": self.omitted,
        }


def verify(
    log: EventLog,
    seals: SealStore,
    checkpoint_file: CheckpointFile | None = None,
    key: Ed25519PublicKey | None = None,
) -> Report:
    """Check every stored row; with the auditors' key, trust only checkpoints it signed."""
    with seals.reading() as seal, log.reading() as events:
        stored = seal.checkpoints()
        problems = chain_problems(stored)
        findings = [f.checkpoint_problem(p.number, p.reason, IN_DATABASE) for p in problems]
        vouching = trusted(stored, problems)
        signature_findings: list[f.Finding] = []
        if key is not None:
            signature_findings = unsigned_checkpoints(stored, seal.checkpoint_signatures(), key)
            unsigned = {finding.checkpoint for finding in signature_findings}
            findings += signature_findings
            vouching = [c for c in vouching if c.number not in unsigned]
        if checkpoint_file is not None:
            named = {p.number for p in problems}
            from_file, vouching = _against_file(checkpoint_file, stored, vouching, named)
            findings += from_file
            if key is not None and checkpoint_file.public_key is not None:
                findings += _unsigned_in_file(checkpoint_file, key)
        seal_end = seal.max_position()
        sealed_upto = max(seal_end, vouching[-1].position if vouching else 0)
        head = events.max_position()
        ledger = Ledger(events.irregular_records(LOWEST_POSITION, head))
        every_row = ledger.observe(
            itertools.chain(events.rows(LOWEST_POSITION, head), events.unplaced_rows())
        )
        comparison = compare(
            on_chain(every_row, sealed_upto),
            seal.rows(0, sealed_upto),
            vouching,
            Lookups(events, seal),
            sealed_upto=sealed_upto,
            # Seal rows beyond the last checkpoint: a missing checkpoint, unless a
            # checkpoint problem found above explains them already.
            orphan_checkpoint=None if findings else (vouching[-1].number + 1 if vouching else 1),
            name_events=seal_end > 0,
        )
        found = findings + comparison.findings
        if key is not None and (signature_findings or any(x.kind is f.Kind.CHAIN_BROKEN for x in found)):
            # The checkpoints still trusted bound the search: what they vouch for is intact.
            first = first_difference(events, seal, vouching, key, upto=sealed_upto)
            found = ([first] if first is not None else []) + found
        return Report(
            findings=ledger.findings + found,
            omitted=comparison.omitted + ledger.omitted,
            checked=comparison.checked,
            unsealed=events.count_after(sealed_upto),
            position=events.max_position(),
            checkpoint=vouching[-1] if vouching else None,
            against_file=checkpoint_file is not None,
            against_key=key is not None,
        )


def _against_file(
    file: CheckpointFile, stored: list[Checkpoint], vouching: list[Checkpoint], named: set[int]
) -> tuple[list[f.Finding], list[Checkpoint]]:
    """The file's checkpoints overrule the database's: they were kept where nobody could edit them."""
    if file.problems:
        return [f.file_changed(problem) for problem in file.problems], vouching
    problems = chain_problems(file.checkpoints)
    if problems:
        return [f.checkpoint_problem(p.number, p.reason, IN_FILE) for p in problems], vouching
    findings: list[f.Finding] = []
    by_number = {checkpoint.number: checkpoint for checkpoint in stored}
    for checkpoint in file.checkpoints:
        mine = by_number.get(checkpoint.number)
        if checkpoint.number in named:
            continue
        if mine is None:
            where = f"{IN_DATABASE} men finns {IN_FILE}"
            findings.append(f.checkpoint_problem(checkpoint.number, "saknas", where))
        elif mine != checkpoint:
            where = f"{IN_DATABASE}: den skiljer sig från filens"
            findings.append(f.checkpoint_problem(checkpoint.number, "har ändrats", where))
    if not file.checkpoints:
        return findings, vouching
    last = file.checkpoints[-1]
    later = [c for c in vouching if c.number > last.number] if by_number.get(last.number) == last else []
    return findings, list(file.checkpoints) + later


def _unsigned_in_file(file: CheckpointFile, key: Ed25519PublicKey) -> list[f.Finding]:
    """The file's own checkpoints must carry the key's signatures too: it may have been replaced."""
    signer = file.public_key or ""
    signatures = {n: CheckpointSignature(signer, s) for n, s in file.signatures.items()}
    found = unsigned_checkpoints(file.checkpoints, signatures, key)
    return [dataclasses.replace(x, message=f"{x.message} ({IN_FILE})") for x in found]
