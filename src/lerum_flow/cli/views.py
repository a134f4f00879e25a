"""Read commands over the views: `uppdrag tree|mine`, `delegering register`, `beslut register`,
`avvikelse board`, and `projections rebuild|run|status` to keep the views themselves.

Every query first catches its views up with the log in this process (the same
code that `projections run` uses), so what a user just recorded is in the
answer even when no projection process is running.

Wiring (in cli/main.py): `register(groups)` adds the commands to the groups
"uppdrag", "beslut", "delegering" and "avvikelse", and creates the group
"projections" in the same dict if it is missing; add that one to the root:

    groups = {"uppdrag": uppdrag.app, "beslut": beslut.app, ...}
    views.register(groups)
    app.add_typer(groups["projections"], name="projections")
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import cache
from types import FrameType
from typing import Annotated, Any
from uuid import UUID

import structlog
import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.tree import Tree

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.swedish_numbers import counted, number
from lerum_flow.cli.swedish_numbers import seconds as seconds_text
from lerum_flow.domain.errors import InvalidInput, Refusal
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.avvikelse import AvvikelseRow, BoardLine, board_by_urgency
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.rebuild import PARALLEL_FROM, rebuild_views
from lerum_flow.projections.registers import DelegationEntry, beslut_register, delegation_register
from lerum_flow.projections.rows import plain
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.projections.uppdrag_queries import BeslutTree, UppdragNode, inbox, uppdrag_tree
from lerum_flow.styrmodell.frister import acknowledgement_deadline, acknowledgement_time

logger = structlog.get_logger("lerum_flow.cli")

STATUS_NAMES = {
    "utfardat": "utfärdat",
    "mottaget": "mottaget",
    "rapporterat": "rapporterat",
    "rapport_godkand": "rapport godkänd",
    "rapport_aterforvisad": "rapport återförvisad",
    "slutfort": "slutfört",
    "aterkallat": "återkallat",
    "rapporterad": "rapporterad",
    "kvitterad": "kvitterad",
    "atgard_beslutad": "åtgärd beslutad",
    "stangd": "stängd",
}

PageSizeOption = Annotated[
    int,
    typer.Option("--page-size", min=1, max=100_000, help="Händelser per läsning och transaktion."),
]
ProcessesOption = Annotated[
    int | None,
    typer.Option(
        "--processes",
        min=1,
        max=64,
        help="Processer som bygger vyerna samtidigt (standard: en per kärna, högst en per vy, "
        f"när loggen har minst {PARALLEL_FROM} händelser; annars en).",
    ),
]


# --- shared by the read commands (also used by cli/audit_replay.py) ----------------


@contextmanager
def caught_up_views(ctx: typer.Context, *names: str) -> Iterator[ViewStore]:
    """The store's views, with the named ones (all if none) caught up with the log first."""
    store = ViewStore.open(session(ctx).settings)
    try:
        applied = store.projector(names=names).catch_up()
        if applied:
            logger.info("vyer_ikapp", vyer=list(names) or "alla", handelser=applied)
        yield store
    finally:
        store.close()


def now() -> datetime:
    return datetime.now(MUNICIPAL_TIME)


def parse_day(value: str | None, *, field: str) -> date:
    """An ISO date typed by the user; empty means today (in Sweden)."""
    if not value:
        return now().date()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-06-30.",
            field=field,
            rule="ogiltigt_varde",
        ) from None


def parse_id(value: str, *, field: str = "id") -> UUID:
    try:
        return UUID(value.strip())
    except ValueError:
        raise InvalidInput(
            f"'{value}' är inget id (UUID); id:t skrivs ut när posten registreras.",
            field=field,
            rule="ogiltigt_varde",
        ) from None


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def day(value: date | None) -> str:
    return value.isoformat() if value else "–"


