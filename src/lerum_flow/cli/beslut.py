"""`lerum-flow beslut`: decisions by organs and delegates, corrections and anmälan."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.cli.context import (
    AsOption,
    CommandIdOption,
    DateOption,
    DateTodayOption,
    Param,
    PersonOption,
    SecrecyOption,
    Who,
    id_command,
    or_today,
    record,
)
from lerum_flow.domain.values import BeslutKind

app = typer.Typer(
    help="Beslut av organ (med § och diarienummer) och av delegater, rättelser och anmälan.",
    no_args_is_help=True,
)

BeslutId = Annotated[str, typer.Argument(metavar="ID", help="Beslutets id.")]
Diarienummer = Annotated[
    str, typer.Option("--diarienummer", metavar="DNR", help="Diarienummer, t.ex. 'KS 2027/12'.")
]
Title = Annotated[str, typer.Option("--title", help="Beslutets rubrik.")]
Paragraf = Annotated[
    str, typer.Option("--paragraf", metavar="§", help="Paragraf i protokollet, t.ex. '§ 5'.")
]


@app.command("take")
def take(
    ctx: typer.Context,
    organ: Annotated[
        str,
        typer.Option(
            "--organ", metavar="BEFATTNING", help="Organet som beslutar (eller delegaten, med --delegering)."
        ),
    ],
    kind: Annotated[
        str, typer.Option("--kind", metavar="SLAG", help=f"Slag av beslut: {', '.join(BeslutKind)}.")
    ],
    diarienummer: Diarienummer,
    title: Title,
    date: DateOption,
    paragraf: Paragraf = "",
    matter: Annotated[
        str, typer.Option("--matter", metavar="OMRÅDE", help="Beslutsområde i styrmodellen, t.ex. budget.")
    ] = "",
    delegering: Annotated[
        str | None,
        typer.Option("--delegering", metavar="ID", help="Delegeringen beslutet fattas med stöd av."),
    ] = None,
    as_position: Annotated[
        str | None,
        typer.Option("--as", metavar="BEFATTNING", help="Befattningen du handlar i. Standard: --organ."),
    ] = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Registrera ett beslut av ett organ, eller av en delegat med stöd av en delegering."""
    record(
        ctx,
        c.TakeBeslut,
        Governance.take_beslut,
        Who(as_position or organ, person, command_id, secrecy),
        f"Beslut av {organ}: {title}.",
        decided_by=organ,
        kind=kind,
        diarienummer=diarienummer,
        paragraf=paragraf,
        title=title,
        decided_on=date,
        matter=matter,
        delegering_id=delegering,
    )


@app.command("correct")
def correct(
    ctx: typer.Context,
    beslut: BeslutId,
    diarienummer: Diarienummer,
    title: Title,
    reason: Annotated[str, typer.Option("--reason", help="Varför uppgifterna rättas.")],
    as_position: AsOption,
    paragraf: Paragraf = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Rätta registrerade uppgifter om ett beslut; rättelsen och skälet sparas bredvid."""
    record(
        ctx,
        c.CorrectBeslut,
        Governance.correct_beslut,
        Who(as_position, person, command_id, secrecy),
        "Beslutet rättades.",
        beslut_id=beslut,
        diarienummer=diarienummer,
        paragraf=paragraf,
        title=title,
        reason=reason,
        corrected_on=or_today(date),
    )


report = app.command("report")(
    id_command(
        c.ReportBeslut,
        Governance.report_beslut,
        "Delegationsbeslutet anmäldes.",
        "Anmäl ett delegationsbeslut till det organ som delegerade (--as organet).",
        target=Param("beslut", BeslutId, "beslut_id"),
        text=Param(
            "paragraf",
            Annotated[
                str,
                typer.Option("--paragraf", metavar="§", help="Paragraf i protokollet där anmälan tas upp."),
            ],
            "minutes_paragraf",
            default="",
        ),
        date_field="reported_on",
    )
)
