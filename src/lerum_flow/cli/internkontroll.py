"""`lerum-flow internkontroll`: each organ's yearly plan for internal control, its year and KS's assessment.

A plan is drafted (`plan`, `risk`, `control`), adopted by the organ's decision
(`adopt`), followed through the year (`result`; a brist opens a deviation that
escalates as any other; `handover` gives a control to another owner from a day)
and reported to KS (`report`); KS assesses the whole year (`assess`). `status`
shows a year against the styrmodell's deadlines.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import internkontroll_commands as ik
from lerum_flow.application import Governance
from lerum_flow.cli.avvikelse import show_where_it_lies
from lerum_flow.cli.context import session
from lerum_flow.cli.internkontroll_status import status
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    DateTodayOption,
    PersonOption,
    RattelseOption,
    SecrecyOption,
    or_today,
    record,
    who,
)
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.values import Frekvens, Rapportperiod, Utfall

HELP = "Intern kontroll: nämndernas och KS:s årliga planer, kontrollernas resultat och KS:s bedömning."

app = typer.Typer(help=HELP, no_args_is_help=True)

PlanId = Annotated[str, typer.Argument(metavar="PLAN", help="Internkontrollplanens id.")]
Title = Annotated[str, typer.Option("--title", help="Rubrik.")]
Beslut = Annotated[
    str, typer.Option("--beslut", metavar="ID", help="Organets beslut (registrerat med 'beslut take').")
]
Year = Annotated[int, typer.Option("--year", metavar="ÅR", help="Året planen gäller, t.ex. 2028.")]
Control = Annotated[int, typer.Option("--control", metavar="NR", help="Kontrollens nummer i planen.")]


@app.command("plan", cls=RecordingCommand)
def plan(
    ctx: typer.Context,
    organ: Annotated[
        str, typer.Option("--organ", metavar="BEFATTNING", help="Organet vars plan det är, t.ex. ks.")
    ],
    year: Year,
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Upprätta ett utkast till ett organs internkontrollplan för ett år (organet eller dess förvaltning)."""
    record(
        ctx,
        Governance.open_internkontrollplan,
        f"Internkontrollplan {year} för {organ} upprättades (utkast).",
        ik.OpenInternkontrollplan,
        **who(as_position, person, command_id, secrecy),
        organ=organ,
        year=year,
        opened_on=or_today(date),
    )


