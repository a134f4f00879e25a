"""`lerum-flow delegering`: granting and revoking the right to decide on an organ's behalf."""

from __future__ import annotations

from typing import Annotated

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.cli.context import (
    AsOption,
    CommandIdOption,
    PersonOption,
    SecrecyOption,
    Who,
    record,
)

app = typer.Typer(
    help="Delegeringar enligt delegationsordningen: ge och återkalla beslutanderätt.",
    no_args_is_help=True,
)

ValidFrom = Annotated[
    str, typer.Option("--valid-from", metavar="ÅÅÅÅ-MM-DD", help="Första dagen det gäller.")
]


@app.command("grant")
def grant(
    ctx: typer.Context,
    to: Annotated[
        list[str],
        typer.Option(
            "--to",
            metavar="BEFATTNING",
            help="Delegaten. Lagen tillåter exakt en; flera --to nekas (aldrig gemensam delegering).",
        ),
    ],
    matter: Annotated[
        str, typer.Option("--matter", metavar="OMRÅDE", help="Beslutsområdet som delegeras, t.ex. personal.")
    ],
    beslut: Annotated[
        str,
        typer.Option("--beslut", metavar="ID", help="Beslutet om delegationsordning eller reglemente."),
    ],
    valid_from: ValidFrom,
    as_position: AsOption,
    urgent: Annotated[
        bool, typer.Option("--urgent", help="Brådskande ärenden (bara till ordföranden).")
    ] = False,
    under: Annotated[
        str | None,
        typer.Option("--under", metavar="DELEGERING_ID", help="Vidaredelegation under denna delegering."),
    ] = None,
    conditions: Annotated[str, typer.Option("--conditions", help="Villkor och begränsningar.")] = "",
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Delegera beslutanderätt i ett beslutsområde till en mottagare."""
    record(
        ctx,
        c.GrantDelegering,
        Governance.grant_delegering,
        Who(as_position, person, command_id, secrecy),
        f"Delegering i '{matter}' till {', '.join(to)}.",
        delegates=to,
        matter=matter,
        beslut_id=beslut,
        urgent=urgent,
        parent_delegering_id=under,
        valid_from=valid_from,
        conditions=conditions,
    )


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    delegering: Annotated[str, typer.Argument(metavar="ID", help="Delegeringens id.")],
    reason: Annotated[str, typer.Option("--reason", help="Varför delegeringen återkallas.")],
    valid_from: ValidFrom,
    as_position: AsOption,
    beslut: Annotated[
        str | None, typer.Option("--beslut", metavar="ID", help="Beslutet om återkallelse, om ett finns.")
    ] = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Återkalla en delegering från ett datum (bara den som delegerade kan)."""
    record(
        ctx,
        c.RevokeDelegering,
        Governance.revoke_delegering,
        Who(as_position, person, command_id, secrecy),
        "Delegeringen återkallades.",
        delegering_id=delegering,
        reason=reason,
        beslut_id=beslut,
        valid_from=valid_from,
    )
