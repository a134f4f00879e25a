"""`lerum-flow projections`: rebuild the views, follow the log into them, show where they stand."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import datetime
from types import FrameType
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from lerum_flow.cli.context import refusals, require_write, session
from lerum_flow.cli.output import console
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import (
    Grid,
    number_column,
    tag_column,
)
from lerum_flow.cli.views import (
    logger,
)
from lerum_flow.leadership import follow_while_leading, open_leadership
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.rebuild import PARALLEL_FROM, rebuild_views
from lerum_flow.projections.store import ViewStore
from lerum_flow.swedish_numbers import counted, number
from lerum_flow.swedish_numbers import seconds as seconds_text

app = typer.Typer(help="Vyerna: bygg om, följ händelseloggen, visa läget.", no_args_is_help=True)

PageSizeOption = Annotated[
    int,
    typer.Option("--page-size", min=1, max=100_000, help="Händelser per läsning och transaktion."),
]
ProcessesOption = Annotated[
    int | None,
    typer.Option(
        "--processes",
        min=1,
        max=64,
        help="Processer som bygger vyerna samtidigt (standard: en per kärna, högst en per vy, "
        f"när loggen har minst {PARALLEL_FROM} händelser; annars en).",
    ),
]


@app.command("rebuild", cls=RecordingCommand)
def rebuild(
    ctx: typer.Context, page_size: PageSizeOption = DEFAULT_PAGE_SIZE, processes: ProcessesOption = None
) -> None:
    """Töm alla vyer och bygg om dem från händelseloggen."""
    cli = session(ctx)
    with refusals(ctx):
        require_write(cli)
    store = ViewStore.open(cli.store_settings())
    try:
        head = store.projector().head()
    finally:
        store.close()
    started = datetime.now()
    try:
        if cli.output.as_json:
            rebuilt = rebuild_views(cli.store_settings(), processes=processes, page_size=page_size)
        else:
            with Progress(
                TextColumn("Bygger om vyerna"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console(stderr=True),
            ) as progress:
                task = progress.add_task("ombyggnad", total=head)
                rebuilt = rebuild_views(
                    cli.store_settings(),
                    processes=processes,
                    page_size=page_size,
                    progress=lambda position: progress.update(task, completed=position),
                )
    except KeyboardInterrupt:
        # The log is untouched; a view emptied for its rebuild is rebuilt at its next catch-up.
        if cli.output.as_json:
            cli.output.aborted()
        else:
            sys.stderr.write(
                "Avbrutet: ombyggnaden hann inte klart. Händelseloggen är orörd; vyer som hann tömmas "
                "byggs om när de nästa gång läses, eller kör 'lerum-flow projections rebuild' igen.\n"
            )
        raise typer.Exit(130) from None
    seconds = (datetime.now() - started).total_seconds()
    applied, positions = rebuilt.events, rebuilt.positions
    logger.info("vyer_ombyggda", handelser=applied, position=head, sekunder=round(seconds, 2))
    if cli.output.as_json:
        cli.output.json({"ombyggda": positions, "handelser": applied, "sekunder": round(seconds, 3)})
        return
    done = counted(applied, "händelse", "händelser")
    console().print(f"Vyerna är ombyggda till position {number(head)} ({done} på {seconds_text(seconds)}).")


@app.command("run", cls=RecordingCommand)
def run(ctx: typer.Context, page_size: PageSizeOption = DEFAULT_PAGE_SIZE) -> None:
    """Följ händelseloggen och håll vyerna aktuella tills du avbryter (Ctrl-C).

    Kör flera repliker om du vill: bara den som leder (ett rådgivande lås per
    lager) följer loggen, de andra tar över inom någon sekund om den dör.
    """
    cli = session(ctx)
    with refusals(ctx):
        require_write(cli)
    stop = threading.Event()
    store = ViewStore.open(cli.store_settings())
    projector = store.projector(page_size=page_size)
    leadership = open_leadership(cli.store_settings(), "projektor")
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in previous:
        signal.signal(sig, request_stop)
    try:
        if not cli.output.as_json:
            console(stderr=True).print("Följer händelseloggen; avbryt med Ctrl-C.")
        logger.info("vyer_foljer", position=projector.positions())
        follow_while_leading(leadership, projector.follow, stop)
    finally:
        leadership.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        positions = projector.positions()
        store.close()
    logger.info("vyer_stoppade", position=positions)
    if cli.output.as_json:
        cli.output.json({"stoppad": True, "positioner": positions})
    else:
        console(stderr=True).print("Avslutat.")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Visa varje vys position jämfört med händelseloggens senaste händelse."""
    cli = session(ctx)
    store = ViewStore.open(cli.store_settings())
    try:
        projector = store.projector()
        head = projector.head()
        positions = projector.positions()
    finally:
        store.close()
    if cli.output.as_json:
        cli.output.json(
            {"logg": head, "vyer": {n: {"position": p, "efter": head - p} for n, p in positions.items()}}
        )
        return
    grid = Grid(
        f"Vyer (händelseloggen: {number(head)})",
        [tag_column("Vy"), number_column("Position"), number_column("Efter")],
    )
    for name, position in positions.items():
        behind = head - position
        grid.add_row(name, number(position), f"[yellow]{number(behind)}[/]" if behind else "0")
    console().print(grid)
