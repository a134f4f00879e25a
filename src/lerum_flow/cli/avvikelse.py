"""`lerum-flow avvikelse`: deviations reported upward, acknowledged, escalated and closed.

Reporting and escalating say where the deviation now lies and by when that
level must acknowledge it (the escalation workflow keeps the same deadline);
an acknowledgement that comes second says who acknowledged first, and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.cli.context import (
    AsOption,
    CommandIdOption,
    DateTodayOption,
    Param,
    PersonOption,
    SecrecyOption,
    Who,
    id_command,
    or_today,
    record,
    session,
)
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import safe
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import InvalidState
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.settings import Settings
from lerum_flow.workflows.eskalering_lage import read_lage

app = typer.Typer(
    help="Avvikelser: rapporteras uppåt och hanteras en nivå i taget i styrkedjan.",
    no_args_is_help=True,
)

AvvikelseId = Annotated[str, typer.Argument(metavar="ID", help="Avvikelsens id.")]
TARGET = Param("avvikelse", AvvikelseId, "avvikelse_id")
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
    outcome = record(
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
    _show_where_it_lies(ctx, outcome)


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
    """Kvittera att avvikelsen tagits emot på din nivå. Kvitterar någon annan först får du veta vem."""
    record(
        ctx,
        c.AcknowledgeAvvikelse,
        _acknowledge_naming_the_first(session(ctx).settings),
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
    """Eskalera avvikelsen uppåt i styrkedjan; nästa nivå får sin egen kvittensfrist."""
    outcome = record(
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
    _show_where_it_lies(ctx, outcome)


decide = app.command("decide")(
    id_command(
        c.DecideAction,
        Governance.decide_action,
        "Åtgärd beslutades.",
        "Besluta om åtgärd för en kvitterad avvikelse.",
        target=TARGET,
        text=Param(
            "action", Annotated[str, typer.Option("--action", help="Åtgärden som beslutas.")], "action"
        ),
    )
)
close = app.command("close")(
    id_command(
        c.CloseAvvikelse,
        Governance.close_avvikelse,
        "Avvikelsen stängdes.",
        "Stäng avvikelsen och beskriv hur den avslutades.",
        target=TARGET,
        text=Param(
            "description",
            Annotated[str, typer.Option("--description", help="Hur avvikelsen avslutades.")],
            "resolution",
        ),
    )
)


def _show_where_it_lies(ctx: typer.Context, outcome: Outcome) -> None:
    """Which level holds the deviation now and by when it must acknowledge it (not with --json)."""
    cli = session(ctx)
    if cli.output.as_json:
        return
    lage = read_lage(cli.governance(), outcome.id)
    line = f"Ligger hos {safe(lage.level_name)} ({safe(lage.level)})"
    if lage.deadline is not None:
        line += f"; kvittens senast {lage.deadline.astimezone(MUNICIPAL_TIME):%Y-%m-%d %H:%M}"
    console().print(line + ".")


def _acknowledge_naming_the_first(
    settings: Settings,
) -> Callable[[Governance, c.AcknowledgeAvvikelse], Outcome]:
    """Acknowledge; when someone else got there first, say who (by name if the directory has it) and when."""

    def acknowledge(governance: Governance, command: c.AcknowledgeAvvikelse) -> Outcome:
        try:
            return governance.acknowledge_avvikelse(command)
        except InvalidState as refusal:
            if refusal.rule != "redan_kvitterad":
                raise
            raise InvalidState(
                _first_acknowledgement(governance, settings, command.avvikelse_id),
                field=refusal.field,
                rule=refusal.rule,
            ) from None

    return acknowledge


def _first_acknowledgement(governance: Governance, settings: Settings, avvikelse_id: UUID) -> str:
    first = next(
        e for e in reversed(governance.events_of(avvikelse_id)) if isinstance(e, Avvikelse.Acknowledged)
    )
    # Names come from the changeable directory, never from the events.
    name = PersonDirectory(settings).names().get(first.person)
    who = f"{name} ({first.person})" if name else first.person
    when = first.timestamp.astimezone(MUNICIPAL_TIME)
    return (
        f"Avvikelsen är redan kvitterad på nivån {first.level}: {who} kvitterade först, "
        f"{when:%Y-%m-%d} kl. {when:%H:%M}. Din kvittens behövs inte och registrerades inte."
    )
