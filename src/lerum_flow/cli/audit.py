"""`lerum-flow audit`: read-only views for revisorer and anyone checking the record."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import typer
from rich.markup import escape
from rich.table import Table

from lerum_flow.cli.context import existing_store, refusals, session
from lerum_flow.cli.output import console
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.history import HistoryEntry

app = typer.Typer(help="Granska: läs händelser utan att ändra något.", no_args_is_help=True)


@app.command("history")
def history(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Postens id (beslut, uppdrag ...).")],
) -> None:
    """Visa varje händelse i en post i ordning: vem, när registrerad och från när den gäller."""
    cli = session(ctx)
    with refusals(ctx), existing_store(cli) as governance:
        entries = governance.history(_parse_id(record_id))
        # Names come from the changeable directory, never from the events.
        names = PersonDirectory(cli.settings).names()
    if cli.output.as_json:
        cli.output.json([entry.as_dict() | {"namn": names.get(entry.person)} for entry in entries])
        return
    console().print(history_table(entries, names))


def _parse_id(value: str) -> UUID:
    try:
        return UUID(value.strip())
    except ValueError:
        raise InvalidInput(
            f"'{value}' är inget id (UUID); id:t skrivs ut när posten registreras.",
            field="id",
            rule="ogiltigt_varde",
        ) from None


def history_table(entries: list[HistoryEntry], names: dict[str, str] | None = None) -> Table:
    table = Table(
        title=f"Historik för {entries[0].id} ({len(entries)} händelser)",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("Händelse")
    table.add_column("Registrerad (UTC)")
    table.add_column("Gäller från", no_wrap=True)
    table.add_column("Som")
    table.add_column("Person")
    table.add_column("Uppgifter", ratio=1, overflow="fold")
    for entry in entries:
        table.add_row(
            str(entry.version),
            entry.event,
            entry.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.effective_on.isoformat(),
            escape(entry.actor),
            escape(entry.person + (f" ({names[entry.person]})" if names and entry.person in names else "")),
            escape(_details(entry)),
        )
    return table


def _details(entry: HistoryEntry) -> str:
    plain = entry.as_dict()["uppgifter"]
    lines = [f"{key}: {_text(value)}" for key, value in plain.items() if value not in (None, "", [])]
    if entry.secrecy:
        lines.append(f"sekretess: {entry.secrecy}")
    return "\n".join(lines)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
