"""What is wrong with a styrmodell: each problem where it is, and all of them as one exception."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is, and in Swedish what would be right."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class StyrmodellInvalid(Exception):  # noqa: N818 - the name is the agreed public API
    """A styrmodell cannot be used; `problems` lists everything found wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        # The problems are the only argument, so the exception survives pickling.
        super().__init__(list(problems))
        self.problems: list[Problem] = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
