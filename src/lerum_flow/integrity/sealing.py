"""Sealing: extend the chain over the events appended since the last seal and record a checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lerum_flow.domain.errors import InvalidState
from lerum_flow.integrity.chain import GENESIS, content_digest, next_link
from lerum_flow.integrity.checkpoints import Checkpoint, chain_problems
from lerum_flow.integrity.comparison import SealRow
from lerum_flow.integrity.signing import checkpoint_message, link_message, public_hex, short_text
from lerum_flow.integrity.stores import PAGE_SIZE, CheckpointSignature, EventLog, SealStore


@dataclass(frozen=True)
class SealOutcome:
    """The checkpoint now in force, and how many events this seal added (0: nothing new)."""

    checkpoint: Checkpoint | None
    new_events: int

    def as_dict(self) -> dict[str, object]:
        return {
            "nya_handelser": self.new_events,
            "kontrollpunkt": None if self.checkpoint is None else self.checkpoint.as_dict(),
            "kontrollsumma": None if self.checkpoint is None else short_text(self.checkpoint.hash),
        }


def seal(
    log: EventLog, seals: SealStore, *, now: datetime, key: Ed25519PrivateKey | None = None
) -> SealOutcome:
    """Chain the new events; with the auditors' key, sign each new link and the checkpoint."""
    # Once sealed, what is sealed must not change where the database can refuse it.
    log.make_append_only()
    with seals.sealing() as writer:
        checkpoints = writer.checkpoints()
        last = checkpoints[-1] if checkpoints else None
        sealed_beyond = writer.max_position() > (0 if last is None else last.position)
        if chain_problems(checkpoints) or sealed_beyond:
            # Chaining on from an altered or removed checkpoint would make the alteration look sealed.
            raise InvalidState(
                "Kontrollpunkterna i lagret är inte intakta; förseglingen fortsätter inte. "
                "Kör 'lerum-flow audit verify' för att se vad som ändrats.",
                rule="kontrollpunkter_intakta",
            )
        link = GENESIS if last is None else bytes.fromhex(last.link)
        position = 0 if last is None else last.position
        added = 0
        batch: list[SealRow] = []
        signatures: list[tuple[int, bytes]] = []
        with log.reading() as events:
            for row in events.rows(position, events.max_position()):
                digest = content_digest(row)
                link = next_link(link, row.position, digest)
                batch.append(SealRow(row.position, *row.identity, digest))
                if key is not None:
                    signatures.append((row.position, key.sign(link_message(row.position, link))))
                position = row.position
                added += 1
                if len(batch) >= PAGE_SIZE:
                    writer.add_rows(batch)
                    writer.add_link_signatures(signatures)
                    batch, signatures = [], []
        writer.add_rows(batch)
        writer.add_link_signatures(signatures)
        if added == 0:
            return SealOutcome(last, 0)
        checkpoint = Checkpoint.after(
            last,
            position=position,
            event_count=added + (0 if last is None else last.event_count),
            link=link.hex(),
            sealed_at=now.isoformat(timespec="seconds"),
        )
        writer.add_checkpoint(checkpoint)
        if key is not None:
            signature = key.sign(checkpoint_message(checkpoint.hash))
            writer.add_checkpoint_signature(
                checkpoint.number, CheckpointSignature(public_hex(key.public_key()), signature)
            )
        return SealOutcome(checkpoint, added)
