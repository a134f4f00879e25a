"""`lerum-flow kommun`: the municipalities one deployment serves, each in a schema of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import safe

app = typer.Typer(
    help="Kommunerna i driftsättningen: var och en med eget schema, egen styrmodell och egen revisorsroll.",
    no_args_is_help=True,
)


@app.command("add", cls=RecordingCommand)
def add(
    ctx: typer.Context,
    kod: Annotated[str, typer.Argument(metavar="KOD", help="Kommunkoden, fyra siffror (Lerum 1441).")],
    styrmodell: Annotated[
        Path, typer.Option("--styrmodell", metavar="FIL", help="Kommunens styrmodell (TOML).")
    ],
    effective_from: Annotated[
        str | None,
        typer.Option("--from", metavar="ÅÅÅÅ-MM-DD", help="Dagen styrmodellen gäller från. Standard: i dag."),
    ] = None,
) -> None:
    """Lägg till en kommun: eget schema med alla tabeller, styrmodellen registrerad och en revisorsroll
    som bara får läsa kommunens schema."""
    from datetime import UTC, datetime

    from lerum_flow.input_dates import parse_day
    from lerum_flow.kommun_setup import add_kommun
    from lerum_flow.municipal_time import business_day
    from lerum_flow.styrmodell import StyrmodellInvalid

    cli = session(ctx)
    with refusals(ctx):
        day = parse_day(effective_from, field="from") if effective_from else business_day(datetime.now(UTC))
        try:
            added = add_kommun(cli.settings, kod, styrmodell, effective_from=day)
        except StyrmodellInvalid as invalid:
            cli.output.problems(str(styrmodell), invalid.problems)
            raise typer.Exit(1) from None
    if cli.output.as_json:
        cli.output.json(
            {
                "kod": added.kod,
                "namn": added.namn,
                "schema": added.schema,
                "namnrymd": added.namespace,
                "revisorsroll": added.auditor_role,
            }
        )
        return
    out = console()
    out.print(f"Kommun {added.kod} ({safe(added.namn)}) tillagd i schemat {added.schema}.")
    out.print(f"Revisorsroll: {added.auditor_role} (får bara läsa {added.schema}).")
    out.print(f"Temporal-namnrymd: {added.namespace}. Ange --kommun {added.kod} eller LERUM_FLOW_KOMMUN.")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Visa driftsättningens kommuner: kod, namn, schema, schemaversion och antal händelser."""
    from lerum_flow.kommun_register import require_postgres
    from lerum_flow.kommun_setup import summaries

    cli = session(ctx)
    with refusals(ctx):
        require_postgres(cli.settings)
        found = summaries(cli.settings)
    if cli.output.as_json:
        cli.output.json(
            {
                "kommuner": [
                    {
                        "kod": s.kommun.kod,
                        "namn": s.kommun.namn,
                        "schema": s.kommun.schema,
                        "namnrymd": s.kommun.namespace,
                        "revisorsroll": s.kommun.auditor_role,
                        "schemaversion": s.schema_version,
                        "handelser": s.events,
                    }
                    for s in found
                ]
            }
        )
        return
    out = console()
    if not found:
        out.print("Inga kommuner tillagda; lägg till en med 'lerum-flow kommun add KOD --styrmodell FIL'.")
        return
    for s in found:
        standing = (
            "ingen läsrätt för den här rollen"
            if s.events is None
            else f"version {s.schema_version}  {s.events} händelser"
        )
        out.print(f"{s.kommun.kod}  {safe(s.kommun.namn)}  schema {s.kommun.schema}  {standing}")


@app.command("migrate", cls=RecordingCommand)
def migrate(ctx: typer.Context) -> None:
    """Kör migreringarna i varje kommuns schema (som 'db migrate' för var och en), vid en uppgradering."""
    import dataclasses

    from lerum_flow import schema
    from lerum_flow.kommun_register import registered, require_postgres

    cli = session(ctx)
    done: dict[str, list[int]] = {}
    with refusals(ctx):
        require_postgres(cli.settings)
        for kommun in registered(cli.settings):
            own = dataclasses.replace(cli.settings, kommun=kommun.kod)
            done[kommun.kod] = [m.number for m in schema.migrate(own)]
    if cli.output.as_json:
        cli.output.json({"tillampade": done})
        return
    out = console()
    for kod, numbers in done.items():
        what = ", ".join(str(n) for n in numbers) if numbers else "inget att göra"
        out.print(f"{kod}: {what}")
    if not done:
        out.print("Inga kommuner tillagda.")
