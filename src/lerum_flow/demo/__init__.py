"""A simulated Lerum living through a mandate period on Temporal's time-skipping test server.

`run_simulation(settings, console, years=4, ovningar=())` runs it and returns a
`SimulationSummary`.

The imports are inside the functions: the package also holds a workflow
(`acting`), and Temporal's sandbox imports this `__init__` with it, where
the runner's imports (eventsourcing, structlog) are not allowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection

    from rich.console import Console

    from lerum_flow.demo.runner import SimulationSummary
    from lerum_flow.settings import Settings


def run_simulation(
    settings: Settings, console: Console | None = None, *, years: int = 4, ovningar: Collection[str] = ()
) -> SimulationSummary:
    """The municipality of the settings' styrmodell (Lerum by default) lives through `years` budget
    years of a mandate period, with the rehearsals (`demo.ovning`) asked for; what happened."""
    from lerum_flow.demo.runner import run_simulation as run

    return run(settings, console, years=years, ovningar=ovningar)


__all__ = ["run_simulation"]
