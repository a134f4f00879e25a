"""`lerum-flow styrdokument`: governing documents adopted, revised, reviewed and repealed on decisions;
the reads (register, tree, due) are in `cli/styrdokument_reads.py`."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import styrdokument_commands as sc
from lerum_flow.application import Governance
from lerum_flow.cli import styrdokument_reads as reads
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    PersonOption,
    RattelseOption,
    SecrecyOption,
    record,
    who,
)
from lerum_flow.cli.recording_command import RecordingCommand

app = typer.Typer(
    help="Styrdokument: antas, revideras, aktualitetsprövas och upphävs genom beslut; register och träd.",
    no_args_is_help=True,
)

StyrdokumentId = Annotated[str, typer.Argument(metavar="ID", help="Styrdokumentets id.")]
BeslutOption = Annotated[
    str,
    typer.Option(
        "--beslut",
        metavar="ID",
        help="Beslutet (med diarienummer och §) som registrerats med `beslut take`.",
    ),
]
ValidFromOption = Annotated[
    str | None,
    typer.Option(
        "--valid-from", metavar="ÅÅÅÅ-MM-DD", help="Första dagen det gäller. Standard: beslutsdagen."
    ),
]


@app.command("adopt", cls=RecordingCommand)
def adopt(
    ctx: typer.Context,
    as_position: Annotated[
        str,
        typer.Option("--as", metavar="BEFATTNING", help="Organet som fattade beslutet, t.ex. kf eller ks."),
    ],
    beslut: BeslutOption,
    document_type: Annotated[
        str,
        typer.Option(
            "--type", metavar="TYP", help="Dokumenttyp i styrmodellen, t.ex. policy, riktlinje eller rutin."
        ),
    ],
    title: Annotated[str, typer.Option("--title", help="Dokumentets titel.")],
    owner: Annotated[
        str,
        typer.Option(
            "--owner", metavar="BEFATTNING", help="Dokumentägaren, som påminns om aktualitetsprövningen."
        ),
    ],
    scope: Annotated[
        str,
        typer.Option(
            "--scope",
            metavar="BEFATTNING",
            help="Den del av organisationen dokumentet gäller, t.ex. en nämnd eller ett bolag. "
            "Standard: organet som antar det.",
        ),
    ] = "",
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent", metavar="ID", help="Det överordnade dokument det härleds ur, t.ex. en policy."
        ),
    ] = None,
    valid_from: ValidFromOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Registrera att ett organ antog ett styrdokument genom ett beslut."""
    record(
        ctx,
        Governance.adopt_styrdokument,
        f"Styrdokument antaget: {title}.",
        sc.AdoptStyrdokument,
        **who(as_position, person, command_id, secrecy),
        beslut_id=beslut,
        document_type=document_type,
        title=title,
        owner=owner,
        scope=scope,
        parent_styrdokument_id=parent,
        valid_from=valid_from,
    )


@app.command("revise", cls=RecordingCommand)
def revise(
    ctx: typer.Context,
    styrdokument: StyrdokumentId,
    as_position: AsOption,
    beslut: BeslutOption,
    reason: Annotated[str, typer.Option("--reason", help="Vad revideringen ändrar.")],
    title: Annotated[str, typer.Option("--title", help="Ny titel. Standard: den gamla.")] = "",
    owner: Annotated[
        str, typer.Option("--owner", metavar="BEFATTNING", help="Ny dokumentägare. Standard: den gamla.")
    ] = "",
    valid_from: ValidFromOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Registrera en revidering av ett styrdokument; dokument som härleds ur det flaggas för översyn."""
    record(
        ctx,
        Governance.revise_styrdokument,
        "Styrdokumentet reviderades.",
        sc.ReviseStyrdokument,
        **who(as_position, person, command_id, secrecy, rattelse),
        styrdokument_id=styrdokument,
        beslut_id=beslut,
        reason=reason,
        title=title,
        owner=owner,
        valid_from=valid_from,
    )


@app.command("review", cls=RecordingCommand)
def review(
    ctx: typer.Context,
    styrdokument: StyrdokumentId,
    as_position: AsOption,
    beslut: BeslutOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Registrera en aktualitetsprövning: dokumentet gäller oförändrat, nästa prövning räknas härifrån."""
    record(
        ctx,
        Governance.review_styrdokument,
        "Styrdokumentet aktualitetsprövades och gäller oförändrat.",
        sc.ReviewStyrdokument,
        **who(as_position, person, command_id, secrecy, rattelse),
        styrdokument_id=styrdokument,
        beslut_id=beslut,
    )


@app.command("repeal", cls=RecordingCommand)
def repeal(
    ctx: typer.Context,
    styrdokument: StyrdokumentId,
    as_position: AsOption,
    beslut: BeslutOption,
    reason: Annotated[str, typer.Option("--reason", help="Varför dokumentet upphävs.")] = "",
    replaced_by: Annotated[
        str | None,
        typer.Option("--replaced-by", metavar="ID", help="Det nya dokument som ersätter det."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="ÅÅÅÅ-MM-DD",
            help="Första dagen det inte längre gäller. Standard: beslutsdagen.",
        ),
    ] = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Registrera att ett styrdokument upphävs, eller ersätts av ett nytt (--replaced-by)."""
    record(
        ctx,
        Governance.repeal_styrdokument,
        "Styrdokumentet ersattes." if replaced_by else "Styrdokumentet upphävdes.",
        sc.RepealStyrdokument,
        **who(as_position, person, command_id, secrecy, rattelse),
        styrdokument_id=styrdokument,
        beslut_id=beslut,
        reason=reason,
        successor_id=replaced_by,
        valid_until=date,
    )


app.command("register")(reads.register)
app.command("tree")(reads.tree)
app.command("due")(reads.due)
