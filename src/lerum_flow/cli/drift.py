"""`lerum-flow drift status`: what waits past its deadline, the relay's and the views' lag, who leads."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import Grid, date_column, number_column, tag_column, text_column
from lerum_flow.cli.views import now
from lerum_flow.swedish_numbers import counted, number

app = typer.Typer(help="Driften: läget för den som driver tjänsten.", no_args_is_help=True)

KIND_NAMES = {
    "uppdrag": "Uppdrag med försenad återrapport",
    "avvikelse": "Avvikelser som inte kvitterats i tid",
    "arshjul": "Årshjulssteg som missats",
    "styrdokument": "Styrdokument vars aktualitetsprövning är försenad",
}
ROLE_NAMES = {"relay": "Reläets ledare", "projektor": "Projektorns ledare"}
# Rows shown per kind in the table; --json gives them all.
SHOWN = 20


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Visa vad som väntar efter sin frist, hur långt reläet och vyerna ligger efter och vem som leder.

    Läser bara: fungerar med revisorernas läsroll.
    """
    from lerum_flow.drift_status import gather

    cli = session(ctx)
    with refusals(ctx):
        found = gather(cli.store_settings(), cli.governance(), cli.styrmodell(), now())
    if cli.output.as_json:
        cli.output.json(_as_json(found))
        return
    out = console()
    out.print(f"Händelseloggen: position {number(found.head)}.")
    relay = found.relay_lag
    out.print(
        "Reläet: okänt (inget relä har kört mot lagret)"
        if relay is None
        else f"Reläet: position {number(found.relay_position or 0)}, {_behind(relay)}"
    )
    for role, present in found.leaders.items():
        text = {True: "finns", False: "[bold red]ingen[/]", None: "okänt"}[present]
        out.print(f"{ROLE_NAMES[role]}: {text}.")
    grid = Grid("Vyerna", [tag_column("Vy"), number_column("Efter")])
    for view, lag in found.view_lags().items():
        grid.add_row(view, "saknas" if lag is None else (f"[yellow]{number(lag)}[/]" if lag else "0"))
    out.print(grid)
    if not found.overdue:
        out.print("Inget väntar efter sin frist.")
        return
    for kind, title in KIND_NAMES.items():
        items = [o for o in found.overdue if o.kind == kind]
        if not items:
            continue
        table = Grid(
            f"{title} ({number(len(items))})",
            [date_column("Frist"), tag_column("Hos"), text_column("Vad")],
        )
        for item in items[:SHOWN]:
            # An acknowledgement's deadline has a time: shown as the board shows it, without the offset.
            deadline = item.deadline.replace("T", " ")[:16]
            table.add_row(escape(deadline), escape(item.holder), escape(item.what))
        out.print(table)
        if len(items) > SHOWN:
            out.print(f"… och {counted(len(items) - SHOWN, 'till', 'till')} (alla med --json).")


def _behind(lag: int) -> str:
    return "ikapp." if lag == 0 else f"[yellow]{counted(lag, 'händelse', 'händelser')} efter[/]."


def _as_json(found: Any) -> dict[str, Any]:
    return {
        "tid": found.at.isoformat(timespec="seconds"),
        "logg": found.head,
        "rela": {"position": found.relay_position, "efter": found.relay_lag},
        "vyer": {
            view: {"position": found.view_positions[view], "efter": lag}
            for view, lag in found.view_lags().items()
        },
        "ledare": found.leaders,
        "forsenade": [
            {"typ": o.kind, "id": o.id, "vad": o.what, "hos": o.holder, "frist": o.deadline}
            for o in found.overdue
        ],
    }
