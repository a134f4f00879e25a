"""The demo's municipality: one organisation for the workload generator, the simulation and the bench.

Below the fixed chain of the styrmodell (KF, KS, kommundirektör, sectors, or
nämnder with förvaltningar of their own; `operating_heads`):
units spread over the sectors in Lerum's shares, each with its enhetschef,
employees under each unit, and a few handläggare holding a delegation. Events
carry only position codes and pseudonymous person ids, never names (see
docs/arkitektur.md, "Personal data").
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.profile import Profile
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.forordnande import Role
from lerum_flow.domain.styrkedja import Position, PositionKind, Styrkedja
from lerum_flow.staffing import Seat, StaffingAct, record_plan, staffing_plan
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
# The person recorded for an organ's decisions: the secretariat that keeps its minutes,
# KF's and KS's sekreterare.
KANSLI = "p-kansli-01"
# An elected member of KS: KS appoints its sekreterare and the kommundirektör by decision.
KS_LEDAMOT = "p-ks-01"
# The elected auditor KF chooses with KS: without one, nobody could open the demo's store as a revisor.
REVISOR = "p-rev-01"

# The levels appointed one after another, each once it is established.
Level = Literal["chain", "units", "employees"]


@dataclass(frozen=True)
class Establishment:
    """A position below the fixed chain, established by the position above it (`parent`)."""

    code: str
    name: str
    kind: str
    parent: str


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
class Organisation:
    """The positions people act in, fixed by the styrmodell or established below it."""

    kf: str
    ks: str
    director: str
    sectors: list[str]
    units: dict[str, list[str]]
    employees: dict[str, list[str]]
    handlaggare: list[str]
    namnder: list[str] = field(default_factory=list)
    # The position directly above each sector: the director, or the sector's own nämnd.
    heads: dict[str, str] = field(default_factory=dict)
    # The bolag, each with its board (an organ) and its VD under it.
    bolag: list[str] = field(default_factory=list)
    bolag_staff: list[str] = field(default_factory=list)
    # The revisorer's positions (Lerum's one `revisorer`), each held by REVISOR.
    auditors: list[str] = field(default_factory=list)
    delegations: Delegations = field(default_factory=Delegations)
    unit_list: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.unit_list = [u for codes in self.units.values() for u in codes]

    @classmethod
    def plan(cls, styrmodell: Styrmodell, profile: Profile, rng: random.Random) -> Organisation:
        chain = list(styrmodell.styrkedja())

        def one(kind: PositionKind) -> str:
            return next(p.id for p in chain if p.kind is kind)

        sectors = operating_heads(chain)
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
        ks = one(PositionKind.STYRELSE)
        by_id = {p.id: p for p in chain}
        return cls(
            kf=one(PositionKind.FULLMAKTIGE),
            ks=ks,
            director=next(
                (p.id for p in chain if p.kind is PositionKind.FORVALTNINGSCHEF and p.parent == ks),
                one(PositionKind.FORVALTNINGSCHEF),
            ),
            sectors=sectors,
            units=units,
            employees=employees,
            handlaggare=handlaggare,
            # The nämnder that head a förvaltning of their own (none in a sector-based model).
            namnder=sorted(
                {
                    parent
                    for s in sectors
                    if (parent := by_id[s].parent) is not None and by_id[parent].kind is PositionKind.NAMND
                }
            ),
            heads={s: by_id[s].parent or "" for s in sectors},
            bolag=[p.id for p in chain if p.kind is PositionKind.BOLAG],
            bolag_staff=[
                p.id
                for p in chain
                if p.parent is not None and by_id[p.parent].kind is PositionKind.BOLAG and not p.is_organ
            ],
            auditors=[p.id for p in chain if p.kind is PositionKind.REVISION],
        )

    @property
    def organs(self) -> frozenset[str]:
        return frozenset({self.kf, self.ks, *self.namnder, *self.bolag})

    def sectors_under(self, head: str) -> list[str]:
        """The sectors (förvaltningar) whose head is `head`: the director's, or a nämnd's."""
        return [s for s in self.sectors if self.heads.get(s) == head]

    def sector_of(self, unit: str) -> str:
        return next(s for s, codes in self.units.items() if unit in codes)

    def unit_of(self, employee: str) -> str:
        return employee.rpartition("-m")[0]

    def units_of(self, sector: str) -> list[str]:
        return self.units.get(sector, [])

    def person(self, position: str) -> str:
        """The pseudonymous person who acts in `position`; the organs act through the kanslienhet."""
        if position in self.auditors:
            return REVISOR
        return KANSLI if position in self.organs else f"p-{position}"

    def chain_seats(self) -> list[Seat]:
        """Who holds the fixed chain: the kanslienhet records for KF (taking the register into
        use), KS, each nämnd heading a förvaltning and each bolag's board, a member of each
        appoints, the revisorer and every official (a bolag's VD too) are `person(position)`."""
        officials = [*self.auditors, self.director, *self.sectors, *self.bolag_staff]
        organs = [self.ks, *self.namnder, *self.bolag]
        return [
            *(Seat(organ, KS_LEDAMOT if organ == self.ks else f"p-{organ}-ledamot") for organ in organs),
            *(Seat(organ, KANSLI, str(Role.SEKRETERARE)) for organ in organs),
            *(Seat(code, self.person(code)) for code in officials),
        ]

    def staffing(self, styrkedja: Styrkedja, level: Level, *, on: date, until: date) -> list[StaffingAct]:
        """The förordnanden of one level from `on` (elected ones until `until`), each made by a
        holder of the level above: the fixed chain (taking the register into use first), the
        units' chefs, their employees. A level is appointed once it is established."""
        resolve = self.resolver(styrkedja)
        chefs = [Seat(unit, self.person(unit)) for unit in self.unit_list]
        if level == "chain":
            root = Seat(styrkedja.root().id, KANSLI)
            return staffing_plan(self.chain_seats(), resolve, on=on, until=until, introduce=root)
        if level == "units":
            return staffing_plan(chefs, resolve, on=on, until=until, held=self.chain_seats())
        staff = [Seat(e, self.person(e)) for unit in self.unit_list for e in self.employees[unit]]
        return staffing_plan(staff, resolve, on=on, until=until, held=chefs)

    def resolver(self, styrkedja: Styrkedja) -> Callable[[str], Position]:
        """Positions by code: the fixed chain's, and those this organisation establishes below it."""
        planned = {
            below.code: Position(
                id=below.code, name=below.name, kind=PositionKind(below.kind), parent=below.parent
            )
            for below in self.establishments()
        }
        return lambda code: planned[code] if code in planned else styrkedja.position(code)

    def establishments(self, *, units: bool = True, employees: bool = True) -> Iterator[Establishment]:
        """Who establishes which position below the fixed chain.

        Every unit's enhetschef under its sector, then every employee under their unit (as asked).
        """
        for sector, codes in self.units.items() if units else ():
            for unit in codes:
                yield Establishment(code=unit, name=f"Enhetschef {unit}", kind="chef", parent=sector)
        if not employees:
            return
        for unit, staff in self.employees.items():
            for employee in staff:
                yield Establishment(code=employee, name="Medarbetare", kind="medarbetare", parent=unit)


def operating_heads(chain: list[Position]) -> list[str]:
    """The positions units are established under: the sektorschefer of a sector-based model
    (Lerum's), else the förvaltningschefer of the nämnder with förvaltningar of their own."""
    by_id = {p.id: p for p in chain}
    sektorschefer = [p.id for p in chain if p.kind is PositionKind.SEKTORSCHEF]
    return sektorschefer or [
        p.id
        for p in chain
        if p.kind is PositionKind.FORVALTNINGSCHEF
        and p.parent is not None
        and by_id[p.parent].kind is PositionKind.NAMND
    ]


def check_workload_model(styrmodell: Styrmodell) -> None:
    """Refuse, before anything is recorded, a model the generated workload cannot staff (the
    simulation of `demo` can: its förvaltningar may sit under their nämnder).

    The workload is Lerum's shape: KS's kommundirektör over sektorschefer, each over
    the units it establishes. A model whose administrations answer to nämnder
    (Norrvik) has no sektorschef to put units under, and its förvaltningschefer
    take their uppdrag and delegations from their nämnd, not from the kommundirektör.
    """
    if not any(p.kind is PositionKind.SEKTORSCHEF for p in styrmodell.styrkedja()):
        raise InvalidInput(
            f"Styrmodellen för {styrmodell.kommun.namn} har ingen sektorschef under kommundirektören; "
            "arbetslasten som genereras bygger på sektorer med enheter under kommundirektören "
            "(som Lerums) och kan inte göras för förvaltningar under nämnder. Inget registrerades.",
            field="styrmodell",
            rule="styrmodell_utan_sektorer",
        )


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


def establish(governance: Governance, organisation: Organisation, on: date, *, until: date) -> None:
    """Staff the fixed chain from `on`, record every unit's chef under its sector and appoint its
    person (elected ones until `until`) in `governance` (a repeat is recognised).

    The simulation's people act as chefs, not as employees: the employees are not established.
    """
    styrkedja = governance.styrkedja
    record_plan(governance, organisation.staffing(styrkedja, "chain", on=on, until=until))
    for planned in organisation.establishments(employees=False):
        governance.establish_befattning(
            c.EstablishBefattning(
                actor=planned.parent,
                person=organisation.person(planned.parent),
                established_on=on,
                code=planned.code,
                name=planned.name,
                kind=planned.kind,
                parent=planned.parent,
            )
        )
    record_plan(governance, organisation.staffing(styrkedja, "units", on=on, until=until))
