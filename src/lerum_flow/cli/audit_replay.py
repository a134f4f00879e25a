"""The revisorer's questions about the past: `audit as-of`, `audit trace` and `audit authority`.

`as-of` and `authority` replay the log into throwaway views (the same
projections as the live views) for the day asked about, as known by the day
given with `--known-on`. `trace` reads the live views, caught up first.

Wiring (in cli/main.py): `register(groups)` adds the three commands to
groups["audit"].
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.output import console
from lerum_flow.cli.views import (
    beslut_label,
    beslut_table,
    caught_up_views,
    delegation_table,
    now,
    parse_day,
    parse_id,
    status_name,
    uppdrag_json,
    uppdrag_line,
)
from lerum_flow.domain.errors import InvalidInput, NotFound
from lerum_flow.projections.asof import AsOf, replay, replay_records
from lerum_flow.projections.authority import Authority, authority, candidate_delegations
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.registers import MandateState, state_on
from lerum_flow.projections.rows import plain
from lerum_flow.projections.trace import Trace, orphans, trace

KnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--known-on",
        metavar="ÅÅÅÅ-MM-DD",
        help="Svara med det som var registrerat senast den dagen. Standard: allt som är känt nu.",
    ),
]


@contextmanager
def opened_log(ctx: typer.Context) -> Iterator[GovernanceLog]:
    log = GovernanceLog(session(ctx).settings.eventsourcing_env("governance"))
    try:
        yield log
    finally:
        log.close()


def _as_of(ctx: typer.Context, on: str, known_on: str | None, *, field: str = "on") -> AsOf:
    """The days asked about; `field` is how the day was given (as-of's argument, authority's --as-of)."""
    with refusals(ctx):
        return AsOf(
            on=parse_day(on, field=field),
            known_on=parse_day(known_on, field="known-on") if known_on else None,
        )


def _axes(asked: AsOf) -> str:
    known = f"känt {asked.known_on.isoformat()}" if asked.known_on else "känt nu"
    return f"{asked.on.isoformat()} ({known})"


def as_of_command(
    ctx: typer.Context,
    on: Annotated[str, typer.Argument(metavar="DATUM", help="Dagen som läget gäller, ÅÅÅÅ-MM-DD.")],
    known_on: KnownOnOption = None,
    record: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Bara en post (uppdrag, delegering, beslut) och dess kedja."),
    ] = None,
) -> None:
    """Visa alla mandat (uppdrag, delegeringar, beslut, avvikelser) som de var en viss dag."""
    cli = session(ctx)
    asked = _as_of(ctx, on, known_on)
    with refusals(ctx):
        record_id = parse_id(record) if record else None
    with opened_log(ctx) as log:
        if record_id is not None and not log.recorder.select_events(record_id, limit=1):
            with refusals(ctx):
                raise NotFound(f"Det finns ingen post med id {record_id}.", field="id", rule="okant_id")
        store = replay_records(log, asked, [record_id]) if record_id else replay(log, asked)
        try:
            state = state_on(store.views, asked.on)
        finally:
            store.close()
    if cli.output.as_json:
        cli.output.json(_state_json(asked, state))
        return
    _print_state(asked, state)


def _state_json(asked: AsOf, state: MandateState) -> dict[str, Any]:
    return {
        "datum": asked.on.isoformat(),
        "kant_per": asked.known_on.isoformat() if asked.known_on else None,
        "uppdrag": [uppdrag_json(u, asked.on) for u in state.uppdrag],
        "delegeringar": [
            {**plain(e.delegering), "beslut": plain(e.beslut) if e.beslut else None}
            for e in state.delegeringar
        ],
        "beslut": [{**plain(b), "ej_anmalt": b.awaits_report} for b in state.beslut],
        "avvikelser": [plain(a) for a in state.avvikelser],
    }


def _print_state(asked: AsOf, state: MandateState) -> None:
    out = console()
    out.print(f"[bold]Läget {_axes(asked)}[/]")
    out.print(
        f"Uppdrag: {len(state.uppdrag)} ({len(state.open_uppdrag)} pågående, "
        f"{len(state.overdue_uppdrag)} försenade). Delegeringar i kraft: {len(state.delegeringar)}. "
        f"Beslut: {len(state.beslut)} ({len(state.unreported_beslut)} ej anmälda delegationsbeslut). "
        f"Öppna avvikelser: {len(state.avvikelser)}."
    )
    if state.open_uppdrag:
        out.print("[bold underline]Pågående uppdrag[/]")
        for row in state.open_uppdrag:
            out.print("  " + uppdrag_line(row, asked.on))
    if state.delegeringar:
        out.print(delegation_table(state.delegeringar, "Delegeringar i kraft"))
    if state.beslut:
        out.print(beslut_table(state.beslut, "Beslut"))
    if state.avvikelser:
        table = Table(title=f"Öppna avvikelser ({len(state.avvikelser)})", title_justify="left")
        for column in ("Hos", "Sedan", "Status", "Allvar", "Beskrivning", "Id"):
            table.add_column(column, overflow="fold")
        for a in state.avvikelser:
            table.add_row(
                escape(a.level),
                a.at_level_on.isoformat(),
                status_name(a.status),
                escape(a.severity),
                escape(a.description),
                str(a.id),
            )
        out.print(table)


def trace_command(
    ctx: typer.Context,
    uppdrag: Annotated[str | None, typer.Argument(metavar="UPPDRAG", help="Uppdragets id.")] = None,
    show_orphans: Annotated[
        bool, typer.Option("--orphans", help="Visa i stället alla uppdrag som inte leder till något beslut.")
    ] = False,
) -> None:
    """Spåra ett uppdrag uppåt via överordnade uppdrag till det politiska beslut det kommer från."""
    cli = session(ctx)
    with refusals(ctx):
        if show_orphans == (uppdrag is not None):
            raise InvalidInput(
                "Ange antingen ett uppdrags id eller --orphans.", field="uppdrag", rule="id_eller_orphans"
            )
        uppdrag_id = parse_id(uppdrag, field="uppdrag") if uppdrag else None
    with caught_up_views(ctx, "uppdrag_view", "beslut_view") as store:
        if uppdrag_id is None:
            found = orphans(store.views)
        else:
            one = trace(store.views, uppdrag_id)
            with refusals(ctx):
                if one is None:
                    raise NotFound(f"Det finns inget uppdrag med id {uppdrag_id}.", field="uppdrag")
            found = [one]
    today = now().date()
    if cli.output.as_json:
        traces = [_trace_json(t) for t in found]
        cli.output.json({"utan_beslut": traces} if show_orphans else traces[0])
        return
    if show_orphans and not found:
        console().print("Alla uppdrag leder till ett politiskt beslut.")
    for one_trace in found:
        _print_trace(one_trace, today)


def _trace_json(found: Trace) -> dict[str, Any]:
    return {
        "kedja": [plain(u) for u in found.chain],
        "beslut": plain(found.beslut) if found.beslut else None,
        "leder_till_beslut": not found.is_orphan,
        "problem": found.problem,
    }


def _print_trace(found: Trace, today: Any) -> None:
    out = console()
    for depth, row in enumerate(found.chain):
        out.print("  " * depth + ("↑ " if depth else "") + uppdrag_line(row, today))
    indent = "  " * len(found.chain)
    if found.is_orphan:
        out.print(f"{indent}[bold red]Leder inte till något politiskt beslut:[/] {escape(found.problem)}")
    else:
        out.print(f"{indent}↑ {beslut_label(found.beslut, found.chain[-1].origin_beslut_id)}")


def authority_command(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(metavar="BEFATTNING", help="Befattningen, t.ex. kommundirektor.")],
    on: Annotated[str, typer.Option("--as-of", metavar="ÅÅÅÅ-MM-DD", help="Dagen som frågan gäller.")],
    known_on: KnownOnOption = None,
) -> None:
    """Visa vad en befattning fick besluta en viss dag, och genom vilken kedja av delegeringar."""
    cli = session(ctx)
    asked = _as_of(ctx, on, known_on, field="as-of")
    with refusals(ctx):
        styrmodell = cli.styrmodell()
        require_position(cli.governance(), role, field="role")
    holders = {area.kod: area.innehavare for area in styrmodell.beslutsomraden}
    root = styrmodell.styrkedja().root().id
    with caught_up_views(ctx, "delegering_view", "beslut_view") as live:
        candidates = candidate_delegations(live.views, role)
    with opened_log(ctx) as log:
        store = replay_records(log, asked, candidates)
        try:
            found = authority(store.views, role, on=asked.on, holders=holders, root=root)
        finally:
            store.close()
    if cli.output.as_json:
        cli.output.json(
            {
                "befattning": role,
                "datum": asked.on.isoformat(),
                "kant_per": asked.known_on.isoformat() if asked.known_on else None,
                "beslutanderatt": [_authority_json(a) for a in found],
            }
        )
        return
    out = console()
    out.print(f"[bold]Beslutanderätt för {escape(role)} {_axes(asked)}[/]")
    if not found:
        out.print("Ingen: befattningen hade varken egen beslutanderätt eller delegering den dagen.")
    for item in found:
        _print_authority(item, role, root)


def _authority_json(item: Authority) -> dict[str, Any]:
    return {
        "beslutsomrade": item.matter,
        "egen": not item.chain,
        "giltig": item.valid,
        "innehavare": item.holder,
        "organ": item.organ,
        "kedja": [
            {
                "delegering": plain(link.delegering),
                "beslut": plain(link.beslut) if link.beslut else None,
                "i_kraft": link.in_force,
            }
            for link in item.chain
        ],
    }


def _print_authority(item: Authority, role: str, root: str) -> None:
    out = console()
    validity = "" if item.valid else " [bold red](kedjan är bruten)[/]"
    out.print(f"[bold]{escape(item.matter)}[/]{validity}")
    holder = escape(item.holder)
    if not item.chain:
        if role == root:
            out.print("  egen beslutanderätt (fullmäktige)")
        else:
            out.print(f"  egen beslutanderätt: {holder} ← {escape(root)} (reglemente)")
        return
    for link in item.chain:
        d = link.delegering
        force = "" if link.in_force else " [bold red]EJ I KRAFT[/]"
        until = f" till {d.valid_until.isoformat()}" if d.valid_until else ""
        out.print(
            f"  {escape(d.delegate)} ← {escape(d.granted_by)}: från {d.valid_from.isoformat()}{until}, "
            f"med stöd av {beslut_label(link.beslut, d.beslut_id)}{force}"
        )
    if item.organ != root:
        out.print(f"  {escape(item.organ)} ← {escape(root)}: beslutsområdet ligger hos {holder} (reglemente)")


def register(app_by_group: dict[str, typer.Typer]) -> None:
    """Add `as-of`, `trace` and `authority` to the "audit" group."""
    audit = app_by_group["audit"]
    audit.command("as-of")(as_of_command)
    audit.command("trace")(trace_command)
    audit.command("authority")(authority_command)
