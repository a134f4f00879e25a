"""What is wrong with a styrmodell: each problem where it is, and all of them as one exception."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is, and in Swedish what would be right.

    `location` is the key path ('befattning[3].under'); `line` and `column` (from 1)
    are where that is written in the file, when it is written there; `block` names
    the part of the file it lies in ("befattning 'ks-au'", 'kalender').
    """

    location: str
    message: str
    line: int | None = None
    column: int | None = None
    block: str = ""

    @property
    def place(self) -> str:
        """Line and column in words, e.g. 'rad 12, kolumn 3'; empty when not known."""
        if self.line is None:
            return ""
        return f"rad {self.line}, kolumn {self.column}" if self.column else f"rad {self.line}"

    @property
    def place_beside_location(self) -> str:
        """The place, unless the location already is one (a syntax error's 'rad 11, kolumn 26')."""
        return "" if self.location.startswith(self.place) else self.place

    def where(self) -> str:
        """Everything that says where: place, key path and block, e.g.
        "rad 45, kolumn 1, befattning[3].under (befattning 'ks-au')"."""
        place = self.place_beside_location
        text = f"{place}, {self.location}" if place else self.location
        return f"{text} ({self.block})" if self.block else text

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class StyrmodellInvalid(Exception):  # noqa: N818 - the name is the agreed public API
    """A styrmodell cannot be used; `problems` lists everything found wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        # The problems are the only argument, so the exception survives pickling.
        super().__init__(list(problems))
        self.problems: list[Problem] = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
