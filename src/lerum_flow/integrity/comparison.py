"""The event check: the stored rows against the seal, interval by interval between checkpoints.

The checkpoints (verified before this runs) are the root of trust. Within each
interval both the stored events and the seal's digests are chained from the
previous checkpoint; whichever reproduces the checkpoint's link is intact. So
a difference is blamed on the events when they fail and on the seal when only
it fails, and each event is named by comparing it with its digest in the seal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from lerum_flow.integrity import findings as f
from lerum_flow.integrity.chain import (
    GENESIS,
    Identity,
    StoredRow,
    canonical_id,
    content_digest,
    next_link,
)
from lerum_flow.integrity.checkpoints import Checkpoint


class SealRow(NamedTuple):
    """What the seal recorded about one event: where, which, and its content digest."""

    position: int
    originator_id: str
    originator_version: int
    digest: bytes

    @property
    def identity(self) -> Identity:
        return Identity(self.originator_id, self.originator_version)


class Lookups(Protocol):
    """Where an event is now, and where it was sealed; asked only about differences."""

    def stored_position(self, identity: Identity) -> int | None: ...

    def sealed_position(self, identity: Identity) -> int | None: ...


@dataclass
class _Missing:
    """A missing event; its message names the next event still present, not known yet."""

    position: int
    identity: Identity
    after: int | None
    before: int | None = None

    def finding(self) -> f.Finding:
        return f.missing(self.position, *self.identity, after=self.after, before=self.before)


@dataclass(frozen=True)
class _Departed:
    """An event no longer at its sealed position; it is named where it is now.

    It still explains why this interval's link fails, so no "chain broken"
    finding is added for it.
    """

    position: int


Pending = f.Finding | _Missing | _Departed

# Findings named one by one; beyond this (a whole log renumbered, say) they
# are only counted, so memory stays flat however much was altered.
MAX_NAMED = 10_000


@dataclass
class Comparison:
    findings: list[f.Finding] = field(default_factory=list)
    checked: int = 0
    omitted: int = 0  # findings beyond MAX_NAMED, counted but not named


def compare(
    stored: Iterable[StoredRow],
    sealed: Iterable[SealRow],
    checkpoints: Sequence[Checkpoint],
    lookups: Lookups,
    *,
    sealed_upto: int,
    orphan_checkpoint: int | None,
    name_events: bool = True,
) -> Comparison:
    """Compare stored rows and seal rows up to `sealed_upto`, both in position order.

    `checkpoints` are the trusted ones. Seal rows after the last of them are
    compared too but cannot be vouched for; `orphan_checkpoint` names the
    checkpoint that should cover them, or is None when a reported checkpoint
    problem already explains them. Without `name_events` (no seal rows to
    name them by) only the links are checked, interval by interval.
    """
    comparer = _Comparer(list(checkpoints), lookups, sealed_upto, name_events)
    for position, stored_row, seal_row in _merged(iter(stored), iter(sealed)):
        comparer.step(position, stored_row, seal_row)
    return comparer.finish(orphan_checkpoint)


def _merged(
    stored: Iterator[StoredRow], sealed: Iterator[SealRow]
) -> Iterator[tuple[int, StoredRow | None, SealRow | None]]:
    s = next(stored, None)
    m = next(sealed, None)
    while s is not None or m is not None:
        if m is None or (s is not None and s.position < m.position):
            assert s is not None
            yield s.position, s, None
            s = next(stored, None)
        elif s is None or m.position < s.position:
            yield m.position, None, m
            m = next(sealed, None)
        else:
            yield s.position, s, m
            s, m = next(stored, None), next(sealed, None)


class _Comparer:
    def __init__(
        self, checkpoints: list[Checkpoint], lookups: Lookups, sealed_upto: int, name_events: bool
    ) -> None:
        self.checkpoints = checkpoints
        self.name_events = name_events
        self.lookups = lookups
        self.sealed_upto = sealed_upto
        self.closing = 0  # index of the checkpoint that closes the current interval
        self.start = 0
        self.store_link = GENESIS
        # The seal's own chain, kept only once it differs from the events' (it
        # rarely does, and then only this interval pays for a second hash).
        self.seal_link: bytes | None = None
        self.pending: list[Pending] = []
        self.done: list[Pending] = []
        self.unresolved: list[_Missing] = []
        self.last_present: int | None = None
        self.orphans: list[int] = []
        self.result = Comparison()
        self.vouched = False
        self.boundary: float = math.inf
        self._next_boundary()

    def step(self, position: int, stored: StoredRow | None, sealed: SealRow | None) -> None:
        while position > self.boundary:
            self._close(self.checkpoints[self.closing])
        if stored is not None and sealed is not None:
            self._both(position, stored, sealed)
        else:
            self._one(position, stored, sealed)

    def _both(self, position: int, stored: StoredRow, sealed: SealRow) -> None:
        digest = content_digest(stored)
        as_sealed = digest == sealed.digest
        if not as_sealed:
            self._part()
        self._advance_store(position, digest)
        self._advance_seal(position, sealed)
        if not self.name_events:
            return
        if not as_sealed:
            self._note(self._differs(position, stored, sealed))
        elif (sealed.originator_id, sealed.originator_version) != (
            canonical_id(stored.originator_id),
            stored.originator_version,
        ):
            # The event is as sealed, but the seal's label for it is not.
            self._note([f.seal_changed(position, None)])

    def _one(self, position: int, stored: StoredRow | None, sealed: SealRow | None) -> None:
        self._part()
        if stored is not None:
            self._advance_store(position, content_digest(stored))
            if self.name_events:
                self._note([self._arrived(position, stored)])
        if sealed is not None:
            self._advance_seal(position, sealed)
            if self.name_events:
                self._note(self._left(position, sealed))

    def _note(self, found: list[Pending]) -> None:
        if len(self.done) + len(self.pending) < MAX_NAMED:
            self.pending += found
        else:
            self.result.omitted += sum(not isinstance(p, _Departed) for p in found)

    def _part(self) -> None:
        """From here on the seal's chain differs from the events' and is computed on its own."""
        if self.seal_link is None:
            self.seal_link = self.store_link

    def _advance_store(self, position: int, digest: bytes) -> None:
        self.store_link = next_link(self.store_link, position, digest)
        self.result.checked += self.vouched
        for waiting in self.unresolved:
            waiting.before = position
        self.unresolved.clear()
        self.last_present = position

    def _advance_seal(self, position: int, sealed: SealRow) -> None:
        if self.seal_link is not None:
            self.seal_link = next_link(self.seal_link, position, sealed.digest)
        if not self.vouched:
            self.orphans.append(position)

    def finish(self, orphan_checkpoint: int | None) -> Comparison:
        while self.vouched:
            self._close(self.checkpoints[self.closing])
        self.done += self.pending
        findings = [_finding(p) for p in self.done if not isinstance(p, _Departed)]
        if self.orphans and orphan_checkpoint is not None:
            findings.append(f.unsealed_seal_rows(self.orphans[0], self.orphans[-1], orphan_checkpoint))
        self.result.findings = findings
        return self.result

    def _close(self, checkpoint: Checkpoint) -> None:
        events_intact = self.store_link.hex() == checkpoint.link
        # No separate seal chain means it never parted from the events' chain.
        seal_link = self.store_link if self.seal_link is None else self.seal_link
        seal_intact = seal_link.hex() == checkpoint.link
        if events_intact:
            # The events reproduce the checkpoint: what differs is the seal's record of them.
            self.done += [f.seal_changed(_position(p), checkpoint.number) for p in self.pending]
        else:
            self.done += [p for p in self.pending if not isinstance(p, _Departed)]
            if not seal_intact or not self.pending:
                self.done.append(
                    f.chain_broken(self.start, checkpoint.position, checkpoint.number, checkpoint.sealed_at)
                )
        self.pending = []
        self.store_link = bytes.fromhex(checkpoint.link)
        self.seal_link = None
        self.start = checkpoint.position
        self.closing += 1
        self._next_boundary()

    def _next_boundary(self) -> None:
        """The position closing the current interval; past the last checkpoint, none."""
        self.vouched = self.closing < len(self.checkpoints)
        self.boundary = self.checkpoints[self.closing].position if self.vouched else math.inf

    def _differs(self, position: int, stored: StoredRow, sealed: SealRow) -> list[Pending]:
        if stored.identity == sealed.identity:
            return [f.changed(position, *sealed.identity)]
        return self._replaced(position, stored, sealed)

    def _arrived(self, position: int, stored: StoredRow) -> f.Finding:
        came_from = self.lookups.sealed_position(stored.identity)
        if came_from is not None and came_from != position:
            return f.moved(position, came_from, *stored.identity)
        return f.inserted(position, *stored.identity)

    def _left(self, position: int, sealed: SealRow) -> list[Pending]:
        now_at = self.lookups.stored_position(sealed.identity)
        if now_at is None:
            gone = _Missing(position, sealed.identity, after=self.last_present)
            self.unresolved.append(gone)
            return [gone]
        if now_at > self.sealed_upto:  # the comparison never reaches it there
            return [f.moved(now_at, position, *sealed.identity)]
        return [_Departed(position)]

    def _replaced(self, position: int, stored: StoredRow, sealed: SealRow) -> list[Pending]:
        came_from = self.lookups.sealed_position(stored.identity)
        now_at = self.lookups.stored_position(sealed.identity)
        found: list[Pending] = []
        if came_from is not None:
            found.append(f.moved(position, came_from, *stored.identity))
        elif now_at is not None:
            found.append(f.inserted(position, *stored.identity))
        else:
            originator_id, version = stored.identity
            now = f"aggregat {f.display_id(originator_id)}, version {version}"
            return [f.changed(position, *sealed.identity, now=now)]
        if now_at is None:
            found.append(_Missing(position, sealed.identity, after=None))
        elif now_at > self.sealed_upto:
            found.append(f.moved(now_at, position, *sealed.identity))
        return found


def _position(pending: Pending) -> int:
    position = pending.position
    assert position is not None
    return position


def _finding(pending: f.Finding | _Missing) -> f.Finding:
    return pending.finding() if isinstance(pending, _Missing) else pending