def waited(duration: timedelta) -> str:
    hours = int(duration.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"


def uppdrag_line(row: UppdragRow, on: date) -> str:
    """One uppdrag as a line of Rich markup: who to whom, what, status, assessment, due."""
    parts = [
        f"[bold]{escape(row.giver)} → {escape(row.recipient)}[/]: {escape(row.title)}",
        escape(f"[{status_name(row.status)}]"),
    ]
    if row.assessment:
        parts.append(f"bedömning: {escape(row.assessment)}")
    if row.due:
        parts.append(f"slutdatum {row.due.isoformat()}")
    if row.is_overdue(on):
        parts.append("[bold red]FÖRSENAT[/]")
    if row.secrecy:
        parts.append(f"[yellow]sekretess: {escape(row.secrecy)}[/]")
    return "  ".join(parts) + f"  [dim]{row.id}[/]"


def uppdrag_json(row: UppdragRow, on: date) -> dict[str, Any]:
    return {**plain(row), "forsenat": row.is_overdue(on)}


def beslut_label(beslut: BeslutRow | None, beslut_id: UUID | None) -> str:
    if beslut is None:
        return f"[red]Okänt beslut {beslut_id or '(inget angivet)'}[/]"
    paragraf = f" {escape(beslut.paragraf)}" if beslut.paragraf else ""
    return (
        f"[bold]{escape(beslut.diarienummer)}{paragraf}[/] {escape(beslut.title)} "
        f"({escape(beslut.decided_by)}, {beslut.decided_on.isoformat()})"
    )


# --- uppdrag tree / mine -------------------------------------------------------------


def tree(
    ctx: typer.Context,
    beslut: Annotated[
        str | None,
        typer.Argument(metavar="BESLUT", help="Beslutets id. Utan: alla beslut som har uppdrag."),
    ] = None,
) -> None:
    """Visa uppdragen från ett politiskt beslut ned till enskilda uppdrag: mottagare, status,
    bedömning och om de är försenade."""
    cli = session(ctx)
    with refusals(ctx):
        beslut_id = parse_id(beslut, field="beslut") if beslut else None
    with caught_up_views(ctx, "uppdrag_view", "beslut_view") as store:
        trees = uppdrag_tree(store.views, beslut_id=beslut_id)
    today = now().date()
    if cli.output.as_json:
        cli.output.json({"datum": today.isoformat(), "beslut": [_tree_json(t, today) for t in trees]})
        return
    if not trees:
        console().print("Inga uppdrag" + (" under det beslutet." if beslut_id else "."))
        return
    for found in trees:
        root = Tree(beslut_label(found.beslut, found.beslut_id))
        _add_nodes(root, found.roots, today)
        console().print(root)


def _add_nodes(parent: Tree, nodes: tuple[UppdragNode, ...], on: date) -> None:
    for node in nodes:
        _add_nodes(parent.add(uppdrag_line(node.uppdrag, on)), node.children, on)


def _tree_json(found: BeslutTree, on: date) -> dict[str, Any]:
    def node(n: UppdragNode) -> dict[str, Any]:
        return {**uppdrag_json(n.uppdrag, on), "deluppdrag": [node(c) for c in n.children]}

    return {
        "beslut_id": str(found.beslut_id) if found.beslut_id else None,
        "beslut": plain(found.beslut) if found.beslut else None,
        "uppdrag": [node(n) for n in found.roots],
    }


def mine(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--as", metavar="BEFATTNING", help="Befattningen vars inkorg visas.")],
) -> None:
    """Visa vad som väntar på en befattning: uppdrag att ta emot och att återrapportera,
    rapporter att granska och godkända rapporter att slutföra."""
    cli = session(ctx)
    with caught_up_views(ctx, "uppdrag_view") as store:
        found = inbox(store.views, role)
    today = now().date()
    sections = {
        "att_ta_emot": ("Att ta emot", found.to_accept),
        "att_aterrapportera": ("Att återrapportera", found.to_report),
        "att_granska": ("Rapporter att granska", found.to_review),
        "att_slutfora": ("Godkända, att slutföra", found.to_complete),
    }
    if cli.output.as_json:
        data: dict[str, Any] = {"befattning": role, "datum": today.isoformat()}
        data |= {key: [uppdrag_json(r, today) for r in rows] for key, (_, rows) in sections.items()}
        cli.output.json(data)
        return
    out = console()
    if not any(rows for _, rows in sections.values()):
        out.print(f"Inget väntar på {escape(role)}.")
        return
    for title, rows in sections.values():
        if rows:
            out.print(f"[bold underline]{title} ({len(rows)})[/]")
            for row in rows:
                out.print("  " + uppdrag_line(row, today))


# --- registers -------------------------------------------------------------------------


def delegering_register(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Gällande den dagen. Standard: i dag.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Alla delegeringar, även upphörda och kommande.")
    ] = False,
) -> None:
    """Visa delegationsregistret: vem som har vilken delegering, från vem och med stöd av vilket beslut."""
    cli = session(ctx)
    with refusals(ctx):
        day_asked = parse_day(on, field="date")
    with caught_up_views(ctx, "delegering_view", "beslut_view") as store:
        entries = delegation_register(store.views, on=day_asked, everything=everything)
    if cli.output.as_json:
        cli.output.json(
            {"datum": day_asked.isoformat(), "delegeringar": [_delegation_json(e) for e in entries]}
        )
        return
    console().print(delegation_table(entries, f"Delegationsregister {day_asked.isoformat()}"))


