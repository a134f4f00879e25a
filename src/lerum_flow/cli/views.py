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
from rich.tree import Tree

from lerum_flow import input_dates
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.cli.swedish_numbers import counted, number
from lerum_flow.cli.swedish_numbers import seconds as seconds_text
from lerum_flow.cli.tables import (
    Grid,
    count,
    date_column,
    id_column,
    lines,
    number_column,
    safe,
    tag_column,
    text_column,
)
from lerum_flow.domain.errors import InvalidInput, Refusal
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.avvikelse import AvvikelseRow, BoardLine, board_by_urgency
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.log import DEFAULT_PAGE_SIZE
from lerum_flow.projections.rebuild import PARALLEL_FROM, rebuild_views
from lerum_flow.projections.registers import (
    ALL_TIME,
    DelegationEntry,
    Page,
    Paging,
    Period,
    beslut_register,
    delegation_register,
)
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
    return input_dates.parse_day(value, field=field)


def parse_period(start: str | None, end: str | None) -> Period:
    """--from and --to as a period; either may be left out."""
    period = Period(
        parse_day(start, field="from") if start else None, parse_day(end, field="to") if end else None
    )
    if period.start and period.end and period.end < period.start:
        raise InvalidInput(
            f"--to ({period.end.isoformat()}) ligger före --from ({period.start.isoformat()}).",
            field="to",
            rule="period",
        )
    return period


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def day(value: date | None) -> str:
    return value.isoformat() if value else "–"


def waited(duration: timedelta) -> str:
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


# --- uppdrag tree / mine -------------------------------------------------------------

UPPDRAG_STATUSES = {status_name(s.value): s.value for s in UppdragStatus}


def _uppdrag_status(value: str) -> str:
    """An uppdrag status as shown (utfärdat) or as stored (utfardat)."""
    wanted = value.strip().lower()
    for shown_name, stored in UPPDRAG_STATUSES.items():
        if wanted in (shown_name, stored):
            return stored
    raise InvalidInput(
        f"Statusen '{value}' finns inte; välj bland: {', '.join(UPPDRAG_STATUSES)}.",
        field="status",
        rule="ogiltigt_varde",
    )


def tree(
    ctx: typer.Context,
    beslut: Annotated[
        str | None,
        typer.Argument(metavar="BESLUT", help="Beslutets id (samma som --root)."),
    ] = None,
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="ID", help="Ett besluts eller uppdrags id: bara det som ligger under."
        ),
    ] = None,
    level: Annotated[
        str,
        typer.Option(
            "--level", metavar="BEFATTNING", help="Bara uppdrag till den befattningen och det de bryts ned i."
        ),
    ] = "",
    status: Annotated[
        str, typer.Option("--status", metavar="STATUS", help="Bara uppdrag med den statusen, t.ex. utfärdat.")
    ] = "",
    full_ids: FullIdsOption = False,
) -> None:
    """Visa uppdragen från ett politiskt beslut ned till enskilda uppdrag: mottagare, status,
    bedömning och om de är försenade. Utan filter: alla beslut som har uppdrag."""
    cli = session(ctx)
    with refusals(ctx):
        if beslut and root:
            raise InvalidInput(
                "Ange roten antingen som BESLUT eller med --root.", field="root", rule="en_rot"
            )
        wanted_status = _uppdrag_status(status) if status else ""
        if level.strip():
            require_position(cli.governance(), level.strip(), field="level")
    with caught_up_views(ctx, "uppdrag_view", "beslut_view") as store:
        with refusals(ctx):
            found = (
                store.ids.find(
                    beslut or root or "", ("beslut", "uppdrag"), field="root" if root else "beslut"
                )
                if beslut or root
                else None
            )
        trees = uppdrag_tree(
            store.views,
            beslut_id=found.id if found and found.kind == "beslut" else None,
            under=found.id if found and found.kind == "uppdrag" else None,
            recipient=level.strip(),
            status=wanted_status,
        )
        label = id_labels(store.ids.short, _tree_ids(trees), full=show_full_ids(full_ids, cli))
    today = now().date()
    if cli.output.as_json:
        cli.output.json({"datum": today.isoformat(), "beslut": [_tree_json(t, today) for t in trees]})
        return
    if not trees:
        console().print("Inga uppdrag" + (" med de villkoren." if found or level or status else "."))
        return
    for one in trees:
        top = Tree(beslut_label(one.beslut, one.beslut_id, label))
        _add_nodes(top, one.roots, today, label)
        console().print(top)


def _tree_ids(trees: list[BeslutTree]) -> Iterator[UUID | None]:
    def walk(nodes: tuple[UppdragNode, ...]) -> Iterator[UUID]:
        for node in nodes:
            yield node.uppdrag.id
            yield from walk(node.children)

    for one in trees:
        yield one.beslut_id
        yield from walk(one.roots)


