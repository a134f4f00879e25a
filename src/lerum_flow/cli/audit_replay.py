"""The revisorer's questions about the past: `audit as-of` and `audit trace`.

`as-of` for the whole municipality reads the views' history (caught up first)
as of the day asked about, as known by the day given with `--known-on`; for
one record (`--id`) the record's own events are replayed into throwaway views.
`trace` reads the live views, caught up first.

Wiring (in cli/command_index.py): `register(groups)` adds these two and
`authority` (cli/audit_authority.py) to groups["audit"].
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any
from uuid import UUID

import typer

from lerum_flow.cli.audit_days import KnownOnOption, asked_days, axes, opened_log
from lerum_flow.cli.beslut import beslut_table
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.delegering import delegation_table
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.internkontroll_status import plan_json, plans_table, results_table
from lerum_flow.cli.output import Output, console
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
from lerum_flow.projections.internkontroll_register import InternkontrollRegister
from lerum_flow.projections.registers import StateInParts, beslut_by_id, state_in_parts
from lerum_flow.projections.row_reading import collector_paused
from lerum_flow.projections.rows import plain
from lerum_flow.projections.store import Views
from lerum_flow.projections.trace import Trace, orphans, trace
from lerum_flow.record_ids import RecordLog
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
        model = model_version_on(log, asked)
        full = show_full_ids(full_ids, cli)

        def labels(ids: Iterable[UUID | None]) -> IdLabels:
            return id_labels(log.short_ids, ids, full=full)

        with _views_as_of(ctx, log, asked, record_id) as views:
            parts = state_in_parts(views, asked.on)
            if cli.output.as_json:
                _write_state_json(cli.output, asked, parts, model)
            else:
                _print_state(asked, parts, model, labels)


@contextmanager
def _views_as_of(ctx: typer.Context, log: RecordLog, asked: AsOf, record_id: UUID | None) -> Iterator[Views]:
    """The views as of the day asked about: for the whole municipality the views' history
    (indexed queries, no replay), for one record its events replayed into throwaway views."""
    if record_id is None:
        with caught_up_views(ctx) as live:
            yield as_known(live.views, asked)
        return
    store = replay_records(log, asked, [record_id])
    try:
        yield store.views
    finally:
        store.close()


def _write_state_json(output: Output, asked: AsOf, parts: StateInParts, model: ModelVersion | None) -> None:
    """One JSON document, its two long lists written a batch at a time."""
    output.json_streamed(
        {
            "datum": asked.on.isoformat(),
            "kant_per": asked.known_on.isoformat() if asked.known_on else None,
            "styrmodell": version_json(model) if model else None,
            "uppdrag": None,
            "delegeringar": [
                {**plain(e.delegering), "beslut": plain(e.beslut) if e.beslut else None}
                for e in parts.delegeringar
            ],
            "beslut": None,
            "avvikelser": [plain(a) for a in parts.avvikelser],
            "internkontroll": {
                "planer": [plan_json(p) for p in parts.internkontroll.plans],
                "bedomningar": [plain(a) for a in parts.internkontroll.assessments],
            },
            "styrdokument": [plain(d) for d in parts.styrdokument],
        },
        {
            "uppdrag": (uppdrag_json(u, asked.on) for batch in parts.uppdrag() for u in batch),
            "beslut": ({**plain(b), "ej_anmalt": b.awaits_report} for batch in parts.beslut() for b in batch),
        },
    )


def _print_state(
    asked: AsOf,
    parts: StateInParts,
    model: ModelVersion | None,
    labels: Callable[[Iterable[UUID | None]], IdLabels],
) -> None:
    """The state as text; the uppdrag and decisions printed a batch at a time, each batch's ids
    labelled with the batch (a label depends on the whole store, not on the other ids shown)."""
    out = console()
    uppdrag = parts.uppdrag_counts()
    beslut = parts.beslut_count()
    out.print(f"[bold]Läget {axes(asked)}[/]")
    if model is not None:
        out.print(f"Styrmodell: {safe(model.label())}")
    out.print(
        f"Uppdrag: {count(uppdrag.total)} ({count(uppdrag.open)} pågående, "
        f"{count(uppdrag.overdue)} försenade). "
        f"Delegeringar i kraft: {count(len(parts.delegeringar))}. "
        f"Beslut: {count(beslut)} ({count(parts.beslut_count(unreported=True))} ej anmälda "
        f"delegationsbeslut). Öppna avvikelser: {count(len(parts.avvikelser))}. "
        f"Styrdokument i kraft: {count(len(parts.styrdokument))}. "
        f"Internkontrollplaner: {count(len(parts.internkontroll.plans))}."
    )
    if uppdrag.open:
        out.print("[bold underline]Pågående uppdrag[/]")
        for batch in parts.uppdrag():
            still_open = [u for u in batch if u.is_open]
            label = labels(u.id for u in still_open)
            for row in still_open:
                out.print("  " + uppdrag_line(row, asked.on, label))
    if parts.delegeringar:
        title = f"Delegeringar i kraft ({count(len(parts.delegeringar))})"
        ids = [i for e in parts.delegeringar for i in (e.delegering.id, e.delegering.parent_id)]
        out.print(delegation_table(parts.delegeringar, title, labels(ids)))
    title = f"Beslut ({count(beslut)})"
    for decisions in parts.beslut():
        # One table per batch; the title over the first. Its lines are laid out to the console's
        # width already: Rich's cropping of every line to it was a tenth of the command's time.
        # Its cells and lines are acyclic: the collector, run over them again and again, found nothing.
        with collector_paused():
            out.print(beslut_table(decisions, title, labels(b.id for b in decisions)), crop=False)
        title = ""
    if parts.avvikelser:
        label = labels(a.id for a in parts.avvikelser)
        grid = Grid(
            f"Öppna avvikelser ({count(len(parts.avvikelser))})",
            [
                id_column(),
                tag_column("Hos"),
                date_column("Sedan"),
                tag_column("Status"),
                text_column("Beskrivning"),
            ],
        )
        for a in parts.avvikelser:
            grid.add_row(
                label(a.id),
                safe(a.level),
                a.at_level_on.isoformat(),
                lines(status_name(a.status), safe(a.severity)),
                f"[bold]{safe(a.category)}:[/] {safe(a.description)}",
            )
        out.print(grid)
    if parts.styrdokument:
        # Imported here: the other answers of this module need nothing of the documents.
        from lerum_flow.cli.styrdokument_reads import entries_of, styrdokument_table

        adopted_by = beslut_by_id(parts.views, {d.beslut_id for d in parts.styrdokument})
        entries = entries_of(parts.styrdokument, adopted_by)
        title = f"Styrdokument i kraft ({count(len(parts.styrdokument))})"
        label = labels([*(d.id for d in parts.styrdokument), *adopted_by])
        out.print(styrdokument_table(entries, title, label, asked.on))
    register = parts.internkontroll
    _print_internkontroll(
        asked, register, labels([*(p.plan.id for p in register.plans), *register.avvikelse_ids])
    )


def _print_internkontroll(asked: AsOf, register: InternkontrollRegister, label: IdLabels) -> None:
    """The plans as they stood, each plan's results with the deviations they led to, KS's assessments."""
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
