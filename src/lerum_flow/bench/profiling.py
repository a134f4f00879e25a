"""Where a rebuild spends its time, by stage: reading the log, decoding events, the projections'
own logic, and writing the views. Measured with cProfile on one store."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Mapping

from lerum_flow.projections.rebuild import rebuild_views
from lerum_flow.settings import Settings

# Stage name -> (files, functions) whose cumulative time is that stage's. Only the library's
# recorders count for reading: a wrapper of the same name would count the time twice. Writing
# the views is each page (`apply`) and what a rebuild writes when it ends (`rebuilding`: the
# history held until then, and the current rows copied from it).
STAGES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lasa_loggen": (("eventsourcing/sqlite.py", "eventsourcing/postgres.py"), ("select_notifications",)),
    "avkoda_handelser": (("eventsourcing/persistence.py",), ("to_domain_event",)),
    "projektionernas_logik": (("projections/projection.py",), ("changes",)),
    "skriva_vyerna": (("projections/view.py",), ("apply", "rebuilding")),
}


def rebuild_profile(settings: Settings) -> dict[str, float]:
    """Each stage's share of a full rebuild's time (the rest: the runner's own bookkeeping)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        rebuild_views(settings, processes=1)  # in this process, where the profiler sees it
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    # typeshed does not declare Stats.total_tt and Stats.stats, which pstats documents and sets.
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    shares: dict[str, float] = {}
    for stage, (files, functions) in STAGES.items():
        seconds = sum(
            entry[3]
            for (filename, _, name), entry in stats.stats.items()  # type: ignore[attr-defined]
            if name in functions and filename.endswith(files)
        )
        shares[stage] = round(seconds / total, 3)
    shares["ovrigt"] = round(max(0.0, 1 - sum(shares.values())), 3)
    return shares