def _add_nodes(parent: Tree, nodes: tuple[UppdragNode, ...], on: date, label: IdLabels) -> None:
    for node in nodes:
        _add_nodes(parent.add(uppdrag_line(node.uppdrag, on, label)), node.children, on, label)


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
    full_ids: FullIdsOption = False,
) -> None:
    """Visa vad som väntar på en befattning: uppdrag att ta emot och att återrapportera,
    rapporter att granska och godkända rapporter att slutföra."""
    cli = session(ctx)
    with refusals(ctx):
        require_position(cli.governance(), role, field="as")
    with caught_up_views(ctx, "uppdrag_view") as store:
        found = inbox(store.views, role)
        sections = {
            "att_ta_emot": ("Att ta emot", found.to_accept),
            "att_aterrapportera": ("Att återrapportera", found.to_report),
            "att_granska": ("Rapporter att granska", found.to_review),
            "att_slutfora": ("Godkända, att slutföra", found.to_complete),
        }
        ids = [r.id for _, rows in sections.values() for r in rows]
        label = id_labels(store.ids.short, ids, full=show_full_ids(full_ids, cli))
    today = now().date()
    if cli.output.as_json:
        data: dict[str, Any] = {"befattning": role, "datum": today.isoformat()}
        data |= {key: [uppdrag_json(r, today) for r in rows] for key, (_, rows) in sections.items()}
        cli.output.json(data)
        return
    out = console()
    if not any(rows for _, rows in sections.values()):
        out.print(f"Inget väntar på {safe(role)}.")
        return
    for title, rows in sections.values():
        if rows:
            out.print(f"[bold underline]{title} ({count(len(rows))})[/]")
            for row in rows:
                out.print("  " + uppdrag_line(row, today, label))


# --- registers -------------------------------------------------------------------------


def delegering_register(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Gällande den dagen. Standard: i dag.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Alla delegeringar, även upphörda och kommande.")
    ] = False,
    start: FromOption = None,
    end: ToOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa delegationsregistret: vem som har vilken delegering, från vem och med stöd av vilket beslut.

    Med --from/--to: de delegeringar som var i kraft någon gång under perioden.
    """
    cli = session(ctx)
    with refusals(ctx):
        if (start or end) and (on or everything):
            raise InvalidInput(
                "Ange antingen --date, --all eller en period med --from/--to.", field="from", rule="en_period"
            )
        period = parse_period(start, end) if start or end else None
        day_asked = None if everything or period else parse_day(on, field="date")
        paging = paging_of(limit, offset)
    with caught_up_views(ctx, "delegering_view", "beslut_view") as store:
        page = delegation_register(store.views, on=day_asked, period=period or ALL_TIME, paging=paging)
        ids = [i for e in page.rows for i in (e.delegering.id, e.delegering.parent_id)]
        label = id_labels(store.ids.short, ids, full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            {
                "datum": day_asked.isoformat() if day_asked else None,
                "fran": period.start.isoformat() if period and period.start else None,
                "till": period.end.isoformat() if period and period.end else None,
                "antal": page.total,
                "delegeringar": [_delegation_json(e) for e in page.rows],
            }
        )
        return
    if day_asked:
        title = f"Delegationsregister {day_asked.isoformat()}"
    elif period:
        title = f"Delegationsregister {day(period.start)} till {day(period.end)}"
    else:
        title = "Delegationsregister, alla"
    console().print(delegation_table(page.rows, f"{title} ({count(page.total)})", label))
    footer = paged_footer(page, paging)
    if footer:
        console().print(footer)


def _delegation_json(entry: DelegationEntry) -> dict[str, Any]:
    return {**plain(entry.delegering), "beslut": plain(entry.beslut) if entry.beslut else None}


def delegation_table(entries: list[DelegationEntry], title: str, label: IdLabels) -> Grid:
    """A vidaredelegation's parent goes under who granted it, and the last day under the first,
    so that 80 columns suffice."""
    grid = Grid(
        title,
        [
            id_column(),
            tag_column("Delegat"),
            tag_column("Område"),
            tag_column("Från", 6),
            text_column("Beslut"),
            date_column("Gäller"),
        ],
    )
    for entry in entries:
        d = entry.delegering
        grid.add_row(
            label(d.id),
            safe(d.delegate) + (" [dim](brådskande)[/]" if d.urgent else ""),
            safe(d.matter),
            lines(safe(d.granted_by), f"[dim]under {label(d.parent_id)}[/]" if d.parent_id else ""),
            beslut_label(entry.beslut, d.beslut_id, label),
            lines(f"{d.valid_from.isoformat()} –", d.valid_until.isoformat() if d.valid_until else ""),
        )
    return grid


def beslut_register_command(
    ctx: typer.Context,
    unreported: Annotated[
        bool,
        typer.Option("--unreported", help="Bara delegationsbeslut som ännu inte är anmälda."),
    ] = False,
    organ: Annotated[
        str, typer.Option("--organ", metavar="BEFATTNING", help="Bara beslut av den befattningen.")
    ] = "",
    start: FromOption = None,
    end: ToOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa beslutsregistret, med vilka delegationsbeslut som ännu inte är anmälda."""
    cli = session(ctx)
    with refusals(ctx):
        period = parse_period(start, end)
        paging = paging_of(limit, offset)
        if organ:
            require_position(cli.governance(), organ, field="organ")
    with caught_up_views(ctx, "beslut_view") as store:
        page = beslut_register(store.views, unreported=unreported, organ=organ, period=period, paging=paging)
        label = id_labels(store.ids.short, [r.id for r in page.rows], full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            {"antal": page.total, "beslut": [{**plain(r), "ej_anmalt": r.awaits_report} for r in page.rows]}
        )
        return
    title = "Ej anmälda delegationsbeslut" if unreported else "Beslutsregister"
    if period != ALL_TIME:
        title += f" {day(period.start)} till {day(period.end)}"
    console().print(beslut_table(page.rows, f"{title} ({count(page.total)})", label))
    footer = paged_footer(page, paging)
    if footer:
        console().print(footer)


