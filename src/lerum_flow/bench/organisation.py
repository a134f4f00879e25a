"""The generated municipality: its chain of positions, and the delegations in force over time."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from lerum_flow.bench.profile import Profile
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.domain.values import derive_id
from lerum_flow.styrmodell import Styrmodell

# Lerum's sectors differ much in size; units are spread over them in these shares.
SECTOR_SHARES = {
    "larande": 0.42,
    "vard-och-omsorg": 0.28,
    "samhallsbyggnad": 0.11,
    "individ-och-familjeomsorg": 0.10,
    "internt-stod": 0.09,
}

PERSONAL, UPPHANDLING, INKOP = "personal", "upphandling", "inkop_inom_budget"
# What each level may decide on delegation: sectors all three, units staff and
# purchases, handläggare (employees with a delegation) purchases only.
SECTOR_MATTERS = (PERSONAL, UPPHANDLING, INKOP)
UNIT_MATTERS = (PERSONAL, INKOP)
HANDLAGGARE_MATTERS = (INKOP,)


def delegering_id(beslut_id: UUID, matter: str, delegate: str) -> UUID:
    """The id `Governance.grant_delegering` gives a delegation (kept in step with it)."""
    return derive_id("delegering", str(beslut_id), matter, delegate)


@dataclass
class Interval:
    start: date
    end: date | None
    id: UUID


@dataclass
class Delegations:
    """Which delegation a delegate decides under on a day, as planned."""

    held: dict[tuple[str, str], list[Interval]] = field(default_factory=dict)

    def grant(self, matter: str, delegate: str, start: date, ident: UUID) -> None:
        self.held.setdefault((matter, delegate), []).append(Interval(start, None, ident))

    def end(self, matter: str, delegate: str, on: date) -> UUID:
        current = self.held[(matter, delegate)][-1]
        current.end = on
        return current.id

    def in_force(self, matter: str, delegate: str, on: date) -> UUID | None:
        for interval in self.held.get((matter, delegate), ()):
            if interval.start <= on and (interval.end is None or on < interval.end):
                return interval.id
        return None

    def current(self) -> list[tuple[str, str, UUID]]:
        """(matter, delegate, id) of every delegation not yet ended."""
        return [(m, d, iv[-1].id) for (m, d), iv in self.held.items() if iv[-1].end is None]


@dataclass
class Municipality:
    """The positions the generator acts as, fixed by the styrmodell or established by it."""

    kf: str
    ks: str
    director: str
    sectors: list[str]
    units: dict[str, list[str]]
    employees: dict[str, list[str]]
    handlaggare: list[str]
    delegations: Delegations = field(default_factory=Delegations)
    unit_list: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.unit_list = [u for codes in self.units.values() for u in codes]

    @classmethod
    def plan(cls, styrmodell: Styrmodell, profile: Profile, rng: random.Random) -> Municipality:
        chain = list(styrmodell.styrkedja())

        def one(kind: PositionKind) -> str:
            return next(p.id for p in chain if p.kind is kind)

        sectors = [p.id for p in chain if p.kind is PositionKind.SEKTORSCHEF]
        units = _spread(profile.units, sectors)
        unit_codes = [u for codes in units.values() for u in codes]
        employees = {
            unit: [f"{unit}-m{n:03d}" for n in range(1, count + 1)]
            for unit, count in zip(unit_codes, _shares(profile.employees, len(unit_codes)), strict=True)
        }
        fixed = 3 + 3 * len(sectors) + 2 * len(unit_codes)
        wanted = max(0, profile.delegations - fixed)
        pool = [e for unit in unit_codes for e in employees[unit][:3]]
        handlaggare = sorted(rng.sample(pool, min(wanted, len(pool))))
        return cls(
            kf=one(PositionKind.FULLMAKTIGE),
            ks=one(PositionKind.STYRELSE),
            director=one(PositionKind.FORVALTNINGSCHEF),
            sectors=sectors,
            units=units,
            employees=employees,
            handlaggare=handlaggare,
        )

    @property
    def organs(self) -> frozenset[str]:
        return frozenset({self.kf, self.ks})

    def sector_of(self, unit: str) -> str:
        return next(s for s, codes in self.units.items() if unit in codes)

    def unit_of(self, employee: str) -> str:
        return employee.rpartition("-m")[0]


def _shares(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole parts."""
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _spread(units: int, sectors: list[str]) -> dict[str, list[str]]:
    """Units per sector by Lerum's shares (sectors not in the table share equally), at least one each."""
    weights = [SECTOR_SHARES.get(s, 1 / len(sectors)) for s in sectors]
    total = sum(weights)
    counts = [max(1, round(units * w / total)) for w in weights]
    while sum(counts) > units and max(counts) > 1:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < units:
        counts[weights.index(max(weights))] += 1
    return {s: [f"{s}-enhet-{n:03d}" for n in range(1, c + 1)] for s, c in zip(sectors, counts, strict=True)}