def _delegation_json(entry: DelegationEntry) -> dict[str, Any]:
    return {**plain(entry.delegering), "beslut": plain(entry.beslut) if entry.beslut else None}


def delegation_table(entries: list[DelegationEntry], title: str) -> Table:
    table = Table(title=f"{title} ({len(entries)})", title_justify="left")
    for column in ("Delegat", "Beslutsområde", "Från", "Beslut", "Gäller", "Vidare från"):
        table.add_column(column, overflow="fold")
    table.add_column("Id", no_wrap=True)
    for entry in entries:
        d = entry.delegering
        until = f" – {d.valid_until.isoformat()}" if d.valid_until else " –"
        table.add_row(
            escape(d.delegate) + (" (brådskande)" if d.urgent else ""),
            escape(d.matter),
            escape(d.granted_by),
            beslut_label(entry.beslut, d.beslut_id),
            d.valid_from.isoformat() + until,
            str(d.parent_id)[:8] if d.parent_id else "",
            str(d.id),
        )
    return table


def beslut_register_command(
    ctx: typer.Context,
    unreported: Annotated[
        bool,
        typer.Option("--unreported", help="Bara delegationsbeslut som ännu inte är anmälda."),
    ] = False,
    organ: Annotated[
        str, typer.Option("--organ", metavar="BEFATTNING", help="Bara beslut av den befattningen.")
    ] = "",
) -> None:
    """Visa beslutsregistret, med vilka delegationsbeslut som ännu inte är anmälda."""
    cli = session(ctx)
    with caught_up_views(ctx, "beslut_view") as store:
        rows = beslut_register(store.views, unreported=unreported, organ=organ)
    if cli.output.as_json:
        cli.output.json({"beslut": [{**plain(r), "ej_anmalt": r.awaits_report} for r in rows]})
        return
    console().print(beslut_table(rows, "Ej anmälda delegationsbeslut" if unreported else "Beslutsregister"))


def beslut_table(rows: list[BeslutRow], title: str) -> Table:
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    table.add_column("Datum", no_wrap=True)
    for column in ("Diarienummer", "Av", "Slag", "Rubrik", "Anmälan"):
        table.add_column(column, overflow="fold")
    table.add_column("Id", no_wrap=True)
    for row in rows:
        if not row.is_delegated:
            anmalan = ""
        elif row.reported:
            anmalan = f"anmält {day(row.reported_on)} till {escape(row.report_to)}"
        else:
            anmalan = f"[bold red]ej anmält[/] (till {escape(row.report_to)})"
        corrected = f" [dim](rättat {row.corrections} ggr)[/]" if row.corrections else ""
        table.add_row(
            row.decided_on.isoformat(),
            escape(f"{row.diarienummer} {row.paragraf}".strip()),
            escape(row.decided_by),
            escape(row.kind),
            escape(row.title) + corrected,
            anmalan,
            str(row.id),
        )
    return table


