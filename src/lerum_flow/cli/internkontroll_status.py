"""`lerum-flow internkontroll status`: one year's internal control against the styrmodell's deadlines.

Also the tables `audit as-of` prints of the plans as they stood on a day: the
plans, and each plan's results with the deviations their brister opened.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import Grid, count, date_column, id_column, lines, safe, tag_column, text_column
from lerum_flow.cli.views import caught_up_views, day, filter_given, now
from lerum_flow.domain.errors import NotFound
from lerum_flow.domain.values import Rapportperiod, Utfall
from lerum_flow.input_dates import EARLIEST, LATEST, parse_day
from lerum_flow.projections.internkontroll_register import (
    InternkontrollRegister,
    PlanEntry,
    ResultEntry,
    internkontroll_register,
    owners_on,
)
from lerum_flow.projections.rows import plain
from lerum_flow.status_names import status_name
from lerum_flow.styrmodell.internkontroll import InternkontrollYear, internkontroll_year, plan_organs

UTFALL_NAMES = {Utfall.UTAN_ANMARKNING: "utan anmärkning", Utfall.BRIST: "brist"}


def status(
    ctx: typer.Context,
    year: Annotated[
        int, typer.Argument(metavar="ÅR", min=EARLIEST.year, max=LATEST.year, help="Året, t.ex. 2028.")
    ],
    plan: Annotated[
        str | None,
        typer.Option("--plan", metavar="ID", help="Visa också en plans risker, kontroller och resultat."),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="ÅÅÅÅ-MM-DD", help="Dagen som status gäller (ägare, frister). Standard: i dag."
        ),
    ] = None,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa årets interna kontroll mot styrmodellens frister: planer, resultat, rapporter, KS:s bedömning."""
    cli = session(ctx)
    with refusals(ctx):
        plan = filter_given(plan, field="plan") or None
        today = parse_day(on, field="date") if on is not None else now().date()
        styrmodell = cli.styrmodell()
    deadlines = internkontroll_year(styrmodell, year)
    with caught_up_views(ctx, "internkontroll_view", "avvikelse_view") as store:
        with refusals(ctx):
            plan_id = store.log.resolve_id(plan, "internkontrollplan", field="plan") if plan else None
        register = internkontroll_register(store.views, year=year)
        chosen = next((p for p in register.plans if p.plan.id == plan_id), None)
        with refusals(ctx):
            if plan_id is not None and chosen is None:
                raise NotFound(f"Planen {plan} gäller inte år {year}.", field="plan", rule="annat_ar")
        # Each control's owner on the day, as the hand-overs listed with them say.
        chosen = owners_on(store.views, chosen, today) if chosen is not None else None
        ids = [p.plan.id for p in register.plans] + register.avvikelse_ids + register.handover_beslut_ids
        label = id_labels(store.log.short_ids, ids, full=show_full_ids(full_ids, cli))
    missing = [o.id for o in plan_organs(styrmodell) if register.plan_of(o.id, year) is None]
    if cli.output.as_json:
        cli.output.json(_status_json(register, deadlines, missing, chosen))
        return
    out = console()
    out.print(f"[bold]Intern kontroll {year}[/] ({safe(styrmodell.kommun.namn)})")
    out.print(
        f"Frister: plan senast {day(deadlines.plan_by)}, delår senast {day(deadlines.delar_by)}, helår "
        f"senast {day(deadlines.helar_by)}, KS:s bedömning senast {day(deadlines.assessment_by)}."
    )
    out.print(plans_table(register.plans, f"Planer ({count(len(register.plans))})", label, deadlines, today))
    for organ in missing:
        late = " (försenad)" if today > deadlines.plan_by else ""
        out.print(f"[bold red]Saknas:[/] plan för {safe(organ)}, senast {day(deadlines.plan_by)}{late}.")
    assessment = register.assessment_of(year)
    if assessment is None:
        out.print(f"KS:s bedömning: saknas (senast {day(deadlines.assessment_by)}).")
    else:
        out.print(
            f"KS:s bedömning {day(assessment.assessed_on)}: [bold]{safe(assessment.assessment)}[/] – "
            f"{safe(assessment.text)}"
        )
    if chosen is not None:
        for grid in plan_tables(chosen, label):
            out.print(grid)


def _status_json(
    register: InternkontrollRegister,
    deadlines: InternkontrollYear,
    missing: list[str],
    chosen: PlanEntry | None,
) -> dict[str, Any]:
    assessment = register.assessment_of(deadlines.year)
    return {
        "ar": deadlines.year,
        "frister": {
            "plan": deadlines.plan_by.isoformat(),
            "delar": deadlines.delar_by.isoformat(),
            "helar": deadlines.helar_by.isoformat(),
            "bedomning": deadlines.assessment_by.isoformat(),
        },
        "planer": [plain(p.plan) for p in register.plans],
        "saknade_planer": missing,
        "bedomning": plain(assessment) if assessment else None,
        **({"plan": plan_json(chosen)} if chosen else {}),
    }


def plan_json(entry: PlanEntry) -> dict[str, Any]:
    """A plan with its risks, controls and results, each result with the deviation it opened."""
    return {
        **plain(entry.plan),
        "risker": [plain(r) for r in entry.risks],
        "kontroller": [plain(c) for c in entry.controls],
        "overlamningar": [plain(h) for h in entry.handovers],
        "resultat": [
            {**plain(r.result), "avvikelse": plain(r.avvikelse) if r.avvikelse else None}
            for r in entry.results
        ],
    }


