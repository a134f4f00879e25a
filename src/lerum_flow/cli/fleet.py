"""`lerum-flow worker --alla-kommuner`: one process serving every municipality of the deployment."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from lerum_flow.cli.context import refusals
from lerum_flow.cli.output import console
from lerum_flow.cli.session import CliSession
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.notifications import Notifier
from lerum_flow.process_settings import MailSettings, WorkerSettings
from lerum_flow.settings import Settings
from lerum_flow.temporal_runtime import connect, stop_on_signals
from lerum_flow.temporal_settings import TemporalSettings

if TYPE_CHECKING:  # imported when the command runs: `--help` stays quick
    from lerum_flow.workflows.worker import Watching


def serve_all(ctx: typer.Context, cli: CliSession) -> None:
    from lerum_flow.decisions_taken import ViewDecisions
    from lerum_flow.kommun_register import registered, require_postgres
    from lerum_flow.workflows.fleet import FleetParts, serve_fleet
    from lerum_flow.workflows.worker_process import watched

    with refusals(ctx):
        if cli.settings.kommun:
            raise InvalidInput(
                "--alla-kommuner betjänar varje kommun; ange inte samtidigt --kommun (LERUM_FLOW_KOMMUN).",
                field="kommun",
                rule="kommun_och_alla",
            )
        require_postgres(cli.settings)
        temporal = TemporalSettings.from_environ()
        watching = WorkerSettings.from_environ()
        mail = MailSettings.from_environ()
    import psycopg

    try:
        kommuner: list[str] | None = [k.kod for k in registered(cli.settings)]
    except psycopg.OperationalError:
        # The database is down or restarting as the fleet starts: the fleet asks again at each tick.
        kommuner = None

    def notifier(settings: Settings) -> Notifier | None:
        if mail is None:
            return None
        from lerum_flow.email_notices import email_notifier

        return email_notifier(mail, settings)

    if cli.output.as_json:
        cli.output.json({"temporal": temporal.address, "kommuner": kommuner})
    else:
        codes = "registret svarar inte ännu" if kommuner is None else ", ".join(kommuner) or "inga ännu"
        console().print(
            f"Temporal {escape(temporal.address)}; kommuner: {codes} (registret läses om varje minut). "
            "Avsluta med Ctrl-C."
        )

    async def run(probes: Watching | None) -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        try:
            client = await connect(temporal)
        except RuntimeError as error:
            console(stderr=True).print(
                f"[bold red]Fel:[/] Temporal svarar inte på {escape(temporal.address)}. Orsak: "
                f"{escape(str(error))}"
            )
            raise typer.Exit(1) from None
        await serve_fleet(
            client,
            cli.settings,
            temporal.task_queue,
            stop,
            parts=FleetParts(decisions=ViewDecisions.open, notifier=notifier),
            graceful_stop=timedelta(seconds=watching.graceful_stop_seconds),
            health=probes.health if probes is not None else None,
            metrics=probes.metrics if probes is not None else None,
            sample_seconds=watching.sample_seconds,
        )

    try:
        # The probes and the Temporal SDK's metrics (all namespaces) when LERUM_FLOW_HEALTH_PORT is set;
        # our own figures (leader, lags, steps, waiting deviations) each with its municipality's label.
        with refusals(ctx), watched(watching) as probes:
            asyncio.run(run(probes))
    finally:
        cli.close()
