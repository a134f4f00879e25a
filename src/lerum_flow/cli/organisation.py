"""`lerum-flow organisation`: positions below the styrmodell's fixed chain, established and discontinued."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.cli.context import session
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    DateOption,
    PersonOption,
    SecrecyOption,
    record,
    who,
)
from lerum_flow.view_lookups import ViewTies

app = typer.Typer(
    help="Inrätta och avveckla befattningar under styrmodellens fasta del: chefer och medarbetare.",
    no_args_is_help=True,
)


@app.command("establish")
def establish(
    ctx: typer.Context,
    code: Annotated[
        str, typer.Option("--id", metavar="KOD", help="Befattningens kod, t.ex. chef-vallhamra.")
    ],
    name: Annotated[str, typer.Option("--name", help="Befattningens namn, t.ex. 'Rektor, Vallhamra skola'.")],
    kind: Annotated[str, typer.Option("--kind", metavar="chef|medarbetare", help="Slag av befattning.")],
    parent: Annotated[
        str, typer.Option("--parent", metavar="KOD", help="Befattningen den ligger under, t.ex. larande.")
    ],
    date: DateOption,
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Inrätta en befattning (chef eller medarbetare) under en befintlig i styrkedjan.

    Nekas under en befattning som är avvecklad från en senare dag: den nya skulle finnas kvar
    när den den står under inte längre finns. Likaså en delegering till en sådan befattning,
    och ett förordnande på den som inte slutar senast dagen före.
    """
    record(
        ctx,
        Governance.establish_befattning,
        f"Befattningen '{code}' inrättades under '{parent}'.",
        c.EstablishBefattning,
        **who(as_position, person, command_id, secrecy),
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        established_on=date,
    )


@app.command("discontinue")
def discontinue(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--id", metavar="KOD", help="Den inrättade befattningens kod.")],
    reason: Annotated[str, typer.Option("--reason", help="Varför befattningen avvecklas.")],
    date: Annotated[
        str,
        typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Första dagen befattningen inte längre finns."),
    ],
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Avveckla en inrättad befattning från ett datum (den som får inrätta den där får avveckla den).

    Nekas så länge något hänger kvar på den från den dagen: befattningar under den, någon som
    innehar den, pågående uppdrag till eller från den, delegeringar till den som gäller, eller
    öppna avvikelser på dess nivå.
    """
    settings = session(ctx).store_settings

    def discontinue_befattning(governance: Governance, cmd: c.DiscontinueBefattning) -> Outcome:
        # What hangs on the position is read from the views (caught up first), never from a walk
        # of the log; they are opened only for a command that passed the edge's checks.
        ties = ViewTies.open(settings())
        try:
            return governance.discontinue_befattning(cmd, ties=ties)
        finally:
            ties.close()

    record(
        ctx,
        discontinue_befattning,
        f"Befattningen '{code}' avvecklades; den finns inte från {date.strip()}.",
        c.DiscontinueBefattning,
        **who(as_position, person, command_id, secrecy),
        code=code,
        reason=reason,
        discontinued_on=date,
    )
