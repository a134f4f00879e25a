"""`lerum-flow audit`: read-only views for revisorer and anyone checking the record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from uuid import UUID

import typer

from lerum_flow.cli.context import existing_store, refusals, session
from lerum_flow.cli.ids import FullIdsOption, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.forordnande import Role
from lerum_flow.history import HistoryEntry

app = typer.Typer(help="Granska: läs händelser utan att ändra något.", no_args_is_help=True)


@app.command("history")
def history(
    ctx: typer.Context,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="Postens id eller dess början (beslut, uppdrag ...).")
    ],
    full_ids: FullIdsOption = False,
) -> None:
    """Visa varje händelse i en post i ordning: vem, när registrerad och från när den gäller."""
    cli = session(ctx)
    with refusals(ctx), existing_store(cli) as log:
        entries = log.history(log.resolve_id(record_id))
        roles = {entry.version: log.acting_role(entry) for entry in entries}
        # Names come from the changeable directory, never from the events.
        names = PersonDirectory(cli.settings).names()
        label = id_labels(log.short_ids, _ids(entries), full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            [
                entry.as_dict() | {"roll": _role(roles[entry.version]), "namn": names.get(entry.person)}
                for entry in entries
            ]
        )
        return
    from lerum_flow.cli.history_table import history_table  # Rich: only for a person's table

    console().print(history_table(entries, names, label, roles))


def _role(role: Role | None) -> str | None:
    return None if role is None else str(role)


def _ids(entries: list[HistoryEntry]) -> Iterator[UUID]:
    """The record's id and every id its events name (the decision, the parent ...)."""
    for entry in entries:
        yield entry.id
        for value in entry.details.values():
            if isinstance(value, UUID):
                yield value
