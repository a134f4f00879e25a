"""`lerum-flow audit`: read-only views for revisorer and anyone checking the record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import typer

from lerum_flow.cli.context import existing_store, refusals, session
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.json_keys import SWEDISH
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import (
    Grid,
    count,
    date_column,
    lines,
    number_column,
    safe,
    tag_column,
    text_column,
)
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.forordnande import ROLE_NAMES, Role
from lerum_flow.event_names import event_name
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
    with refusals(ctx), existing_store(cli) as governance:
        entries = governance.history(governance.resolve_id(record_id))
        roles = {entry.version: governance.acting_role(entry) for entry in entries}
        # Names come from the changeable directory, never from the events.
        names = PersonDirectory(cli.settings).names()
        label = id_labels(governance.short_ids, _ids(entries), full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            [
                entry.as_dict() | {"roll": _role(roles[entry.version]), "namn": names.get(entry.person)}
                for entry in entries
            ]
        )
        return
    console().print(history_table(entries, names, label, roles))


def history_table(
    entries: list[HistoryEntry],
    names: dict[str, str] | None = None,
    label: IdLabels | None = None,
    roles: dict[int, Role | None] | None = None,
) -> Grid:
    """One row per event; who acted is under the event (position, then person and the capacity
    they held it in) and the time under the day it was recorded, so that 80 columns suffice."""
    record = label or IdLabels()
    grid = Grid(
        f"Historik för {record(entries[0].id)} ({count(len(entries))} händelser)",
        [
            number_column("#"),
            tag_column("Händelse, vem", 10),
            date_column("Registrerad"),
            date_column("Gäller från"),
            text_column("Uppgifter", 18),
        ],
    )
    for entry in entries:
        role = (roles or {}).get(entry.version)
        person = (
            entry.person
            + (f", {ROLE_NAMES[role]}" if role is not None else "")
            + (f" ({names[entry.person]})" if names and entry.person in names else "")
        )
        grid.add_row(
            str(entry.version),
            lines(f"[bold]{event_name(entry.event)}[/]", safe(entry.actor), f"[dim]{safe(person)}[/]"),
            lines(f"{entry.recorded_at:%Y-%m-%d}", f"{entry.recorded_at:%H:%M:%S} UTC"),
            entry.effective_on.isoformat(),
            _details(entry, record),
        )
    return grid


def _role(role: Role | None) -> str | None:
    return None if role is None else str(role)


def _details(entry: HistoryEntry, label: IdLabels) -> str:
    """The event's own fields, one per line, named in Swedish, as markup; ids shown as the table shows ids."""
    parts = [
        f"{SWEDISH.get(key, key).replace('_', ' ')}: {_text(value, label)}"
        for key, value in entry.details.items()
        if value not in (None, "", [])
    ]
    if entry.secrecy:
        parts.append(f"sekretess: {entry.secrecy}")
    return "\n".join(safe(part) for part in parts)


def _text(value: Any, label: IdLabels) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, UUID):
        return label(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_text(v, label) for v in value)
    return str(value)


def _ids(entries: list[HistoryEntry]) -> Iterator[UUID]:
    """The record's id and every id its events name (the decision, the parent ...)."""
    for entry in entries:
        yield entry.id
        for value in entry.details.values():
            if isinstance(value, UUID):
                yield value