def plans_table(
    entries: list[PlanEntry], title: str, label: IdLabels, deadlines: InternkontrollYear | None, today: date
) -> Grid:
    """One row per plan: adopted when, what it holds, and each report's day (or its deadline, when
    `deadlines` gives the year's); the two counts share a column so that 80 columns suffice."""
    grid = Grid(
        title,
        [
            id_column(),
            tag_column("Organ", 6),
            date_column("Antagen"),
            text_column("Innehåll"),
            date_column("Delår"),
            date_column("Helår"),
        ],
    )
    for entry in entries:
        p = entry.plan
        performed = f"{count(p.results)} utförda"
        if p.deficiencies:
            performed += f", [bold]{_counted(p.deficiencies, 'brist', 'brister')}[/]"
        content = lines(
            f"{_counted(p.risks, 'risk', 'risker')}, {_counted(p.controls, 'kontroll', 'kontroller')}",
            performed,
        )
        adopted = (
            day(p.adopted_on) if p.adopted_on else lines(status_name(p.status), _due(deadlines, None, today))
        )
        grid.add_row(
            label(p.id),
            lines(safe(p.organ), f"[dim]{p.year}[/]"),
            adopted,
            content,
            _report_cell(entry, Rapportperiod.DELAR, deadlines, today),
            _report_cell(entry, Rapportperiod.HELAR, deadlines, today),
        )
    return grid


def _counted(number: int, one: str, many: str) -> str:
    return f"{count(number)} {one if number == 1 else many}"


def _report_cell(
    entry: PlanEntry, period: Rapportperiod, deadlines: InternkontrollYear | None, today: date
) -> str:
    reported = entry.plan.reported_on(period)
    if reported is not None:
        return day(reported)
    return _due(deadlines, period, today) if entry.plan.adopted_on else "–"


def _due(deadlines: InternkontrollYear | None, period: Rapportperiod | None, today: date) -> str:
    """The deadline of the plan (period None) or of a report: red once it has passed."""
    if deadlines is None:
        return "–"
    by = deadlines.plan_by if period is None else deadlines.report_by(period)
    return f"[bold red]senast\n{day(by)}[/]" if today > by else f"[dim]senast\n{day(by)}[/]"


def plan_tables(entry: PlanEntry, label: IdLabels) -> list[Grid]:
    """A plan's risks (highest value first), its controls, and its results with their deviations."""
    risks = Grid(
        f"Risker i planen för {safe(entry.plan.organ)} {entry.plan.year}",
        [tag_column("Nr", 3), text_column("Risk"), tag_column("S×K", 5), tag_column("Vald", 4)],
    )
    for r in sorted(entry.risks, key=lambda r: (-r.risk_value, r.number)):
        risks.add_row(
            str(r.number),
            safe(r.title),
            f"{r.probability}×{r.consequence}={r.risk_value}",
            "ja" if r.chosen else "nej",
        )
    controls = Grid(
        "Kontroller",
        [tag_column("Nr", 3), text_column("Kontroll, metod"), tag_column("Ägare"), tag_column("Hur ofta")],
    )
    for c in entry.controls:
        controls.add_row(
            str(c.number),
            lines(f"{safe(c.title)} [dim](risk {c.risk})[/]", f"[dim]{safe(c.method)}[/]"),
            safe(c.owner),
            lines(safe(c.frequency), f"[dim]{count(c.results)} utförda[/]"),
        )
    handed = [handovers_table(entry, label)] if entry.handovers else []
    return [risks, controls, *handed, results_table(entry.results, "Resultat", label)]


def handovers_table(entry: PlanEntry, label: IdLabels) -> Grid:
    """Each control handed over to another owner: from which day, to whom, by which decision."""
    grid = Grid(
        f"Överlämnade kontroller ({count(len(entry.handovers))})",
        [date_column("Från"), tag_column("Kontroll", 8), text_column("Ny ägare"), id_column("Beslut")],
    )
    for h in entry.handovers:
        grid.add_row(day(h.handed_over_on), f"nr {h.control}", safe(h.owner), label(h.beslut_id))
    return grid


def results_table(results: list[ResultEntry], title: str, label: IdLabels) -> Grid:
    """Each performed control: its day, outcome and comment, and where the deviation it opened stands."""
    grid = Grid(
        f"{title} ({count(len(results))})",
        [
            date_column("Utförd"),
            tag_column("Kontroll", 8),
            text_column("Utfall, kommentar"),
            tag_column("Avvikelse"),
        ],
    )
    for entry in results:
        r, a = entry.result, entry.avvikelse
        outcome = UTFALL_NAMES.get(Utfall(r.outcome), r.outcome)
        shown = f"[bold red]{outcome}[/]" if r.is_brist else outcome
        opened = ""
        if r.avvikelse_id is not None:
            opened = lines(
                label(r.avvikelse_id), status_name(a.status) if a else "", f"hos {safe(a.level)}" if a else ""
            )
        grid.add_row(
            day(r.performed_on),
            lines(f"nr {r.control}", f"[dim]{safe(r.performed_by)}[/]"),
            lines(shown, safe(r.comment), f"[dim]åtgärd: {safe(r.action)}[/]" if r.action else ""),
            opened,
        )
    return grid
