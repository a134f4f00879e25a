"""`lerum-flow audit keygen | verify-export`: the auditors' commands that need no database.

The key pair is made where the auditors keep it, and an evidence file is checked
on the auditor's own machine against their checkpoint file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import safe
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.integrity import read_checkpoint_file, signing
from lerum_flow.integrity.export_check import check_export
from lerum_flow.swedish_numbers import counted

# --- keygen -----------------------------------------------------------------------


def keygen_command(
    ctx: typer.Context,
    name: Annotated[
        Path,
        typer.Argument(
            metavar="NAMN",
            help="Början av filnamnen: NAMN.privat.pem (revisorernas, hemlig) och NAMN.publik.pem.",
        ),
    ],
) -> None:
    """Skapa revisorernas nyckelpar (Ed25519) i två filer; den privata lämnar aldrig revisorerna.

    Förseglingen signeras med den privata nyckeln ('audit seal --nyckel'); med den
    publika visar 'audit verify' att ingen har räknat om historiken i databasen.
    """
    cli = session(ctx)
    with refusals(ctx):
        # An empty name or a folder would give '.privat.pem' or a pair beside the folder, not in it.
        if not name.name or name.is_dir():
            raise InvalidInput(
                f"'{name}' är inget filnamn; ange början av filnamnen, t.ex. {name / 'revisorer'}.",
                field="name",
                rule="nyckelns_namn",
            )
        private_path = name.with_name(name.name + ".privat.pem")
        public_path = name.with_name(name.name + ".publik.pem")
        public = signing.generate(private_path, public_path)
    fingerprint = signing.fingerprint(public)
    if cli.output.as_json:
        cli.output.json(
            {
                "privat_nyckel": str(private_path),
                "publik_nyckel": str(public_path),
                "fingeravtryck": fingerprint,
            }
        )
        return
    out = console()
    out.print(f"Skrev den privata nyckeln till {safe(str(private_path))}; förvara den hos revisorerna.")
    out.print(f"Skrev den publika nyckeln till {safe(str(public_path))}.")
    out.print(f"Nyckelns fingeravtryck: {fingerprint}")


# --- verify-export ------------------------------------------------------------------


def verify_export_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FIL", help="Revisionsunderlaget ('audit export').")],
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            "--checkpoints",
            metavar="FIL",
            help="Revisorernas kontrollpunktsfil: visar att underlaget bygger på den förseglade historiken.",
        ),
    ] = None,
) -> None:
    """Pröva ett revisionsunderlag utan databasen: filens hash, antalet rader och kontrollpunkten.

    Slutkod 0 när underlaget är oförändrat (och bundet till revisorernas
    kontrollpunkt, med --checkpoints), 1 annars.
    """
    cli = session(ctx)
    with refusals(ctx):
        checkpoint_file = read_checkpoint_file(checkpoints) if checkpoints is not None else None
        checked = check_export(file, checkpoint_file)
    if cli.output.as_json:
        cli.output.json(checked.as_dict())
        raise typer.Exit(0 if checked.intact else 1)
    out = console()
    if checked.intact:
        bound = (
            f", bundet till revisorernas kontrollpunkt {checked.header.get('kontrollpunkt')}"
            if checkpoint_file is not None
            else ""
        )
        out.print(
            f"[green]Oförändrat:[/] {counted(checked.records, 'händelse', 'händelser')} i "
            f"{safe(str(file))}{bound}."
        )
    else:
        out.print(f"[bold red]Underlaget stämmer inte:[/] {safe(str(file))}")
        for problem in checked.problems:
            out.print(f"  {safe(problem)}")
    raise typer.Exit(0 if checked.intact else 1)
