"""`lerum-flow katalog`: names for the pseudonymous person ids that events carry.

The directory is an ordinary table beside the event store: a name can be
changed or erased without touching the public record. Ids and names pass the
same checks as every other text a person types (lerum_flow.field_types).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from lerum_flow.cli.context import refusals, require_write, session
from lerum_flow.cli.output import console
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import Grid, count, safe, tag_column, text_column
from lerum_flow.commands import DirectoryEntry, DirectoryPerson, parse_command
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.errors import NotFound

app = typer.Typer(
    help="Personkatalogen: namn till de pseudonyma person-id som händelserna bär. Kan ändras och raderas.",
    no_args_is_help=True,
)

PersonId = Annotated[str, typer.Argument(metavar="PERSON", help="Pseudonymt person-id, t.ex. p-1001.")]


@app.command("set", cls=RecordingCommand)
def set_name(
    ctx: typer.Context,
    person_id: PersonId,
    name: Annotated[str, typer.Option("--name", help="Personens namn, som det ska visas.")],
) -> None:
    """Ange eller ändra namnet för ett person-id."""
    cli = session(ctx)
    with refusals(ctx):
        require_write(cli)
        entry = parse_command(DirectoryEntry, person=person_id, name=name)
        PersonDirectory(cli.settings).set_name(entry, datetime.now(UTC))
    if cli.output.as_json:
        cli.output.json({"person": entry.person, "namn": entry.name})
    else:
        console().print(f"Namnet för {safe(entry.person)} är sparat i katalogen (inte i händelserna).")


@app.command("remove", cls=RecordingCommand)
def remove(ctx: typer.Context, person_id: PersonId) -> None:
    """Radera namnet för ett person-id; händelserna behåller bara id:t."""
    cli = session(ctx)
    with refusals(ctx):
        require_write(cli)
        person = parse_command(DirectoryPerson, person=person_id).person
        if not PersonDirectory(cli.settings).remove(person):
            raise NotFound(f"{person} finns inte i katalogen.", field="PERSON", rule="okand_person")
    if cli.output.as_json:
        cli.output.json({"person": person, "raderad": True})
    else:
        console().print(f"Namnet för {safe(person)} är raderat ur katalogen.")


@app.command("list")
def list_names(ctx: typer.Context) -> None:
    """Visa katalogen."""
    cli = session(ctx)
    with refusals(ctx):
        names = PersonDirectory(cli.settings).names()
    if cli.output.as_json:
        cli.output.json(names)
        return
    grid = Grid(f"Personkatalogen ({count(len(names))})", [tag_column("Person-id"), text_column("Namn")])
    for person_id, name in sorted(names.items()):
        grid.add_row(safe(person_id), safe(name))
    console().print(grid)
