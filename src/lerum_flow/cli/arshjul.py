"""`lerum-flow arshjul`: start a budget year's cycle on Temporal, see where it stands, list what runs.

The kanslienhet starts each cycle once; starting it again is harmless. The
year's internal control (internkontroll) is started with it, and in an
election year's cycle the new mandate period's workflow too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, NoReturn, TypeVar

import typer
from temporalio.client import Client

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.session import CliSession
from lerum_flow.cli.tables import Grid, count, date_column, safe, tag_column, text_column
from lerum_flow.municipal_time import business_day
from lerum_flow.relay_contract import arshjul_workflow_id
from lerum_flow.temporal_runtime import TemporalSettings, connect
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.internkontroll.starter import start_internkontroll
from lerum_flow.workflows.models import Tally, WorkflowStatus
from lerum_flow.workflows.starter import (
    Listed,
    Started,
    check_budget_year,
    describe_cycle,
    list_running,
    plan_of_budget_year,
    query_status,
    start_arshjul,
    start_mandatperiod,
)

T = TypeVar("T")

# A query needs a worker to answer; without one the server would make us wait long.
QUERY_TIMEOUT = timedelta(seconds=10)

app = typer.Typer(
    help="Årshjulet: planera ett budgetår, starta dess cykel på Temporal, se var den står, lista pågående.",
    no_args_is_help=True,
)

Year = Annotated[int, typer.Argument(metavar="BUDGETÅR", help="Budgetåret, t.ex. 2028.")]


class TemporalUnavailableError(Exception):
    pass


@app.command("start", cls=RecordingCommand)
def start(ctx: typer.Context, year: Year) -> None:
    """Starta budgetårets cykel (budget, planer, uppföljning, delårsrapport, årsredovisning, ansvarsfrihet)
    och årets interna kontroll."""
    cli = session(ctx)
    with refusals(ctx):
        temporal = cli.temporal_settings()
        check_budget_year(year)
        styrmodell = cli.styrmodell()
        election = styrmodell.is_election_year(year - 1)

        async def starting(client: Client) -> list[Started]:
            kommunkod = styrmodell.kommun.kod
            started = [
                await start_arshjul(client, temporal.task_queue, kommunkod, year),
                await start_internkontroll(client, temporal.task_queue, kommunkod, year),
            ]
            if election:
                started.append(await start_mandatperiod(client, temporal.task_queue, kommunkod, year - 1))
            return started

        results = _with_temporal(cli, temporal, starting)
    if cli.output.as_json:
        cli.output.json(
            {
                "budgetar": year,
                "startade": [
                    {"workflow_id": r.workflow_id, "nystartad": r.started, "status": r.status}
                    for r in results
                ],
            }
        )
        return
    out = console()
    for result in results:
        if result.started:
            out.print(f"[green]Startad:[/] {safe(result.workflow_id)}")
        else:
            out.print(
                f"[yellow]Finns redan ({safe(result.status)}):[/] {safe(result.workflow_id)}; "
                "inget nytt startades."
            )


@app.command("plan")
def plan(ctx: typer.Context, year: Year) -> None:
    """Lista budgetårets alla daterade steg, passerade och kommande: vem som är skyldig vad till vem, och när.

    Listan räknas fram av samma funktion som årshjulet planerar efter, ur styrmodellen i bruk
    (välj en annan kommuns med --styrmodell FIL). Temporal behövs inte.
    """
    cli = session(ctx)
    with refusals(ctx):
        check_budget_year(year)
        styrmodell = cli.styrmodell()
        steps = plan_of_budget_year(styrmodell, year).dated_steps()
    today = business_day(datetime.now(UTC))
    if cli.output.as_json:
        cli.output.json(
            {
                "kommun": styrmodell.kommun.namn,
                "kommunkod": styrmodell.kommun.kod,
                "budgetar": year,
                "steg": [
                    {
                        "slag": step.kind,
                        "vad": step.what,
                        "vem": step.owed_by,
                        "till": step.owed_to or None,
                        "fran": step.opens.isoformat(),
                        "senast": step.by.isoformat(),
                        "passerat": step.is_passed(today),
                    }
                    for step in steps
                ],
            }
        )
        return
    grid = Grid(
        f"Årshjul för budgetår {year}, {safe(styrmodell.kommun.namn)} ({count(len(steps))} steg)",
        [
            date_column("Senast"),
            text_column("Vad"),
            tag_column("Vem"),
            tag_column("Till"),
            tag_column("Läge", 9),
        ],
    )
    for step in steps:
        grid.add_row(
            step.by.isoformat(),
            safe(step.what),
            safe(step.owed_by),
            safe(step.owed_to or "–"),
            "passerat" if step.is_passed(today) else "kommande",
        )
    console().print(grid)


@app.command("status")
def status(ctx: typer.Context, year: Year) -> None:
    """Visa cykelns fas och vad den väntar på, från vem och senast när."""
    cli = session(ctx)
    with refusals(ctx):
        temporal = cli.temporal_settings()
        check_budget_year(year)
        workflow_id = arshjul_workflow_id(cli.styrmodell().kommun.kod, year)

        async def asking(client: Client) -> tuple[str, WorkflowStatus | None, ArshjulResult | None]:
            return await describe_cycle(client, workflow_id)

        name, current, result = _with_temporal(cli, temporal, asking)
    if not name:
        _fail(
            cli,
            "finns_inte",
            f"Inget årshjul för budgetår {year} har startats; starta med 'lerum-flow arshjul start {year}'.",
        )
    tally = result.tally if result else current.tally if current else Tally()
    if cli.output.as_json:
        cli.output.json(
            {
                "workflow_id": workflow_id,
                "budgetar": year,
                "status": name,
                "fas": current.phase if current else None,
                "vantar_pa": [
                    {"vad": w.what, "fran": w.from_whom, "senast": w.by.isoformat()}
                    for w in (current.waiting if current else [])
                ],
                "utfall": tally.model_dump(),
                "problem": (result.problems if result else current.problems if current else []),
            }
        )
        return
    out = console()
    out.print(f"[bold]Årshjul för budgetår {year}[/] ({safe(workflow_id)}): {safe(name)}")
    if current is not None:
        out.print(f"Fas: [bold]{safe(current.phase)}[/]")
        if current.waiting:
            grid = Grid(
                f"Väntar på ({count(len(current.waiting))})",
                [text_column("Vad"), tag_column("Från"), date_column("Senast")],
            )
            for waiting in current.waiting:
                grid.add_row(safe(waiting.what), safe(waiting.from_whom), waiting.by.isoformat())
            out.print(grid)
    elif name == "pågår":
        out.print("[yellow]Ingen worker svarar; fasen kan inte visas (starta 'lerum-flow worker').[/]")
    out.print(
        f"Tidsgränser hållna: {tally.deadlines_met}, missade: {tally.deadlines_missed}; "
        f"påminnelser: {tally.reminders}; avvikelser registrerade: {tally.avvikelser}."
    )
    for problem in result.problems if result else current.problems if current else []:
        out.print(f"[red]Problem:[/] {safe(problem)}")


@app.command("list")
def list_cycles(ctx: typer.Context) -> None:
    """Lista kommunens pågående årshjul och mandatperioder (normalt överlappar två eller tre)."""
    cli = session(ctx)
    with refusals(ctx):
        temporal = cli.temporal_settings()
        kommunkod = cli.styrmodell().kommun.kod

        async def listing(client: Client) -> list[tuple[Listed, str]]:
            listed = await list_running(client, kommunkod)
            return [(item, await _phase(client, item.workflow_id)) for item in listed]

        running = _with_temporal(cli, temporal, listing)
    if cli.output.as_json:
        cli.output.json(
            {
                "pagaende": [
                    {
                        "workflow_id": item.workflow_id,
                        "typ": item.workflow_type,
                        "status": item.status,
                        "fas": phase or None,
                        "startad": item.started_at.isoformat() if item.started_at else None,
                    }
                    for item, phase in running
                ]
            }
        )
        return
    out = console()
    if not running:
        out.print("Inga årshjul eller mandatperioder pågår.")
        return
    # Workflow ids are names (arshjul-1441-2028), not UUIDs: shown whole.
    grid = Grid(
        f"Pågående ({count(len(running))})",
        [tag_column("Id", 12), tag_column("Typ"), text_column("Fas"), date_column("Startad")],
    )
    for item, phase in running:
        grid.add_row(
            safe(item.workflow_id),
            safe(item.workflow_type),
            safe(phase or "–"),
            item.started_at.strftime("%Y-%m-%d %H:%M") if item.started_at else "",
        )
    out.print(grid)


async def _phase(client: Client, workflow_id: str) -> str:
    current = await query_status(client, workflow_id, QUERY_TIMEOUT)
    return current.phase if current else ""


def _with_temporal(cli: CliSession, temporal: TemporalSettings, call: Callable[[Client], Awaitable[T]]) -> T:
    async def run() -> T:
        try:
            client = await connect(temporal)
        except RuntimeError as error:
            raise TemporalUnavailableError(str(error)) from None
        return await call(client)

    try:
        return asyncio.run(run())
    except TemporalUnavailableError:
        _fail(
            cli,
            "temporal_svarar_inte",
            f"Temporal svarar inte på {temporal.address}; starta allt med 'lerum-flow up' eller ange "
            "LERUM_FLOW_TEMPORAL_ADDRESS.",
        )


def _fail(cli: CliSession, code: str, message: str) -> NoReturn:
    if cli.output.as_json:
        cli.output.json({"fel": code, "falt": None, "regel": code, "meddelande": message})
    else:
        console(stderr=True).print(f"[bold red]Fel:[/] {safe(message)}")
    raise typer.Exit(1)