def board(
    ctx: typer.Context,
    level: Annotated[
        str, typer.Option("--level", metavar="BEFATTNING", help="Bara avvikelser som ligger hos den nivån.")
    ] = "",
) -> None:
    """Visa öppna avvikelser per nivå med kvittensfrist och hur länge de har väntat, mest brådskande först."""
    cli = session(ctx)
    deadline_of = _acknowledgement_deadlines(ctx)
    where: dict[str, object] = {"level": level} if level else {}
    with caught_up_views(ctx, "avvikelse_view") as store:
        rows = store.views.avvikelse.select(AvvikelseRow, **where)
    found = board_by_urgency(rows, now=now(), deadline_of=deadline_of)
    if cli.output.as_json:
        cli.output.json(
            {
                "nivaer": {lvl: [_board_json(line) for line in lines] for lvl, lines in found},
                # The levels' order is the board's: most urgent first.
                "ordning": [lvl for lvl, _ in found],
            }
        )
        return
    if not found:
        console().print("Inga öppna avvikelser" + (f" hos {escape(level)}." if level else "."))
        return
    for lvl, lines in found:
        console().print(board_table(lvl, lines))


def _board_json(line: BoardLine) -> dict[str, Any]:
    return {
        **plain(line.avvikelse),
        "vantat_timmar": round(line.waited.total_seconds() / 3600, 1),
        "kvittens_senast": line.deadline.isoformat() if line.deadline else None,
        "kvittens_forsenad": line.overdue,
    }


def board_table(level: str, lines: list[BoardLine]) -> Table:
    table = Table(title=f"Hos {escape(level)} ({len(lines)})", title_justify="left")
    table.add_column("Kvittens senast", no_wrap=True)
    table.add_column("Väntat", no_wrap=True)
    for column in ("Status", "Allvar", "Kategori", "Beskrivning", "Rapporterad av"):
        table.add_column(column, overflow="fold")
    table.add_column("Id", no_wrap=True)
    for line in lines:
        a: AvvikelseRow = line.avvikelse
        if line.deadline is None:
            deadline = "–"
        else:
            deadline = line.deadline.astimezone(MUNICIPAL_TIME).strftime("%Y-%m-%d %H:%M")
            if line.overdue:
                deadline = f"[bold red]{deadline} (försenad)[/]"
        table.add_row(
            deadline,
            waited(line.waited),
            status_name(a.status),
            escape(a.severity),
            escape(a.category),
            escape(a.description),
            escape(a.reporter),
            str(a.id),
        )
    return table


def _acknowledgement_deadlines(ctx: typer.Context) -> Callable[[AvvikelseRow], datetime | None]:
    """When the level holding a deviation must acknowledge it: the escalation workflow's own rule."""
    cli = session(ctx)
    with refusals(ctx):
        styrmodell = cli.styrmodell()

    @cache
    def allowed(level: str) -> timedelta | None:
        try:
            kind = str(cli.governance().position(level).kind)
        except Refusal:  # a level no longer in the chain has no deadline to show
            return None
        return acknowledgement_time(styrmodell, kind)

    def deadline_of(row: AvvikelseRow) -> datetime | None:
        time_allowed = allowed(row.level)
        return acknowledgement_deadline(row.at_level_since, time_allowed) if time_allowed else None

    return deadline_of


# --- projections ---------------------------------------------------------------------------


