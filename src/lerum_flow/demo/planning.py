"""What every planner shares: the schedule, the municipality, the random source and running numbers."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from lerum_flow.demo.organisation import Organisation
from lerum_flow.demo.profile import Profile
from lerum_flow.demo.schedule import Schedule
from lerum_flow.styrmodell import Styrmodell


@dataclass
class Planning:
    styrmodell: Styrmodell
    profile: Profile
    rng: random.Random
    town: Organisation
    schedule: Schedule
    # The current mandate period's goals (KF's mål to KS), reported on twice a year.
    mal_uppdrag: UUID | None = None
    _serial: int = 0
    _paragrafer: Counter[tuple[str, int]] = field(default_factory=Counter)

    @classmethod
    def start(cls, styrmodell: Styrmodell, profile: Profile, seed: int) -> Planning:
        rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        town = Organisation.plan(styrmodell, profile, rng)
        return cls(styrmodell, profile, rng, town, Schedule(town.person, seed))

    def serial(self) -> int:
        self._serial += 1
        return self._serial

    def diarienummer(self, prefix: str, year: int) -> str:
        return f"{prefix.upper()} {year}/{self.serial():06d}"

    def paragraf(self, organ: str, year: int) -> str:
        """The next paragraph of `organ`'s minutes in `year`."""
        self._paragrafer[(organ, year)] += 1
        return f"§ {self._paragrafer[(organ, year)]}"

    def key(self, kind: str, year: int) -> str:
        """A unique natural key (uppdrag and avvikelse ids derive from it)."""
        return f"{kind}-{year}-{self.serial():06d}"

    def chance(self, share: float) -> bool:
        return self.rng.random() < share

    def election_year(self, year: int) -> bool:
        return self.styrmodell.is_election_year(year)
