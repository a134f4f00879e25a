"""The workload generator: a municipality's history recorded through the real application.

The history is planned (see `plan_year`) and recorded day by day, each day's
commands in one `Governance.batch()` (as a bulk import from a diarium would),
with the application's clock set to that day, so the store reads like one
that grew over the years. Every command goes through the same validation and
rules as a person's; a refusal is counted, never hidden.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from lerum_flow.application import Governance
from lerum_flow.demo.plan_year import plan_year, starts_on
from lerum_flow.demo.planning import Planning
from lerum_flow.demo.profile import LERUM_MANDATE_EVENTS, Profile
from lerum_flow.demo.schedule import Planned
from lerum_flow.domain.errors import Refusal
from lerum_flow.styrmodell import Styrmodell

# Commands per transaction at most: a day of anmälan at a KS meeting is a few
# thousand, which a bulk import would still split.
BATCH_LIMIT = 1_000
DEFAULT_SEED = 1441
CALIBRATE_BELOW = 100_000
CALIBRATION_ROUNDS = 4
CALIBRATION_TOLERANCE = 0.05

Progress = Callable[[int], None]


@dataclass
class Tally:
    """What a generation recorded, refused and how long it took."""

    commands: Counter[str] = field(default_factory=Counter)
    # Commands recorded, by Governance method (refused and repeated ones not counted).
    recorded_by: Counter[str] = field(default_factory=Counter)
    recorded: int = 0
    already: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    events: int = 0
    # Events saved by each transaction, in order.
    batch_events: list[int] = field(default_factory=list)
    seconds: float = 0.0
    # The store's head at the end of each calendar year: a prefix of the log is
    # the municipality as it stood then.
    year_ends: dict[int, int] = field(default_factory=dict)
    first_refusal: str = ""

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "handelser": self.events,
            "kommandon": dict(sorted(self.commands.items())),
            "registrerade": self.recorded,
            "redan_registrerade": self.already,
            "nekade": dict(sorted(self.refused.items())),
            "satser": len(self.batch_events),
            "sekunder": round(self.seconds, 3),
            "arsskiften": {str(y): n for y, n in sorted(self.year_ends.items())},
        }


class SimulatedClock:
    """Recorded time on the business day being imported, a second apart per command."""

    def __init__(self) -> None:
        self.day = date(2000, 1, 1)
        self._tick = 0

    def on(self, day: date) -> None:
        self.day, self._tick = day, 0

    def __call__(self) -> datetime:
        self._tick += 1
        start = datetime.combine(self.day, clock_time(7, 0), tzinfo=UTC)
        return start + timedelta(seconds=self._tick)


def planned_days(
    styrmodell: Styrmodell, profile: Profile, *, seed: int = DEFAULT_SEED
) -> Iterator[tuple[date, list[Planned]]]:
    """The planned history, day by day; each year is planned only when its first day comes near."""
    planning = Planning.start(styrmodell, profile, seed)
    years = iter(range(profile.start_year, profile.end_year + 1))
    upcoming = next(years, None)
    while True:
        day = planning.schedule.first_day()
        while upcoming is not None and (day is None or starts_on(planning, upcoming) <= day):
            plan_year(planning, upcoming)
            upcoming = next(years, None)
            day = planning.schedule.first_day()
        if day is None:
            return
        yield planning.schedule.take_day()


def profile_for_events(
    styrmodell: Styrmodell, events: int, *, years: int = 4, seed: int = DEFAULT_SEED
) -> Profile:
    """Lerum's shape scaled so that the history comes to about `events` events.

    Small histories are dominated by their fixed part (every unit's monthly
    follow-up, the budget chain), so below CALIBRATE_BELOW the history is
    planned (not recorded: every command is one event) and the scale corrected.
    """
    profile = Profile.for_events(events, years=years)
    if events > CALIBRATE_BELOW:
        return profile
    factor = events / (LERUM_MANDATE_EVENTS / 4 * years)
    for _ in range(CALIBRATION_ROUNDS):
        planned = sum(len(commands) for _, commands in planned_days(styrmodell, profile, seed=seed))
        if abs(planned - events) <= CALIBRATION_TOLERANCE * events:
            break
        factor *= events / planned
        profile = Profile.lerum(years=years).scaled(factor)
    return profile


def generate(
    app: Governance,
    profile: Profile,
    *,
    seed: int = DEFAULT_SEED,
    batch_limit: int = BATCH_LIMIT,
    progress: Progress | None = None,
    days: Iterator[tuple[date, list[Planned]]] | None = None,
    until_events: int | None = None,
) -> Tally:
    """Record the history `profile` describes into `app`; the same seed records the same events.

    `days` continues a history already begun; `until_events` stops after the
    first day that brings the store to that many new events.
    """
    clock = SimulatedClock()
    app.clock = clock
    tally = Tally()
    first = _head(app)
    started = time.perf_counter()
    year: int | None = None
    for day, commands in days if days is not None else planned_days(app.styrmodell, profile, seed=seed):
        if year is not None and day.year != year:
            head = _head(app) - first
            tally.year_ends.update(dict.fromkeys(range(year, day.year), head))
        year = day.year
        clock.on(day)
        for start in range(0, len(commands), batch_limit):
            with app.batch():
                for planned in commands[start : start + batch_limit]:
                    record(app, planned, tally)
            head = _head(app) - first
            tally.batch_events.append(head - tally.events)
            tally.events = head
        if progress is not None:
            progress(tally.events)
        if until_events is not None and tally.events >= until_events:
            break
    tally.seconds = time.perf_counter() - started
    if year is not None:
        tally.year_ends[year] = tally.events
    return tally


def record(app: Governance, planned: Planned, tally: Tally) -> None:
    """Record one planned command, counting what became of it."""
    tally.commands[planned.method] += 1
    try:
        outcome = getattr(app, planned.method)(planned.command)
    except Refusal as refusal:
        tally.refused[refusal.rule] += 1
        tally.first_refusal = tally.first_refusal or f"{planned.method}: {refusal.message}"
        return
    if outcome.recorded:
        tally.recorded += 1
        tally.recorded_by[planned.method] += 1
    else:
        tally.already += 1


def _head(app: Governance) -> int:
    return app.head()
