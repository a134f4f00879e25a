"""The table of one record's history (`audit history`): imported only when a person reads it,
so that `--json` reads start without Rich."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from lerum_flow.cli.field_labels import field_label
from lerum_flow.cli.ids import IdLabels
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
from lerum_flow.domain.forordnande import ROLE_NAMES, Role
from lerum_flow.event_names import event_name
from lerum_flow.history import HistoryEntry


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
        f"Historik för {record(entries[0].id)} ({count(len(entries))} "
        f"{'händelse' if len(entries) == 1 else 'händelser'})",
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


def _details(entry: HistoryEntry, label: IdLabels) -> str:
    """The event's own fields, one per line, named in Swedish, as markup; ids shown as the table shows ids."""
    parts = [
        f"{field_label(key, entry.event)}: {_text(value, label)}"
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
