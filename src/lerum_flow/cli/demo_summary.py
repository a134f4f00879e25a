"""The end of a demo in a few tables: events per kind, the årshjul's cycles, deadlines.

Built with the command line's tables, so they read at 80 columns, with
Swedish event names and numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console

from lerum_flow.cli.tables import Grid, count, number_column, safe, tag_column, text_column
from lerum_flow.event_names import event_name
from lerum_flow.swedish_numbers import counted
from lerum_flow.swedish_numbers import seconds as seconds_text

if TYPE_CHECKING:
    from lerum_flow.demo.runner import SimulationSummary


def events_table(counts: Mapping[str, int], title: str) -> Grid:
    """Events per kind, in Swedish words, ordered by name, with their total."""
    grid = Grid(title, [text_column("Händelse"), number_column("Antal")])
    for kind, n in sorted(counts.items(), key=lambda item: event_name(item[0])):
        grid.add_row(safe(event_name(kind)), count(n))
    grid.add_row("[bold]Totalt[/]", f"[bold]{count(sum(counts.values()))}[/]")
    return grid


def render_summary(summary: SimulationSummary, console: Console) -> None:
    """What the simulated mandate period recorded and how its deadlines went."""
    console.print(events_table(summary.events_by_kind, "Registrerade händelser per slag"))
    cycles = Grid(
        "Årshjul",
        [
            number_column("Budgetår"),
            tag_column("Valår"),
            number_column("Hållna"),
            number_column("Missade"),
            number_column("I tid"),
            number_column("Saknade"),
            number_column("Avvikelser"),
            number_column("Körningar"),
        ],
        caption="Hållna och missade tidsgränser; månadsrapporter i tid och saknade; "
        "körningar är arbetsflödets delar (continue-as-new).",
    )
    for cycle in summary.cycles:
        tally = cycle.tally
        cycles.add_row(
            str(cycle.budget_year),
            "valår" if cycle.election_year else "",
            count(tally.deadlines_met),
            count(tally.deadlines_missed),
            count(tally.reports_on_time),
            count(tally.reports_missing),
            count(tally.avvikelser),
            count(cycle.runs),
        )
    console.print(cycles)
    totals = summary.totals
    goal = "mål utfärdat" if summary.mandatperiod.goal_uppdrag_id else "utan mål"
    console.print(
        f"[bold]{counted(len(summary.cycles), 'årshjul avslutat', 'årshjul avslutade')}[/] och "
        f"mandatperioden från valet {summary.election_year} ({goal}). "
        f"Tidsgränser: {counted(totals.deadlines_met, 'hållen', 'hållna')}, "
        f"{counted(totals.deadlines_missed, 'missad', 'missade')}; "
        f"{counted(summary.reminders, 'påminnelse', 'påminnelser')}; "
        f"{counted(totals.avvikelser, 'avvikelse', 'avvikelser')} registrerade av arbetsflödena. "
        f"{counted(summary.units, 'enhet', 'enheter')}. Körtid {seconds_text(summary.wall_seconds)}."
    )
