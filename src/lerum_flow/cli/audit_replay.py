"""The revisorer's questions about the past: `audit as-of` and `audit trace`.

`as-of` for the whole municipality reads the views' history (caught up first)
as of the day asked about, as known by the day given with `--known-on`; for
one record (`--id`) the record's own events are replayed into throwaway views.
`trace` reads the live views, caught up first.

Wiring (in cli/command_index.py): `register(groups)` adds these two and
`authority` (cli/audit_authority.py) to groups["audit"].
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any
from uuid import UUID

import typer

from lerum_flow.cli.audit_days import KnownOnOption, asked_days, axes, opened_log
from lerum_flow.cli.beslut import beslut_table
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.delegering import delegation_table
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.internkontroll_status import plan_json, plans_table, results_table
from lerum_flow.cli.output import console
from lerum_flow.cli.styrmodell_versions import version_json
from lerum_flow.cli.tables import Grid, count, date_column, id_column, lines, safe, tag_column, text_column
from lerum_flow.cli.views import (
    beslut_label,
    caught_up_views,
    day,
    now,
    uppdrag_json,
    uppdrag_line,
)
from lerum_flow.domain.errors import InvalidInput, NotFound
from lerum_flow.domain.styrmodell_record import ModelVersion
from lerum_flow.projections.asof import AsOf, as_known, model_version_on, replay_records
from lerum_flow.projections.registers import MandateState, state_on
from lerum_flow.projections.rows import plain
from lerum_flow.projections.trace import Trace, orphans, trace
from lerum_flow.status_names import status_name


def as_of_command(
    ctx: typer.Context,
    on: Annotated[str, typer.Argument(metavar="DATUM", help="Dagen som läget gäller, ÅÅÅÅ-MM-DD.")],
    known_on: KnownOnOption = None,
    record: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Bara en post (uppdrag, delegering, beslut, internkontrollplan) och dess kedja.",
        ),
    ] = None,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa mandaten (uppdrag, delegeringar, beslut, avvikelser, styrdokument, internkontroll) en viss dag."""
    cli = session(ctx)
    asked = asked_days(ctx, on, known_on)
    with opened_log(ctx) as log:
        with refusals(ctx):
            # A whole id is looked up too: an unknown one is refused as a short one is.
            record_id = log.find_record(record, field="id").id if record else None
        if record_id is None:
            # The whole municipality from the views' history: indexed queries, no replay.
            with caught_up_views(ctx) as live:
                state = state_on(as_known(live.views, asked), asked.on)
        else:
            store = replay_records(log, asked, [record_id])
            try:
                state = state_on(store.views, asked.on)
            finally:
                store.close()
        model = model_version_on(log, asked)
        label = id_labels(log.short_ids, _state_ids(state), full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(_state_json(asked, state, model))
        return
    _print_state(asked, state, model, label)


def _state_json(asked: AsOf, state: MandateState, model: ModelVersion | None) -> dict[str, Any]:
    return {
        "datum": asked.on.isoformat(),
        "kant_per": asked.known_on.isoformat() if asked.known_on else None,
        "styrmodell": version_json(model) if model else None,
        "uppdrag": [uppdrag_json(u, asked.on) for u in state.uppdrag],
        "delegeringar": [
            {**plain(e.delegering), "beslut": plain(e.beslut) if e.beslut else None}
            for e in state.delegeringar
        ],
        "beslut": [{**plain(b), "ej_anmalt": b.awaits_report} for b in state.beslut],
        "avvikelser": [plain(a) for a in state.avvikelser],
        "internkontroll": {
            "planer": [plan_json(p) for p in state.internkontroll.plans],
            "bedomningar": [plain(a) for a in state.internkontroll.assessments],
        },
        "styrdokument": [plain(d) for d in state.styrdokument],
    }


def _state_ids(state: MandateState) -> Iterator[UUID | None]:
    for u in state.open_uppdrag:
        yield u.id
    for e in state.delegeringar:
        yield e.delegering.id
        yield e.delegering.parent_id
    yield from (b.id for b in state.beslut)
    yield from (a.id for a in state.avvikelser)
    yield from (p.plan.id for p in state.internkontroll.plans)
    yield from state.internkontroll.avvikelse_ids
    yield from (d.id for d in state.styrdokument)


def _print_state(asked: AsOf, state: MandateState, model: ModelVersion | None, label: IdLabels) -> None:
    out = console()
    out.print(f"[bold]Läget {axes(asked)}[/]")
    if model is not None:
        out.print(f"Styrmodell: {safe(model.label())}")
    out.print(
        f"Uppdrag: {count(len(state.uppdrag))} ({count(len(state.open_uppdrag))} pågående, "
        f"{count(len(state.overdue_uppdrag))} försenade). "
        f"Delegeringar i kraft: {count(len(state.delegeringar))}. "
        f"Beslut: {count(len(state.beslut))} ({count(len(state.unreported_beslut))} ej anmälda "
        f"delegationsbeslut). Öppna avvikelser: {count(len(state.avvikelser))}. "
        f"Styrdokument i kraft: {count(len(state.styrdokument))}. "
        f"Internkontrollplaner: {count(len(state.internkontroll.plans))}."
    )
    if state.open_uppdrag:
        out.print("[bold underline]Pågående uppdrag[/]")
        for row in state.open_uppdrag:
            out.print("  " + uppdrag_line(row, asked.on, label))
    if state.delegeringar:
        title = f"Delegeringar i kraft ({count(len(state.delegeringar))})"
        out.print(delegation_table(state.delegeringar, title, label))
    if state.beslut:
        out.print(beslut_table(state.beslut, f"Beslut ({count(len(state.beslut))})", label))
    if state.avvikelser:
        grid = Grid(
            f"Öppna avvikelser ({count(len(state.avvikelser))})",
            [
                id_column(),
                tag_column("Hos"),
                date_column("Sedan"),
                tag_column("Status"),
                text_column("Beskrivning"),
            ],
        )
        for a in state.avvikelser:
            grid.add_row(
                label(a.id),
                safe(a.level),
                a.at_level_on.isoformat(),
                lines(status_name(a.status), safe(a.severity)),
                f"[bold]{safe(a.category)}:[/] {safe(a.description)}",
            )
        out.print(grid)
    if state.styrdokument:
        # Imported here: the other answers of this module need nothing of the documents.
        from lerum_flow.cli.styrdokument_reads import entries_of, styrdokument_table

        entries = entries_of(state.styrdokument, {b.id: b for b in state.beslut})
        title = f"Styrdokument i kraft ({count(len(state.styrdokument))})"
        out.print(styrdokument_table(entries, title, label, asked.on))
    _print_internkontroll(asked, state, label)


def _print_internkontroll(asked: AsOf, state: MandateState, label: IdLabels) -> None:
    """The plans as they stood, each plan's results with the deviations they led to, KS's assessments."""
    register = state.internkontroll
    if not register.plans:
        return
    out = console()
    title = f"Internkontrollplaner ({count(len(register.plans))})"
    out.print(plans_table(register.plans, title, label, None, asked.on))
    for entry in register.plans:
        if entry.results:
            plan = f"Resultat, {safe(entry.plan.organ)} {entry.plan.year}"
            out.print(results_table(entry.results, plan, label))
    for assessment in register.assessments:
        out.print(
            f"KS:s bedömning av {assessment.year} ({day(assessment.assessed_on)}): "
            f"[bold]{safe(assessment.assessment)}[/] – {safe(assessment.text)}"
        )


def trace_command(
    ctx: typer.Context,
    uppdrag: Annotated[str | None, typer.Argument(metavar="UPPDRAG", help="Uppdragets id.")] = None,
    show_orphans: Annotated[
        bool, typer.Option("--orphans", help="Visa i stället alla uppdrag som inte leder till något beslut.")
    ] = False,
    full_ids: FullIdsOption = False,
) -> None:
    """Spåra ett uppdrag uppåt via överordnade uppdrag till det politiska beslut det kommer från."""
    cli = session(ctx)
    with refusals(ctx):
        if show_orphans == (uppdrag is not None):
            raise InvalidInput(
                "Ange antingen ett uppdrags id eller --orphans.", field="uppdrag", rule="id_eller_orphans"
            )
    with caught_up_views(ctx, "uppdrag_view", "beslut_view") as store:
        with refusals(ctx):
            uppdrag_id = store.log.resolve_id(uppdrag, "uppdrag", field="uppdrag") if uppdrag else None
        if uppdrag_id is None:
            found = orphans(store.views)
        else:
            one = trace(store.views, uppdrag_id)
            with refusals(ctx):
                if one is None:
                    raise NotFound(f"Det finns inget uppdrag med id {uppdrag_id}.", field="uppdrag")
            found = [one]
        ids = [
            i
            for t in found
            for i in (*(u.id for u in t.chain), t.chain[-1].origin_beslut_id if t.chain else None)
        ]
        label = id_labels(store.log.short_ids, ids, full=show_full_ids(full_ids, cli))
    today = now().date()
    if cli.output.as_json:
        traces = [_trace_json(t) for t in found]
        cli.output.json({"utan_beslut": traces} if show_orphans else traces[0])
        return
    if show_orphans and not found:
        console().print("Alla uppdrag leder till ett politiskt beslut.")
    for one_trace in found:
        _print_trace(one_trace, today, label)


def _trace_json(found: Trace) -> dict[str, Any]:
    return {
        "kedja": [plain(u) for u in found.chain],
        "beslut": plain(found.beslut) if found.beslut else None,
        "leder_till_beslut": not found.is_orphan,
        "problem": found.problem,
    }


def _print_trace(found: Trace, today: Any, label: IdLabels) -> None:
    out = console()
    for depth, row in enumerate(found.chain):
        out.print("  " * depth + ("↑ " if depth else "") + uppdrag_line(row, today, label))
    indent = "  " * len(found.chain)
    if found.is_orphan:
        out.print(f"{indent}[bold red]Leder inte till något politiskt beslut:[/] {safe(found.problem)}")
    else:
        out.print(f"{indent}↑ {beslut_label(found.beslut, found.chain[-1].origin_beslut_id, label)}")


def register(app_by_group: dict[str, typer.Typer]) -> None:
    """Add `as-of`, `trace` and (from cli/audit_authority.py) `authority` to the "audit" group."""
    from lerum_flow.cli.audit_authority import authority_command

    audit = app_by_group["audit"]
    audit.command("as-of")(as_of_command)
    audit.command("trace")(trace_command)
    audit.command("authority")(authority_command)
