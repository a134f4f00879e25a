"""What the auditors' key vouches for: checkpoints it signed, and the first event it no longer does.

A consistent rewrite (event, digest, chain and checkpoints all recomputed) leaves
nothing to compare against inside the database; only the signatures, made with a
key the database never held, still speak for the history as sealed. Each sealed
link is signed, and a link vouches for every event up to it, so the signatures
that still verify form a prefix: a binary search finds where it ends, which is
the first event that differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lerum_flow.integrity import findings as f
from lerum_flow.integrity.chain import GENESIS, Identity, content_digest, next_link
from lerum_flow.integrity.checkpoints import Checkpoint
from lerum_flow.integrity.signing import checkpoint_message, link_message, public_hex, verifies
from lerum_flow.integrity.stores import CheckpointSignature, EventReader, SealReader

# Below any position a database hands out: rows stored there are read like the rest.
LOWEST_POSITION = -(2**63)


def unsigned_checkpoints(
    checkpoints: Sequence[Checkpoint], signatures: dict[int, CheckpointSignature], key: Ed25519PublicKey
) -> list[f.Finding]:
    """A finding for every checkpoint the key did not sign as it now reads."""
    found: list[f.Finding] = []
    for checkpoint in checkpoints:
        signed = signatures.get(checkpoint.number)
        if signed is None:
            found.append(f.checkpoint_unsigned(checkpoint.number, "saknar revisorernas signatur"))
        elif signed.public_key != public_hex(key):
            found.append(f.checkpoint_unsigned(checkpoint.number, "är signerad med en annan nyckel"))
        elif not verifies(key, signed.signature, checkpoint_message(checkpoint.hash)):
            found.append(
                f.checkpoint_unsigned(
                    checkpoint.number,
                    "stämmer inte med revisorernas signatur: den har skrivits om efter förseglingen",
                )
            )
    return found


class _Linked(NamedTuple):
    position: int
    link: bytes
    identity: Identity


def first_difference(
    events: EventReader,
    seal: SealReader,
    signed_checkpoints: Sequence[Checkpoint],
    key: Ed25519PublicKey,
    *,
    upto: int,
) -> f.Finding | None:
    """The first stored event whose link the key did not sign, if any up to `upto`.

    Intervals that end in a checkpoint the key signed and the stored events
    reproduce are intact and skipped; the search runs within the first that is not.
    """
    boundaries = sorted(signed_checkpoints, key=lambda c: c.position)
    link = GENESIS
    since_intact: list[_Linked] = []
    for row in events.rows(LOWEST_POSITION, upto):
        while boundaries and row.position > boundaries[0].position:
            if link.hex() != boundaries[0].link:
                return _search(since_intact, seal, key)
            since_intact.clear()
            boundaries.pop(0)
        link = next_link(link, row.position, content_digest(row))
        since_intact.append(_Linked(row.position, link, row.identity))
    if boundaries and link.hex() == boundaries[0].link:
        return None
    return _search(since_intact, seal, key)


def _search(candidates: list[_Linked], seal: SealReader, key: Ed25519PublicKey) -> f.Finding | None:
    if not candidates:
        return None
    signatures = seal.link_signatures(candidates[0].position - 1, candidates[-1].position)

    def vouched(linked: _Linked) -> bool:
        signature = signatures.get(linked.position)
        return signature is not None and verifies(key, signature, link_message(linked.position, linked.link))

    low, high = 0, len(candidates)
    while low < high:
        middle = (low + high) // 2
        if vouched(candidates[middle]):
            low = middle + 1
        else:
            high = middle
    if low == len(candidates):
        return None
    first = candidates[low]
    # No signature at all is not evidence of a rewrite: the events may have been sealed without the
    # key. The finding says so, and that the signature may also have been removed.
    return f.first_difference(first.position, *first.identity, signed=first.position in signatures)
