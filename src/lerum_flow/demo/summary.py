"""The end of the simulation in a few tables: events per kind, cycles, deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from lerum_flow.demo.runner import SimulationSummary


def render_summary(summary: SimulationSummary, console: Console) -> None:
    events = Table(title="Registrerade händelser per slag", title_justify="left")
    events.add_column("Händelse")
    events.add_column("Antal", justify="right")
    for kind, count in summary.events_by_kind.items():
        events.add_row(escape(kind), str(count))
    events.add_row("[bold]Totalt[/]", f"[bold]{sum(summary.events_by_kind.values())}[/]")
    console.print(events)

    cycles = Table(title="Årshjul", title_justify="left")
    for column in (
        "Budgetår",
        "Valår",
        "Hållna",
        "Missade",
        "Rapporter i tid",
        "Saknade",
        "Avvikelser",
        "Körningar",
    ):
        cycles.add_column(column, justify="right")
    for cycle in summary.cycles:
        tally = cycle.tally
        cycles.add_row(
            str(cycle.budget_year),
            "ja" if cycle.election_year else "",
            str(tally.deadlines_met),
            str(tally.deadlines_missed),
            str(tally.reports_on_time),
            str(tally.reports_missing),
            str(tally.avvikelser),
            str(cycle.runs),
        )
    console.print(cycles)

    totals = summary.totals
    goal = "mål utfärdat" if summary.mandatperiod.goal_uppdrag_id else "utan mål"
    console.print(
        f"[bold]{len(summary.cycles)} årshjul avslutade[/] och mandatperioden från valet "
        f"{summary.election_year} ({goal}). "
        f"Tidsgränser: [green]{totals.deadlines_met} hållna[/], [red]{totals.deadlines_missed} missade[/]; "
        f"{summary.reminders} påminnelser; {totals.avvikelser} avvikelser registrerade av workflows. "
        f"{summary.units} enheter. Körtid {summary.wall_seconds:.0f} s."
    )