def beslut_table(rows: list[BeslutRow], title: str, label: IdLabels) -> Grid:
    """The paragraf goes under the diarienummer, the kind under the title and the organ
    reported to under the date of the anmälan, so that 80 columns suffice."""
    grid = Grid(
        title,
        [
            id_column(),
            date_column("Datum"),
            tag_column("Diarienr"),
            tag_column("Av", 6),
            text_column("Rubrik"),
            tag_column("Anmälan", 10),
        ],
    )
    for row in rows:
        if not row.is_delegated:
            anmalan = ""
        elif row.reported:
            anmalan = lines(f"anmält {day(row.reported_on)}", f"till {safe(row.report_to)}")
        else:
            anmalan = lines("[bold red]ej anmält[/]", f"(till {safe(row.report_to)})")
        corrected = f" [dim](rättat {count(row.corrections)} ggr)[/]" if row.corrections else ""
        grid.add_row(
            label(row.id),
            row.decided_on.isoformat(),
            lines(safe(row.diarienummer), safe(row.paragraf)),
            safe(row.decided_by),
            lines(safe(row.title) + corrected, f"[dim]{safe(row.kind)}[/]"),
            anmalan,
        )
    return grid


def board(
    ctx: typer.Context,
    level: Annotated[
        str, typer.Option("--level", metavar="BEFATTNING", help="Bara avvikelser som ligger hos den nivån.")
    ] = "",
    full_ids: FullIdsOption = False,
) -> None:
    """Visa öppna avvikelser per nivå med kvittensfrist och hur länge de har väntat, mest brådskande först."""
    cli = session(ctx)
    if level:
        with refusals(ctx):
            require_position(cli.governance(), level, field="level")
    deadline_of = _acknowledgement_deadlines(ctx)
    where: dict[str, object] = {"level": level} if level else {}
    with caught_up_views(ctx, "avvikelse_view") as store:
        rows = store.views.avvikelse.select(AvvikelseRow, **where)
        found = board_by_urgency(rows, now=now(), deadline_of=deadline_of)
        ids = [line.avvikelse.id for _, lines_at in found for line in lines_at]
        label = id_labels(store.ids.short, ids, full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            {
                "nivaer": {lvl: [_board_json(line) for line in lines_at] for lvl, lines_at in found},
                # The levels' order is the board's: most urgent first.
                "ordning": [lvl for lvl, _ in found],
            }
        )
        return
    if not found:
        console().print("Inga öppna avvikelser" + (f" hos {safe(level)}." if level else "."))
        return
    for lvl, lines_at in found:
        console().print(board_table(lvl, lines_at, label))


def _board_json(line: BoardLine) -> dict[str, Any]:
    return {
        **plain(line.avvikelse),
        "vantat_timmar": round(line.waited.total_seconds() / 3600, 1),
        "kvittens_senast": line.deadline.isoformat() if line.deadline else None,
        "kvittens_forsenad": line.overdue,
    }


def board_table(level: str, board_lines: list[BoardLine], label: IdLabels) -> Grid:
    """One level's open deviations; the deadline and how long it waited share a column, as do
    status and severity, and the category heads the description, so that 80 columns suffice."""
    grid = Grid(
        f"Hos {safe(level)} ({count(len(board_lines))})",
        [
            id_column(),
            date_column("Kvittens senast"),
            tag_column("Status"),
            text_column("Beskrivning"),
            tag_column("Rapporterad av", 10),
        ],
    )
    for line in board_lines:
        a: AvvikelseRow = line.avvikelse
        if line.deadline is None:
            deadline = "–"
        else:
            deadline = line.deadline.astimezone(MUNICIPAL_TIME).strftime("%Y-%m-%d %H:%M")
            if line.overdue:
                deadline = f"[bold red]{deadline}\n(försenad)[/]"
        grid.add_row(
            label(a.id),
            lines(deadline, f"[dim]väntat {waited(line.waited)}[/]"),
            lines(status_name(a.status), safe(a.severity)),
            f"[bold]{safe(a.category)}:[/] {safe(a.description)}",
            safe(a.reporter),
        )
    return grid


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
    grid = Grid(
        f"Vyer (händelseloggen: {count(head)})",
        [tag_column("Vy"), number_column("Position"), number_column("Efter")],
    )
    for name, position in positions.items():
        behind = head - position
        grid.add_row(name, count(position), f"[yellow]{count(behind)}[/]" if behind else "0")
    console().print(grid)


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
