"""`lerum-flow organisation`: positions below the styrmodell's fixed chain."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    DateOption,
    PersonOption,
    SecrecyOption,
    record,
    who,
)

app = typer.Typer(
    help="Inrätta befattningar under styrmodellens fasta del: chefer och medarbetare.",
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
    """Inrätta en befattning (chef eller medarbetare) under en befintlig i styrkedjan."""
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