def rebuild(
    ctx: typer.Context, page_size: PageSizeOption = DEFAULT_PAGE_SIZE, processes: ProcessesOption = None
) -> None:
    """Töm alla vyer och bygg om dem från händelseloggen."""
    cli = session(ctx)
    store = ViewStore.open(cli.settings)
    try:
        head = store.projector().head()
    finally:
        store.close()
    started = datetime.now()
    if cli.output.as_json:
        rebuilt = rebuild_views(cli.settings, processes=processes, page_size=page_size)
    else:
        with Progress(
            TextColumn("Bygger om vyerna"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console(stderr=True),
        ) as progress:
            task = progress.add_task("ombyggnad", total=head)
            rebuilt = rebuild_views(
                cli.settings,
                processes=processes,
                page_size=page_size,
                progress=lambda position: progress.update(task, completed=position),
            )
    seconds = (datetime.now() - started).total_seconds()
    applied, positions = rebuilt.events, rebuilt.positions
    logger.info("vyer_ombyggda", handelser=applied, position=head, sekunder=round(seconds, 2))
    if cli.output.as_json:
        cli.output.json({"ombyggda": positions, "handelser": applied, "sekunder": round(seconds, 3)})
        return
    done = counted(applied, "händelse", "händelser")
    console().print(f"Vyerna är ombyggda till position {number(head)} ({done} på {seconds_text(seconds)}).")


def run(ctx: typer.Context, page_size: PageSizeOption = DEFAULT_PAGE_SIZE) -> None:
    """Följ händelseloggen och håll vyerna aktuella tills du avbryter (Ctrl-C)."""
    cli = session(ctx)
    stop = threading.Event()
    store = ViewStore.open(cli.settings)
    projector = store.projector(page_size=page_size)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in previous:
        signal.signal(sig, request_stop)
    try:
        if not cli.output.as_json:
            console(stderr=True).print("Följer händelseloggen; avbryt med Ctrl-C.")
        logger.info("vyer_foljer", position=projector.positions())
        projector.follow(stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        positions = projector.positions()
        store.close()
    logger.info("vyer_stoppade", position=positions)
    if cli.output.as_json:
        cli.output.json({"stoppad": True, "positioner": positions})
    else:
        console(stderr=True).print("Avslutat.")


def status(ctx: typer.Context) -> None:
    """Visa varje vys position jämfört med händelseloggens senaste händelse."""
    cli = session(ctx)
    store = ViewStore.open(cli.settings)
    try:
        projector = store.projector()
        head = projector.head()
        positions = projector.positions()
    finally:
        store.close()
    if cli.output.as_json:
        cli.output.json(
            {"logg": head, "vyer": {n: {"position": p, "efter": head - p} for n, p in positions.items()}}
        )
        return
    table = Table(title=f"Vyer (händelseloggen: {head})", title_justify="left")
    table.add_column("Vy")
    table.add_column("Position", justify="right")
    table.add_column("Efter", justify="right")
    for name, position in positions.items():
        behind = head - position
        table.add_row(name, str(position), f"[yellow]{behind}[/]" if behind else "0")
    console().print(table)


def register(app_by_group: dict[str, typer.Typer]) -> None:
    """Add the read commands to those of their groups that are given."""
    readers: dict[str, list[tuple[str, Callable[..., None]]]] = {
        "uppdrag": [("tree", tree), ("mine", mine)],
        "delegering": [("register", delegering_register)],
        "beslut": [("register", beslut_register_command)],
        "avvikelse": [("board", board)],
    }
    for group, commands in readers.items():
        if group in app_by_group:
            for name, function in commands:
                app_by_group[group].command(name)(function)


def projections_app() -> typer.Typer:
    """The `projections` group: rebuild, follow and show the views."""
    projections = typer.Typer(help="Vyerna: bygg om, följ händelseloggen, visa läget.", no_args_is_help=True)
    projections.command("rebuild")(rebuild)
    projections.command("run")(run)
    projections.command("status")(status)
    return projections
