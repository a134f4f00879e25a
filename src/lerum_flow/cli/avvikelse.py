"""`lerum-flow avvikelse`: deviations reported upward, acknowledged, escalated and closed."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.cli.context import (
    AsOption,
    CommandIdOption,
    DateTodayOption,
    PersonOption,
    SecrecyOption,
    Who,
    or_today,
    record,
)

app = typer.Typer(
    help="Avvikelser: rapporteras uppåt och hanteras en nivå i taget i styrkedjan.",
    no_args_is_help=True,
)

AvvikelseId = Annotated[str, typer.Argument(metavar="ID", help="Avvikelsens id.")]
Severity = Annotated[
    str, typer.Option("--severity", metavar="GRAD", help="Allvarlighetsgrad i styrmodellen, t.ex. storre.")
]


@app.command("report")
def report(
    ctx: typer.Context,
    about: Annotated[
        str, typer.Option("--about", metavar="uppdrag|budgetomrade|handelse", help="Vad avvikelsen gäller.")
    ],
    ref: Annotated[
        str, typer.Option("--ref", metavar="REF", help="Uppdragets id, budgetområdet eller händelsen.")
    ],
    severity: Severity,
    category: Annotated[
        str, typer.Option("--category", metavar="KATEGORI", help="Kategori i styrmodellen, t.ex. ekonomi.")
    ],
    description: Annotated[str, typer.Option("--description", help="Vad som avviker.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    key: Annotated[
        str, typer.Option("--key", help="Egen nyckel som skiljer avvikelser med samma beskrivning åt.")
    ] = "",
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Rapportera en avvikelse; den går till nivån ovanför dig (eller direkt högre om grav)."""
    record(
        ctx,
        c.ReportAvvikelse,
        Governance.report_avvikelse,
        Who(as_position, person, command_id, secrecy),
        "Avvikelsen rapporterades.",
        subject_kind=about,
        subject_ref=ref,
        severity=severity,
        category=category,
        description=description,
        occurred_on=or_today(date),
        key=key,
    )


@app.command("assess")
def assess(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    severity: Severity,
    reason: Annotated[str, typer.Option("--reason", help="Motivering av bedömningen.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Bedöm avvikelsens allvarlighet, med motivering (nivån som har den)."""
    record(
        ctx,
        c.AssessAvvikelse,
        Governance.assess_avvikelse,
        Who(as_position, person, command_id, secrecy),
        f"Avvikelsen bedömdes som '{severity}'.",
        avvikelse_id=avvikelse,
        severity=severity,
        reason=reason,
        on=or_today(date),
    )


@app.command("acknowledge")
def acknowledge(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Kvittera att avvikelsen tagits emot på din nivå."""
    record(
        ctx,
        c.AcknowledgeAvvikelse,
        Governance.acknowledge_avvikelse,
        Who(as_position, person, command_id, secrecy),
        "Avvikelsen kvitterades.",
        avvikelse_id=avvikelse,
        on=or_today(date),
    )


@app.command("escalate")
def escalate(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    as_position: AsOption,
    to: Annotated[
        str, typer.Option("--to", metavar="BEFATTNING", help="Nivån ovanför. Standard: närmaste.")
    ] = "",
    reason: Annotated[str, typer.Option("--reason", help="Skäl; krävs om nivåer hoppas över.")] = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Eskalera avvikelsen uppåt i styrkedjan."""
    record(
        ctx,
        c.EscalateAvvikelse,
        Governance.escalate_avvikelse,
        Who(as_position, person, command_id, secrecy),
        "Avvikelsen eskalerades.",
        avvikelse_id=avvikelse,
        to_level=to,
        reason=reason,
        on=or_today(date),
    )


@app.command("decide")
def decide(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    action: Annotated[str, typer.Option("--action", help="Åtgärden som beslutas.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Besluta om åtgärd för en kvitterad avvikelse."""
    record(
        ctx,
        c.DecideAction,
        Governance.decide_action,
        Who(as_position, person, command_id, secrecy),
        "Åtgärd beslutades.",
        avvikelse_id=avvikelse,
        action=action,
        on=or_today(date),
    )


@app.command("close")
def close(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    description: Annotated[str, typer.Option("--description", help="Hur avvikelsen avslutades.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Stäng avvikelsen och beskriv hur den avslutades."""
    record(
        ctx,
        c.CloseAvvikelse,
        Governance.close_avvikelse,
        Who(as_position, person, command_id, secrecy),
        "Avvikelsen stängdes.",
        avvikelse_id=avvikelse,
        resolution=description,
        on=or_today(date),
    )
