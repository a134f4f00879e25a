"""Checkpoints: where the chain stood at each seal, themselves chained so none can be altered alone."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

# The first checkpoint's `previous`; changing it invalidates every stored checkpoint.
CHECKPOINT_GENESIS = hashlib.sha256(b"lerum-flow kontrollpunkter v1").hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """Seal number `number`: events up to `position` (`event_count` of them) chain to `link`."""

    number: int
    position: int
    event_count: int
    link: str
    sealed_at: str
    previous: str
    hash: str

    @classmethod
    def after(
        cls, previous: Checkpoint | None, *, position: int, event_count: int, link: str, sealed_at: str
    ) -> Checkpoint:
        number = 1 if previous is None else previous.number + 1
        previous_hash = CHECKPOINT_GENESIS if previous is None else previous.hash
        fields = (number, position, event_count, link, sealed_at, previous_hash)
        return cls(*fields, hash=checkpoint_hash(*fields))

    @property
    def is_self_consistent(self) -> bool:
        if not _is_sha256_hex(self.link):
            return False
        return self.hash == checkpoint_hash(
            self.number, self.position, self.event_count, self.link, self.sealed_at, self.previous
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_sha256_hex(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def checkpoint_hash(
    number: int, position: int, event_count: int, link: str, sealed_at: str, previous: str
) -> str:
    # JSON of a list: unambiguous, and easy to recompute by hand from the export file.
    payload = json.dumps([number, position, event_count, link, sealed_at, previous])
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class CheckpointProblem:
    """A checkpoint that is not what the chain of checkpoints says it was."""

    number: int
    reason: str


def chain_problems(checkpoints: list[Checkpoint]) -> list[CheckpointProblem]:
    """Every checkpoint altered, removed from the middle, or cut loose from its predecessor."""
    problems: list[CheckpointProblem] = []
    previous: Checkpoint | None = None
    for checkpoint in sorted(checkpoints, key=lambda c: c.number):
        expected_number = 1 if previous is None else previous.number + 1
        for missing in range(expected_number, checkpoint.number):
            problems.append(CheckpointProblem(missing, "saknas"))
        if not checkpoint.is_self_consistent:
            problems.append(CheckpointProblem(checkpoint.number, "har ändrats"))
        elif checkpoint.number == expected_number:
            expected_previous = CHECKPOINT_GENESIS if previous is None else previous.hash
            if checkpoint.previous != expected_previous and previous is not None:
                # This one hashes correctly, so its predecessor was rewritten (hash and all).
                problems.append(CheckpointProblem(previous.number, "har ändrats"))
            elif checkpoint.previous != expected_previous:
                problems.append(CheckpointProblem(checkpoint.number, "har ändrats"))
        if previous is not None and checkpoint.position <= previous.position:
            problems.append(CheckpointProblem(checkpoint.number, "har ändrats"))
        previous = checkpoint
    return _unique(problems)


def _unique(problems: list[CheckpointProblem]) -> list[CheckpointProblem]:
    return list(dict.fromkeys(problems))


def trusted(checkpoints: list[Checkpoint], problems: list[CheckpointProblem]) -> list[Checkpoint]:
    """The checkpoints no problem names, in order: the boundaries the event check relies on."""
    named = {problem.number for problem in problems}
    return [c for c in sorted(checkpoints, key=lambda c: c.number) if c.number not in named]
