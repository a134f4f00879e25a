"""`lerum-flow db`: the store's schema, created and upgraded only here, once per deployment."""

from __future__ import annotations

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import safe

app = typer.Typer(
    help="Lagrets schema: skapa och uppgradera tabellerna (en gång per driftsättning), visa versionen.",
    no_args_is_help=True,
)


@app.command("migrate", cls=RecordingCommand)
def migrate(ctx: typer.Context) -> None:
    """Skapa eller uppgradera lagrets tabeller, index, typer och triggrar till programmets version."""
    from lerum_flow import schema
    from lerum_flow.domain.errors import NotPermitted

    cli = session(ctx)
    with refusals(ctx):
        if not schema.may_write(cli.settings):
            raise NotPermitted(
                "Databasrollen (eller filen) får bara läsa; 'db migrate' körs av lagrets ägare.",
                rule="skrivskyddat",
            )
        done = schema.migrate(cli.settings)
        after = schema.status(cli.settings)
    if cli.output.as_json:
        cli.output.json({"tillampade": [m.number for m in done], **after.as_json()})
        return
    out = console()
    for migration in done:
        out.print(f"Version {migration.number}: {safe(migration.name)}.")
    if not done:
        out.print("Inget att göra.")
    out.print(after.describe())


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Visa lagrets schemaversion, vilka migreringar som gjorts och vilka som väntar."""
    from lerum_flow import schema

    cli = session(ctx)
    with refusals(ctx):
        found = schema.status(cli.settings)
    if cli.output.as_json:
        cli.output.json(found.as_json())
        return
    out = console()
    for applied in found.applied:
        out.print(f"Version {applied.number} ({applied.applied_at[:19]}): {safe(applied.name)}.")
    for pending in found.pending:
        out.print(f"Väntar: version {pending.number}: {safe(pending.name)}.")
    out.print(found.describe())