@app.command("risk", cls=RecordingCommand)
def risk(
    ctx: typer.Context,
    internkontrollplan: PlanId,
    title: Title,
    probability: Annotated[
        int, typer.Option("--probability", metavar="N", help="Sannolikhet på styrmodellens skala, 1 = lägst.")
    ],
    consequence: Annotated[
        int, typer.Option("--consequence", metavar="N", help="Konsekvens på styrmodellens skala, 1 = lägst.")
    ],
    as_position: AsOption,
    choose: Annotated[
        bool,
        typer.Option("--choose/--no-choose", help="Om risken väljs för kontroll i planen. Standard: vald."),
    ] = True,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Lägg till en bedömd risk i utkastet; riskvärdet är sannolikhet × konsekvens."""
    record(
        ctx,
        Governance.identify_risk,
        f"Risken registrerades (riskvärde {probability * consequence}).",
        ik.IdentifyRisk,
        **who(as_position, person, command_id, secrecy, rattelse),
        plan_id=internkontrollplan,
        title=title,
        probability=probability,
        consequence=consequence,
        chosen=choose,
        on=or_today(date),
    )


@app.command("control", cls=RecordingCommand)
def control(
    ctx: typer.Context,
    internkontrollplan: PlanId,
    risk: Annotated[int, typer.Option("--risk", metavar="NR", help="Den valda riskens nummer i planen.")],
    title: Title,
    owner: Annotated[
        str, typer.Option("--owner", metavar="BEFATTNING", help="Den som utför kontrollen (under organet).")
    ],
    method: Annotated[str, typer.Option("--method", help="Hur kontrollen görs, t.ex. stickprov.")],
    frequency: Annotated[
        str, typer.Option("--frequency", metavar="FREKVENS", help=f"Hur ofta: {', '.join(Frekvens)}.")
    ],
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Lägg till en kontroll av en vald risk: vem som utför den, hur och hur ofta."""
    record(
        ctx,
        Governance.plan_control,
        f"Kontrollen av risk {risk} registrerades.",
        ik.PlanControl,
        **who(as_position, person, command_id, secrecy, rattelse),
        plan_id=internkontrollplan,
        risk=risk,
        title=title,
        owner=owner,
        method=method,
        frequency=frequency,
        on=or_today(date),
    )


@app.command("adopt", cls=RecordingCommand)
def adopt(
    ctx: typer.Context,
    internkontrollplan: PlanId,
    beslut: Beslut,
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Anta planen genom organets beslut (--as organet); den gäller från beslutsdagen."""
    record(
        ctx,
        Governance.adopt_internkontrollplan,
        "Internkontrollplanen antogs.",
        ik.AdoptInternkontrollplan,
        **who(as_position, person, command_id, secrecy, rattelse),
        plan_id=internkontrollplan,
        beslut_id=beslut,
    )


@app.command("handover", cls=RecordingCommand)
def handover(
    ctx: typer.Context,
    internkontrollplan: PlanId,
    control: Control,
    owner: Annotated[
        str,
        typer.Option(
            "--owner", metavar="BEFATTNING", help="Den som utför kontrollen från dagen (under organet)."
        ),
    ],
    beslut: Beslut,
    handed_over_on: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="ÅÅÅÅ-MM-DD",
            help="Dagen den nya ägaren utför kontrollen från; den tidigare ägaren till och med dagen före.",
        ),
    ],
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Lämna över en kontroll i den antagna planen till en annan ägare från en dag, genom organets
    beslut (--as organet); t.ex. när en befattning ska avvecklas under året."""
    record(
        ctx,
        Governance.hand_over_control,
        f"Kontroll {control} lämnades över till {owner} från {handed_over_on}.",
        ik.HandOverControl,
        **who(as_position, person, command_id, secrecy, rattelse),
        plan_id=internkontrollplan,
        control=control,
        owner=owner,
        beslut_id=beslut,
        handed_over_on=handed_over_on,
    )


@app.command("result", cls=RecordingCommand)
def result(
    ctx: typer.Context,
    internkontrollplan: PlanId,
    control: Control,
    outcome: Annotated[
        str, typer.Option("--outcome", metavar="UTFALL", help=f"Utfallet: {', '.join(Utfall)}.")
    ],
    as_position: AsOption,
    comment: Annotated[str, typer.Option("--comment", help="Vad kontrollen visade; krävs vid brist.")] = "",
    action: Annotated[str, typer.Option("--action", help="Föreslagen åtgärd; krävs vid brist.")] = "",
    severity: Annotated[
        str,
        typer.Option("--severity", metavar="GRAD", help="Bristens allvarlighetsgrad. Standard: den lägsta."),
    ] = "",
    category: Annotated[
        str, typer.Option("--category", metavar="KATEGORI", help="Bristens avvikelsekategori.")
    ] = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Registrera en utförd kontroll (--as kontrollens ägare); en brist blir en avvikelse som eskaleras."""
    performed_on = or_today(date)
    recorded = record(
        ctx,
        Governance.record_kontrollresultat,
        f"Resultatet av kontroll {control} registrerades.",
        ik.RecordKontrollresultat,
        **who(as_position, person, command_id, secrecy, rattelse),
        plan_id=internkontrollplan,
        control=control,
        outcome=outcome,
        comment=comment,
        action=action,
        severity=severity,
        category=category,
        performed_on=performed_on,
    )
    cli = session(ctx)
    if outcome != Utfall.BRIST or cli.output.as_json or cli.output.quiet:
        return
    opened = next(
        e.avvikelse_id
        for e in cli.governance().events_of(recorded.id)
        if isinstance(e, Internkontrollplan.ResultRecorded)
        and (e.control, e.effective_on.isoformat()) == (control, performed_on)
    )
    if opened is not None:
        console().print(f"Bristen öppnade avvikelse [bold]{cli.governance().short_ids([opened])[opened]}[/].")
        show_where_it_lies(ctx, opened)


@app.command("report", cls=RecordingCommand)
def report(
    ctx: typer.Context,
    internkontrollplan: PlanId,
    period: Annotated[
        str,
        typer.Option(
            "--period", metavar="PERIOD", help=f"{' eller '.join(Rapportperiod)} (till delåret, helåret)."
        ),
    ],
    summary: Annotated[str, typer.Option("--summary", help="Sammanfattning av resultaten till KS.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Rapportera planens resultat till KS, med delårsrapporten eller efter året (--as organet)."""
    record(
        ctx,
        Governance.report_internkontroll,
        "Resultaten rapporterades till kommunstyrelsen.",
        ik.ReportInternkontroll,
        **who(as_position, person, command_id, secrecy, rattelse),
        plan_id=internkontrollplan,
        period=period,
        summary=summary,
        reported_on=or_today(date),
    )


@app.command("assess", cls=RecordingCommand)
def assess(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", metavar="ÅR", help="Året som bedöms.")],
    assessment: Annotated[
        str, typer.Option("--assessment", metavar="BEDÖMNING", help="Bedömning på styrmodellens skala.")
    ],
    text: Annotated[str, typer.Option("--text", help="Motivering av bedömningen.")],
    beslut: Beslut,
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """KS bedömer årets interna kontroll som helhet (uppsiktsplikt), genom sitt beslut."""
    record(
        ctx,
        Governance.assess_internkontroll,
        f"Den interna kontrollen {year} bedömdes som '{assessment}'.",
        ik.AssessInternkontroll,
        **who(as_position, person, command_id, secrecy),
        year=year,
        assessment=assessment,
        text=text,
        beslut_id=beslut,
    )


app.command("status")(status)
