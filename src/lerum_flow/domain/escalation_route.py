"""Where a deviation goes: the level that first receives it, and the levels it may be moved up to.

Pure functions over the chain above a level (nearest first, as
`lerum_flow.domain.styrkedja.chain_above` gives it) and the styrmodell's severities.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.styrkedja import Position, PositionKind

# Kinds KS has uppsikt over without standing above them in the chain (KL 6 kap. 1 §).
UNDER_UPPSIKT = frozenset({PositionKind.NAMND, PositionKind.BOLAG})


class Severity(Protocol):
    """A severity of the styrmodell; `direkt_till` names the kind of organ it goes straight to."""

    @property
    def kod(self) -> str: ...
    @property
    def direkt_till(self) -> str | None: ...


def with_uppsikt(holder: Position, chain: Sequence[Position], styrelse: Position | None) -> list[Position]:
    """The levels above `holder` a deviation goes through: its chain, with the styrelse after a
    nämnd or bolag that stands directly under fullmäktige. KS has uppsikt over them (KL 6 kap.
    1 §) without being above them, so a deviation that matters to the whole reaches KS before KF."""
    above = list(chain)
    if styrelse is None or any(p.id == styrelse.id for p in above):
        return above
    path = [holder, *above]
    for index, position in enumerate(path[:-1]):
        if position.kind in UNDER_UPPSIKT and path[index + 1].kind is PositionKind.FULLMAKTIGE:
            return [*above[:index], styrelse, *above[index:]]
    return above


def first_level(reporter: Position, chain: Sequence[Position], severity: Severity) -> str:
    """The level that receives a new deviation: the reporter's superior, or further up
    when the severity goes straight to a given kind of organ."""
    if not chain:
        return reporter.id
    if severity.direkt_till:
        for position in chain:
            if str(position.kind) == severity.direkt_till:
                return position.id
    return chain[0].id


def informed_levels(chain: Sequence[Position], severity: Severity | None) -> list[str]:
    """Levels told of a deviation besides the one holding it: only the top of the chain (KF)
    can change the budget, so a grave deviation that goes straight past the routine levels
    is also told to it."""
    return [chain[-1].id] if severity is not None and severity.direkt_till and chain else []


def escalation_target(level: str, chain: Sequence[Position], to_level: str) -> tuple[str, list[str]]:
    """The level a deviation held at `level` is escalated to (`to_level`, or the next one up)
    and the levels it passes over on the way."""
    if not chain:
        raise InvalidState(
            f"Avvikelsen ligger redan hos '{level}', högst upp i styrkedjan.",
            field="to",
            rule="hogsta_niva",
        )
    ids = [p.id for p in chain]
    target = to_level or ids[0]
    if target not in ids:
        raise InvalidInput(
            f"'{target}' står inte över '{level}'; eskalera till en av: {', '.join(ids)}.",
            field="to",
            rule="eskalera_uppat",
        )
    return target, ids[: ids.index(target)]


def next_level(chain: Sequence[Position]) -> str | None:
    """The level a deviation goes to when its level lets the deadline pass; None at the top."""
    return chain[0].id if chain else None


def check_informable(level: str, holder: str, chain: Sequence[Position]) -> None:
    """Refuse to inform a level that does not stand above the one holding the deviation."""
    if level not in [p.id for p in chain]:
        raise InvalidInput(
            f"'{level}' står inte över '{holder}' i styrkedjan.",
            field="level",
            rule="informera_uppat",
        )
