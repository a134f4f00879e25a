"""The one rule for whether a delegation carries a decision on a day: its whole chain in force then.

A delegate decides under its own delegation; a vidaredelegation rests on the
delegation above it, and so on up to the organ that delegated first. On a day,
every link of that chain must be in force: one revoked, not yet begun or
missing breaks it, and everything below falls with it. The command path
(`Governance`, from loaded aggregates) and the auditor's replay (`audit
authority`, from view rows) both ask `broken_link`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar
from uuid import UUID


class DelegationLink(Protocol):
    """A delegation as the chain reads it: a Delegering aggregate or a row of the delegering view."""

    @property
    def id(self) -> UUID: ...
    @property
    def granted_by(self) -> str: ...
    @property
    def delegate(self) -> str: ...
    @property
    def matter(self) -> str: ...
    @property
    def parent_id(self) -> UUID | None: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...


TLink = TypeVar("TLink", bound=DelegationLink)


def in_force(valid_from: date, valid_until: date | None, day: date) -> bool:
    """From the first day up to, but not on, the day it was revoked from."""
    return valid_from <= day and (valid_until is None or day < valid_until)


def chain_of(first: TLink, find: Callable[[UUID], TLink | None]) -> tuple[TLink, ...]:
    """`first` and the delegations it rests on, nearest first, as far as `find` finds them."""
    chain = [first]
    parent_id = first.parent_id
    while parent_id is not None and all(link.id != parent_id for link in chain):
        parent = find(parent_id)
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    return tuple(chain)


def in_force_from(chain: Sequence[DelegationLink], day: date) -> bool:
    """Whether a delegation (`chain`: it and those it rests on, `chain_of`) may still carry a decision
    on `day` or later: no link revoked from `day` or earlier (a vidaredelegation falls with the one
    it rests on, `resting_on`); one not yet begun will be in force once it begins."""
    return all(link.valid_until is None or link.valid_until > day for link in chain)


class Break(StrEnum):
    """How a link fails to carry a decision on a day."""

    NOT_YET = "ej_borjat"
    REVOKED = "aterkallad"
    MISSING = "saknas"
    DETACHED = "fristaende"


@dataclass(frozen=True)
class BrokenLink:
    """The link that breaks a chain on a day, and why, in words a refusal and an auditor both show."""

    delegering_id: UUID
    why: Break
    since: date | None
    own: bool
    message: str

    @property
    def rule(self) -> str:
        # The delegate's own delegation out of force keeps the rule it always had.
        return (
            "delegering_i_kraft"
            if self.own and self.why in (Break.NOT_YET, Break.REVOKED)
            else "delegeringskedja"
        )

    @property
    def field(self) -> str:
        """What the refused command got wrong: its date, or the delegation it named."""
        return "date" if self.rule == "delegering_i_kraft" else "delegering"


def describe(link: DelegationLink) -> str:
    return f"delegeringen {link.id} ({link.matter}: {link.granted_by} → {link.delegate})"


def broken_link(chain: Sequence[DelegationLink], on: date) -> BrokenLink | None:
    """The first link, from the delegate's own upward, that does not carry a decision on `on`."""
    for depth, link in enumerate(chain):
        above = chain[depth + 1] if depth + 1 < len(chain) else None
        broken = _link_broken(link, above, on, own=depth == 0)
        if broken is not None:
            return broken
    return None


def _link_broken(
    link: DelegationLink, above: DelegationLink | None, on: date, *, own: bool
) -> BrokenLink | None:
    what = describe(link)
    day = on.isoformat()
    if on < link.valid_from:
        rests = "" if own else "; vidaredelegationen vilar på den"
        since = link.valid_from
        return BrokenLink(
            link.id,
            Break.NOT_YET,
            since,
            own,
            f"{_cap(what)} gällde inte {day}: den gäller från {since.isoformat()}{rests}.",
        )
    if link.valid_until is not None and link.valid_until <= on:
        falls = "" if own else "; vidaredelegationen föll med den"
        until = link.valid_until
        return BrokenLink(
            link.id,
            Break.REVOKED,
            until,
            own,
            f"{_cap(what)} gällde inte {day}: den återkallades från {until.isoformat()}{falls}.",
        )
    if link.parent_id is not None and above is None:
        return BrokenLink(
            link.id,
            Break.MISSING,
            None,
            own,
            f"{_cap(what)} vilar på delegeringen {link.parent_id}, som inte finns i registret.",
        )
    if above is not None and (above.delegate != link.granted_by or above.matter != link.matter):
        return BrokenLink(
            link.id,
            Break.DETACHED,
            None,
            own,
            f"{_cap(what)} hänger inte ihop med {describe(above)}: bara dess delegat kan vidaredelegera, "
            "och bara i samma beslutsområde.",
        )
    return None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def resting_on(revoked: DelegationLink, delegations: Iterable[TLink]) -> list[TLink]:
    """The vidaredelegationer that fall when `revoked` ends: those resting on it, at any depth, that
    would otherwise still be in force on or after the day it ends (one that ended earlier fell then)."""
    if revoked.valid_until is None:
        return []
    ended = revoked.valid_until
    every = list(delegations)
    falling: set[UUID] = {revoked.id}
    found: list[TLink] = []
    grown = True
    while grown:
        grown = False
        for link in every:
            outlives = link.valid_until is None or link.valid_until > ended
            if link.parent_id in falling and link.id not in falling and outlives:
                falling.add(link.id)
                found.append(link)
                grown = True
    return sorted(found, key=lambda link: (link.valid_from, str(link.id)))
