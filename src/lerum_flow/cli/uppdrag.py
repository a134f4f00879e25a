"""`lerum-flow uppdrag`: an uppdrag's life from issue through report to completion."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
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
)

app = typer.Typer(
    help="Uppdrag och mål: givaren äger VAD, mottagaren äger HUR och återrapporterar.",
    no_args_is_help=True,
)

UppdragId = Annotated[str, typer.Argument(metavar="ID", help="Uppdragets id.")]
Comment = Annotated[str, typer.Option("--comment", help="Kommentar.")]
Reason = Annotated[str, typer.Option("--reason", help="Skälet.")]
Due = Annotated[str | None, typer.Option("--due", metavar="ÅÅÅÅ-MM-DD", help="Slutdatum.")]

# The parameters of the commands that only take the ID and perhaps a comment or a reason.
TARGET = Param("uppdrag", UppdragId, "uppdrag_id")
COMMENT = Param("comment", Comment, "comment", default="")
REASON = Param("reason", Reason, "reason")


@app.command("issue")
def issue(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", metavar="BEFATTNING", help="Mottagaren (uppdragstagaren).")],
    title: Annotated[str, typer.Option("--title", help="Vad som ska uppnås.")],
    as_position: AsOption,
    description: Annotated[str, typer.Option("--description", help="Närmare beskrivning.")] = "",
    due: Due = None,
    beslut: Annotated[
        str | None,
        typer.Option("--beslut", metavar="ID", help="Det politiska beslut uppdraget kommer ur."),
    ] = None,
    part_of: Annotated[
        str | None,
        typer.Option("--part-of", metavar="UPPDRAG_ID", help="Uppdraget detta bryter ned (deluppdrag)."),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", metavar="uppdrag|mal", help="Uppdrag eller mål.")
    ] = "uppdrag",
    date: DateTodayOption = None,
    key: Annotated[
        str, typer.Option("--key", help="Egen nyckel som skiljer uppdrag med samma rubrik åt.")
    ] = "",
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Ge ett uppdrag (eller mål) till en befattning under dig, spårbart till ett politiskt beslut."""
    record(
        ctx,
        c.IssueUppdrag,
        Governance.issue_uppdrag,
        Who(as_position, person, command_id, secrecy),
        f"Uppdrag till {to}: {title}.",
        kind=kind,
        recipient=to,
        title=title,
        description=description,
        due=due,
        origin_beslut_id=beslut,
        parent_id=part_of,
        issued_on=or_today(date),
        key=key,
    )


accept = app.command("accept")(
    id_command(
        c.AcceptUppdrag,
        Governance.accept_uppdrag,
        "Uppdraget togs emot.",
        "Ta emot ett uppdrag (mottagaren).",
        target=TARGET,
    )
)


@app.command("report")
def report(
    ctx: typer.Context,
    uppdrag: UppdragId,
    assessment: Annotated[
        str,
        typer.Option(
            "--assessment", metavar="BEDÖMNING", help="Bedömning på styrmodellens skala, t.ex. uppfyllt."
        ),
    ],
    text: Annotated[str, typer.Option("--text", help="Återrapporteringen.")],
    as_position: AsOption,
    period: Annotated[str, typer.Option("--period", help="Perioden, t.ex. 2027-T1.")] = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Återrapportera ett uppdrag med en bedömning (mottagaren)."""
    record(
        ctx,
        c.ReportUppdrag,
        Governance.report_uppdrag,
        Who(as_position, person, command_id, secrecy),
        f"Återrapport med bedömningen '{assessment}'.",
        uppdrag_id=uppdrag,
        assessment=assessment,
        text=text,
        period=period,
        on=or_today(date),
    )


accept_report = app.command("accept-report")(
    id_command(
        c.AcceptReport,
        Governance.accept_report,
        "Återrapporten godkändes.",
        "Godkänn återrapporten (givaren).",
        target=TARGET,
        text=COMMENT,
    )
)
return_report = app.command("return-report")(
    id_command(
        c.ReturnReport,
        Governance.return_report,
        "Återrapporten återförvisades.",
        "Återförvisa återrapporten med ett skäl (givaren).",
        target=TARGET,
        text=REASON,
    )
)


@app.command("revise")
def revise(
    ctx: typer.Context,
    uppdrag: UppdragId,
    reason: Reason,
    as_position: AsOption,
    title: Annotated[str, typer.Option("--title", help="Ny rubrik.")] = "",
    description: Annotated[str | None, typer.Option("--description", help="Ny beskrivning.")] = None,
    due: Due = None,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Ändra VAD: rubrik, beskrivning eller slutdatum, med skäl (givaren)."""
    record(
        ctx,
        c.ReviseUppdrag,
        Governance.revise_uppdrag,
        Who(as_position, person, command_id, secrecy),
        "Uppdraget ändrades.",
        uppdrag_id=uppdrag,
        title=title,
        description=description,
        due=due,
        reason=reason,
        on=or_today(date),
    )


complete = app.command("complete")(
    id_command(
        c.CompleteUppdrag,
        Governance.complete_uppdrag,
        "Uppdraget slutfördes.",
        "Slutför ett uppdrag vars återrapport är godkänd (givaren).",
        target=TARGET,
        text=COMMENT,
    )
)
withdraw = app.command("withdraw")(
    id_command(
        c.WithdrawUppdrag,
        Governance.withdraw_uppdrag,
        "Uppdraget återkallades.",
        "Återkalla ett uppdrag med ett skäl (givaren).",
        target=TARGET,
        text=REASON,
    )
)
