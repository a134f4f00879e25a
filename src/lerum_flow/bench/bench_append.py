"""Writing: the workload appended through the application in batches, and single durable commands.

Each against plain inserts of the very rows the application stored: the same
sizes, the same table layout, as many transactions (batched), or one INSERT
and COMMIT per row (single).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Recording

from lerum_flow.application import Governance
from lerum_flow.bench.rawsql import Backend
from lerum_flow.bench.report import Figure, Goal, GoalKind, latency_figures
from lerum_flow.bench.timing import rate, stopwatch
from lerum_flow.demo.profile import Profile
from lerum_flow.demo.workload import SimulatedClock, Tally, generate, planned_days, record
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

APPEND_GOAL = Goal(GoalKind.RATIO_AT_LEAST, 0.6)
BASELINE_RUNS = 3
LATENCY_GOAL = Goal(GoalKind.RATIO_AT_MOST, 2.0)


class TimedGovernance(Governance):
    """Governance that adds up the time spent in the library's save, to tell it from the rest."""

    # The same name, so it reads the same settings (GOVERNANCE_*) and writes the same store.
    name = Governance.name
    save_seconds = 0.0

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        with stopwatch() as elapsed:
            recordings = super().save(*objs, **kwargs)
        self.save_seconds += elapsed.wall
        return recordings


def append(settings: Settings, backend: Backend, profile: Profile, *, seed: int, label: str) -> list[Figure]:
    app = TimedGovernance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    # Planned before the clock starts: the figure is the application's, not the planner's.
    days = list(planned_days(app.styrmodell, profile, seed=seed))
    try:
        with stopwatch() as elapsed:
            tally = generate(app, profile, days=iter(days))
    finally:
        app.close()
    rows = backend.stored_rows()
    # The baseline takes a second or two, and its commits' fsyncs vary from run to run on a
    # shared machine: its best of a few is kept, which makes the ratio a conservative one.
    baseline_runs = [backend.insert_batches(rows, tally.batch_events) for _ in range(BASELINE_RUNS)]
    baseline = rate(len(rows), min(baseline_runs))
    shared = {
        "handelser": tally.events,
        "satser": len(tally.batch_events),
        "nekade": sum(tally.refused.values()),
        "baslinje_sekunder": [round(s, 3) for s in baseline_runs],
    }
    return [
        Figure(
            f"append_{label}",
            f"Tillägg genom applikationen i satser ({label})",
            "händelser/s",
            value=rate(tally.events, elapsed.wall),
            baseline=baseline,
            baseline_name="samma rader med executemany, lika många transaktioner (bästa av 3)",
            goal=APPEND_GOAL,
            details=shared | {"sekunder": round(elapsed.wall, 3), "cpu_sekunder": round(elapsed.cpu, 3)},
        ),
        Figure(
            f"append_{label}_save",
            f"  varav bibliotekets sparande, Application.save ({label})",
            "händelser/s",
            value=rate(tally.events, app.save_seconds),
            baseline=baseline,
            baseline_name="samma rader med executemany, lika många transaktioner",
            goal=Goal(GoalKind.REPORT_ONLY, text="jämförelse: biblioteket ensamt"),
            details=shared
            | {
                "sekunder_i_save": round(app.save_seconds, 3),
                "andel_av_tiden": round(app.save_seconds / elapsed.wall, 3) if elapsed.wall else None,
            },
        ),
    ]


def single_commands(
    settings: Settings,
    backend: Backend,
    profile: Profile,
    *,
    seed: int,
    label: str,
    history: int,
    samples: int,
) -> list[Figure]:
    """The workload's own commands one at a time after a batched history of `history` events."""
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    latencies: list[float] = []
    tally = Tally()
    try:
        days = planned_days(app.styrmodell, profile, seed=seed)
        before = generate(app, profile, days=days, until_events=history).events
        clock = SimulatedClock()
        app.clock = clock
        for day, commands in days:
            clock.on(day)
            for planned in commands[: samples - len(latencies)]:
                with stopwatch() as elapsed:
                    record(app, planned, tally)
                latencies.append(elapsed.wall)
            if len(latencies) >= samples:
                break
    finally:
        app.close()
    rows = backend.stored_rows()[before:]
    baseline = backend.insert_latencies(rows)
    details = {
        "kommandon": len(latencies),
        "nekade": sum(tally.refused.values()),
        "historik_handelser": before,
        "kommandoslag": dict(tally.commands),
    }
    return latency_figures(
        f"command_{label}",
        f"Ett kommando, varaktigt sparat, p{{q}} ({label})",
        latencies,
        baseline,
        "en INSERT + COMMIT av en lika stor rad",
        goals={50: LATENCY_GOAL, 99: LATENCY_GOAL},
        details=details,
    )
