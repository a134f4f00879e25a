"""The simulated Lerum below the fixed chain: about 120 units, each with a chef, under the five sectors.

Unit names are invented; events carry only position codes and pseudonymous
person ids (STYRMODELL.md §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.styrkedja import PositionKind

UNITS_PER_SECTOR = 24
UNIT_KINDS = {
    "larande": ("skola", "förskola", "fritidshem", "elevhälsa"),
    "samhallsbyggnad": ("gata", "park", "va", "bygglov"),
    "vard-och-omsorg": ("äldreboende", "hemtjänst", "rehab", "dagverksamhet"),
    "individ-och-familjeomsorg": ("barn och unga", "vuxen", "försörjning", "boende"),
    "internt-stod": ("ekonomi", "hr", "it", "kommunikation"),
}
PLACES = ("Lerum", "Gråbo", "Floda", "Stenkullen", "Tollered", "Lerum centrum")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    sector: str
    person: str


@dataclass(frozen=True)
class Organisation:
    sectors: tuple[str, ...]
    units: tuple[Unit, ...]

    def units_of(self, sector: str) -> list[Unit]:
        return [u for u in self.units if u.sector == sector]

    def person(self, position: str) -> str:
        """The pseudonymous person who acts in a position; organs act through the kanslienhet."""
        unit = next((u for u in self.units if u.code == position), None)
        if unit is not None:
            return unit.person
        return f"p-{position}"[:80]


def establish(governance: Governance, on: date) -> Organisation:
    """Establish every unit's chef under its sector (once: a repeat is recognised)."""
    sectors = tuple(p.id for p in governance.styrkedja if p.kind is PositionKind.SEKTORSCHEF)
    units: list[Unit] = []
    number = 0
    for sector in sectors:
        kinds = UNIT_KINDS.get(sector, ("enhet",))
        for index in range(UNITS_PER_SECTOR):
            number += 1
            kind = kinds[index % len(kinds)]
            place = PLACES[index % len(PLACES)]
            code = f"chef-{sector}-{index + 1:02d}"
            unit = Unit(
                code=code,
                name=f"{kind.capitalize()} {place} {index // len(PLACES) + 1}",
                sector=sector,
                person=f"p-{number:04d}",
            )
            governance.establish_befattning(
                c.EstablishBefattning(
                    actor=sector,
                    person=f"p-{sector}",
                    code=code,
                    name=f"Enhetschef, {unit.name}",
                    kind=str(PositionKind.CHEF),
                    parent=sector,
                    established_on=on,
                )
            )
            units.append(unit)
    return Organisation(sectors=sectors, units=tuple(units))
