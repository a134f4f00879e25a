"""Kommunallagen as data, version by version: what fullmäktige alone decides, and what only an organ does.

A rule that depends on the law asks `kommunallag_on(day)` for the version in
force on the day an act takes effect. A change of the law is a new entry in
`KOMMUNALLAGAR` with its first day; acts of earlier days are still judged by
the law of their day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Ground:
    """Where the law says a thing (`paragraph`, e.g. '5 kap. 1 § 7') and what it says, as quoted."""

    paragraph: str
    text: str

    def cite(self) -> str:
        return f"{self.text} (KL {self.paragraph})"


@dataclass(frozen=True)
class ReservedMatter:
    """A matter only fullmäktige decides (KL 5 kap. 1 §); `kinds` are the kinds of decision taken in it."""

    ground: Ground
    kinds: frozenset[str]


@dataclass(frozen=True)
class Kommunallag:
    """One version of the law, from its first day, with what the engine's rules read of it."""

    sfs: str
    in_force_from: date
    # What fullmäktige decides (5 kap. 1 §), and the matters it names.
    fullmaktige_decides: Ground
    reserved_to_fullmaktige: tuple[ReservedMatter, ...]
    # Fullmäktige may let a nämnd decide in its place, but not in a reserved matter.
    fullmaktige_delegates: Ground
    # Kinds of decision an organ takes at its meeting, never a delegate.
    organ_only_kinds: Mapping[str, Ground]
    # The one decision of an organ-only kind a delegate takes: a förvaltningschef's
    # vidaredelegation, recorded as a delegationsordning under its own delegation.
    vidaredelegation: Ground
    # The styrelse's uppsikt over the other nämnder and the bolag, and its right to ask
    # them for statements and information: a relation of its own beside the chain.
    styrelsens_uppsikt: Ground
    begara_upplysningar: Ground

    def reserved_matter(self, kinds: Iterable[str]) -> ReservedMatter | None:
        """The reserved matter the first of `kinds` that falls in one belongs to."""
        wanted = frozenset(kinds)
        return next((m for m in self.reserved_to_fullmaktige if m.kinds & wanted), None)


def _reserved(point: int, text: str, *kinds: str) -> ReservedMatter:
    return ReservedMatter(Ground(f"5 kap. 1 § {point}", text), frozenset(kinds))


_RESERVED_2017 = (
    _reserved(1, "mål och riktlinjer för verksamheten", "vilja_och_mal"),
    _reserved(2, "budget, skatt och andra viktiga ekonomiska frågor", "budget"),
    _reserved(3, "nämndernas organisation och verksamhetsformer", "reglemente"),
    _reserved(4, "val av ledamöter och ersättare i nämnder och beredningar"),
    _reserved(5, "val av revisorer"),
    _reserved(6, "grunderna för ekonomiska förmåner till förtroendevalda"),
    _reserved(7, "årsredovisning och ansvarsfrihet", "arsredovisning", "ansvarsfrihet"),
    _reserved(8, "folkomröstning i kommunen"),
    _reserved(9, "extra val till fullmäktige"),
)

KL_2017 = Kommunallag(
    sfs="2017:725",
    in_force_from=date(2018, 1, 1),
    fullmaktige_decides=Ground(
        "5 kap. 1 §", "ärenden av principiell beskaffenhet eller annars av större vikt för kommunen"
    ),
    reserved_to_fullmaktige=_RESERVED_2017,
    fullmaktige_delegates=Ground(
        "5 kap. 2 §",
        "fullmäktige får uppdra åt en nämnd att besluta i dess ställe, utom i ärenden enligt 1 §",
    ),
    organ_only_kinds={
        **{kind: matter.ground for matter in _RESERVED_2017 for kind in matter.kinds},
        "delegationsordning": Ground("6 kap. 37 §", "nämndens beslut om delegering"),
        "verksamhetsplan": Ground("6 kap. 38 § 1", "verksamhetens mål och inriktning"),
        "uppfoljningsplan": Ground("6 kap. 6 §", "nämndens uppföljning och interna kontroll"),
        "delarsrapport": Ground("6 kap. 38 § 2", "framställningar till fullmäktige"),
        "agardirektiv": Ground("10 kap. 3 §", "fullmäktiges styrning av ett kommunalt bolag"),
    },
    vidaredelegation=Ground("7 kap. 6 §", "förvaltningschefens vidaredelegation"),
    styrelsens_uppsikt=Ground(
        "6 kap. 1 §", "styrelsen ska ha uppsikt över övriga nämnders verksamhet och över kommunens bolag"
    ),
    begara_upplysningar=Ground(
        "6 kap. 3 §", "styrelsen får begära in yttranden och upplysningar från nämnderna"
    ),
)

# Oldest first. The engine holds no law before 2017:725; an earlier day is judged
# by it (its 5 kap. 1 § largely restates 3 kap. 9 § of 1991:900, prop. 2016/17:171).
KOMMUNALLAGAR: tuple[Kommunallag, ...] = (KL_2017,)


def kommunallag_on(day: date) -> Kommunallag:
    """The version of the law in force on `day`."""
    in_force = [law for law in KOMMUNALLAGAR if law.in_force_from <= day]
    return in_force[-1] if in_force else KOMMUNALLAGAR[0]


def newest_kommunallag() -> Kommunallag:
    """The newest version: what a styrmodell, which describes governance from now on, is held to."""
    return KOMMUNALLAGAR[-1]
