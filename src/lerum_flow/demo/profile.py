"""How much a municipality records in a year: Lerum's volumes, and the same scaled.

Lerum (docs/arkitektur.md, "The demo municipality"): about 110 units under five sectors, 2,500
employees, about 1,200 political decisions a year. Delegated decisions and
deviations are not in the handbook; their volumes are chosen so that a
four-year mandate period comes to about 350,000 events, most of them
delegationsbeslut and their anmälan, as in a real diarium.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Events a Lerum mandate period (four budget years) comes to; measured with
# `lerum-flow bench generate` and kept here so --events can scale to a target.
LERUM_MANDATE_EVENTS = 350_000


@dataclass(frozen=True)
class Profile:
    """Yearly volumes of one municipality, and how many budget years to record."""

    start_year: int = 2027
    years: int = 4
    units: int = 110
    employees: int = 2_500
    political_decisions: int = 1_200
    delegated_decisions: int = 31_000
    uppdrag: int = 1_500
    deviations: int = 2_400
    delegations: int = 400
    # Share of delegated decisions never reported to the organ (the open anmälan list).
    unreported_share: float = 0.03

    @classmethod
    def lerum(cls, *, years: int = 4) -> Profile:
        return cls(years=years)

    @classmethod
    def for_events(cls, events: int, *, years: int = 4) -> Profile:
        """Lerum's shape with every volume scaled so the whole history is about `events`."""
        per_year = LERUM_MANDATE_EVENTS / 4
        return cls.lerum(years=years).scaled(events / (per_year * years))

    def scaled(self, factor: float) -> Profile:
        """Every volume times `factor`; never fewer than one unit per sector and one of each kind."""
        if factor <= 0:
            raise ValueError("factor must be positive")

        def times(value: int, least: int) -> int:
            return max(least, round(value * factor))

        units = times(self.units, 5)
        return replace(
            self,
            units=units,
            employees=times(self.employees, 2 * units),
            political_decisions=times(self.political_decisions, 12),
            delegated_decisions=times(self.delegated_decisions, 10),
            uppdrag=times(self.uppdrag, 10),
            deviations=times(self.deviations, 5),
            delegations=times(self.delegations, 3 + 5 * 3 + 2 * units),
        )

    @property
    def end_year(self) -> int:
        """The last budget year."""
        return self.start_year + self.years - 1

    def as_dict(self) -> dict[str, object]:
        return {
            "startar": self.start_year,
            "budgetar": self.years,
            "enheter": self.units,
            "medarbetare": self.employees,
            "politiska_beslut_per_ar": self.political_decisions,
            "delegationsbeslut_per_ar": self.delegated_decisions,
            "uppdrag_per_ar": self.uppdrag,
            "avvikelser_per_ar": self.deviations,
            "delegeringar": self.delegations,
        }
