"""What the read commands share: views caught up before a query, days and periods, paging,
and the lines and labels that several groups print (audit's as-of prints uppdrag and beslut too).

Every query first catches its views up with the log in this process (the same
code that `projections run` uses), so what a user just recorded is in the
answer even when no projection process is running. The read commands
themselves live beside the writes of their group (`uppdrag tree` in
cli/uppdrag.py, `avvikelse board` in cli/avvikelse.py, ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.markup import escape

from lerum_flow import input_dates
from lerum_flow.cli.context import session
from lerum_flow.cli.ids import IdLabels
from lerum_flow.cli.tables import (
    count,
    safe,
)
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.logs import get_logger
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import (
    Page,
    Paging,
    Period,
)
from lerum_flow.projections.rows import plain
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.status_names import status_name

logger = get_logger("lerum_flow.cli")


# --- shared by the read commands (also used by cli/audit_replay.py) ----------------


@contextmanager
def caught_up_views(ctx: typer.Context, *names: str) -> Iterator[ViewStore]:
    """The store's views, with the named ones (all if none) caught up with the log first.

    A run that may only read (an auditor) writes nothing: it reads the stored
    views when they are current, else replays the log in memory, and says which.
    """
    cli = session(ctx)
    cli.require_store()
    settings = cli.store_settings()
    if settings.read_only:
        store, answered = ViewStore.open_read_only(settings, names=names)
        logger.info("vyer_lasta", omspelade=answered.replayed, position=answered.position)
        if not cli.output.as_json:
            from lerum_flow.cli.output import console

            console(stderr=True).print(f"[dim]{answered.describe()}[/]")
        try:
            yield store
        finally:
            store.close()
        return
    store = ViewStore.open(settings)
    try:
        applied = store.projector(names=names).catch_up()
        if applied:
            logger.info("vyer_ikapp", vyer=list(names) or "alla", handelser=applied)
        yield store
    finally:
        store.close()


def now() -> datetime:
    return datetime.now(MUNICIPAL_TIME)


def parse_period(start: str | None, end: str | None) -> Period:
    """--from and --to as a period; either may be left out, but one given empty is refused."""
    period = Period(
        input_dates.parse_day(start, field="from") if start is not None else None,
        input_dates.parse_day(end, field="to") if end is not None else None,
    )
    if period.start and period.end and period.end < period.start:
        raise InvalidInput(
            f"--to ({period.end.isoformat()}) ligger före --from ({period.start.isoformat()}).",
            field="to",
            rule="period",
        )
    return period


def filter_given(value: str | None, *, field: str) -> str:
    """A read's filter as typed, '' when left out. One given empty (an unset shell variable) is
    refused as a write refuses an empty text: taken as no filter, it would answer for everything."""
    if value is None:
        return ""
    if not value.strip():
        raise InvalidInput(f"{field}: Får inte vara tomt.", field=field, rule="ogiltigt_varde")
    return value


def day(value: date | None) -> str:
    return value.isoformat() if value else "–"


def waited(duration: timedelta) -> str:
    """How long something has waited, in days and hours (the board never has it below nothing)."""
    hours = int(duration.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"


def uppdrag_line(row: UppdragRow, on: date, label: IdLabels) -> str:
    """One uppdrag as a line of Rich markup: its id, who to whom, what, status, assessment, due."""
    parts = [
        f"[dim]{label(row.id)}[/] [bold]{safe(row.giver)} → {safe(row.recipient)}[/]: {safe(row.title)}",
        escape(f"[{status_name(row.status)}]"),
    ]
    if row.assessment:
        parts.append(f"bedömning: {safe(row.assessment)}")
    if row.due:
        parts.append(f"slutdatum {row.due.isoformat()}")
    if row.is_overdue(on):
        parts.append("[bold red]FÖRSENAT[/]")
    if row.secrecy:
        parts.append(f"[yellow]sekretess: {safe(row.secrecy)}[/]")
    return "  ".join(parts)


def uppdrag_json(row: UppdragRow, on: date) -> dict[str, Any]:
    return {**plain(row), "forsenat": row.is_overdue(on)}


def beslut_label(beslut: BeslutRow | None, beslut_id: UUID | None, label: IdLabels) -> str:
    if beslut is None:
        return f"[red]Okänt beslut {label(beslut_id) or '(inget angivet)'}[/]"
    paragraf = f" {safe(beslut.paragraf)}" if beslut.paragraf else ""
    return (
        f"[bold]{safe(beslut.diarienummer)}{paragraf}[/] {safe(beslut.title)} "
        f"({safe(beslut.decided_by)}, {beslut.decided_on.isoformat()})"
    )


def paged_footer(page: Page[Any], paging: Paging) -> str:
    """Which rows were shown, of how many, and how to see the next ones; empty when all were shown."""
    if not page.after and not page.offset:
        return ""
    first, last = page.offset + 1, page.offset + len(page.rows)
    shown = f"Visar {count(first)}–{count(last)} av {count(page.total)}" if page.rows else "Inga rader här"
    if page.after:
        return f"{shown}; {count(page.after)} till: --offset {last}" + (
            f" --limit {paging.limit}." if paging.limit else "."
        )
    return f"{shown}."


LimitOption = Annotated[int | None, typer.Option("--limit", metavar="N", min=1, help="Visa högst N rader.")]
OffsetOption = Annotated[int, typer.Option("--offset", metavar="N", min=0, help="Hoppa över de N första.")]
FromOption = Annotated[
    str | None, typer.Option("--from", metavar="ÅÅÅÅ-MM-DD", help="Från och med den dagen.")
]
ToOption = Annotated[str | None, typer.Option("--to", metavar="ÅÅÅÅ-MM-DD", help="Till och med den dagen.")]


def paging_of(limit: int | None, offset: int) -> Paging:
    if offset and limit is None:
        raise InvalidInput("--offset kräver --limit.", field="offset", rule="offset_kraver_limit")
    return Paging(limit, offset)
