"""`lerum-flow styrmodell`: write a template, check a file, show the model in use, record a new one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from lerum_flow.cli.context import (
    AsOption,
    CommandIdOption,
    PersonOption,
    Who,
    or_today,
    record,
    refusals,
    session,
)
from lerum_flow.cli.output import console
from lerum_flow.cli.session import CliSession
from lerum_flow.cli.styrmodell_show import model_json, print_model
from lerum_flow.cli.tables import safe
from lerum_flow.commands import AdoptStyrmodell
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.styrmodell_record import ModelVersion
from lerum_flow.input_dates import parse_day
from lerum_flow.styrmodell import Styrmodell, StyrmodellInvalid, load_styrmodell, template_text

app = typer.Typer(help="Styrmodellen: organisation, skalor, eskalering och årshjul.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(metavar="FIL", help="Styrmodellen (TOML).")]


@app.command("init")
def init(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FIL", help="Filen att skriva. Standard: styrmodell.toml.")
    ] = Path("styrmodell.toml"),
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
) -> None:
    """Skriv en kommenterad mall för en styrmodell att fylla i; den är giltig som den är."""
    output = session(ctx).output
    with refusals(ctx):
        if file.exists() and not force:
            raise InvalidState(
                f"{file} finns redan; ange --force för att skriva över den.", field="file", rule="filen_finns"
            )
        try:
            file.write_text(template_text(), encoding="utf-8")
        except OSError as error:
            raise InvalidInput(
                f"{file} kan inte skrivas ({error.strerror or error}).", field="file", rule="kan_inte_skriva"
            ) from None
    if output.as_json:
        output.json({"fil": str(file), "skriven": True})
        return
    console().print(
        f"[green]Mallen är skriven till[/] {safe(str(file))}; fyll i den och kontrollera den med "
        f"lerum-flow styrmodell validate {safe(str(file))}"
    )


@app.command("validate")
def validate(ctx: typer.Context, file: FileArgument) -> None:
    """Kontrollera en styrmodellfil och lista varje fel med rad och kolumn; slutkod 1 vid fel."""
    output = session(ctx).output
    model = _loaded(ctx, file)
    positions = len(model.styrkedja())
    if output.as_json:
        output.json(
            {
                "fil": str(file),
                "giltig": True,
                "kommun": model.kommun.namn,
                "kommunkod": model.kommun.kod,
                "befattningar": positions,
                "problem": [],
            }
        )
        return
    console().print(f"[green]Styrmodellen är giltig:[/] {safe(model.kommun.namn)}, {positions} befattningar")


@app.command("show")
def show(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="ÅÅÅÅ-MM-DD",
            help="Visa den styrmodell som enligt lagret gällde den dagen. Standard: den som används nu.",
        ),
    ] = None,
) -> None:
    """Visa styrmodellen: kommun, styrkedja, skalor, beslutsområden, eskalering och årshjul."""
    cli = session(ctx)
    with refusals(ctx):
        day = parse_day(or_today(as_of), field="as-of")
        versions = _recorded_versions(cli)
        model, version = _shown(cli, day, versions, from_record=as_of is not None)
    if cli.output.as_json:
        cli.output.json(model_json(model, version, versions))
        return
    print_model(model, version, versions)


@app.command("adopt")
def adopt(
    ctx: typer.Context,
    file: FileArgument,
    effective_from: Annotated[
        str, typer.Option("--from", metavar="ÅÅÅÅ-MM-DD", help="Dagen styrmodellen gäller från.")
    ],
    as_position: AsOption,
    beslut: Annotated[
        str | None,
        typer.Option("--beslut", metavar="ID", help="Fullmäktiges beslut som styrmodellen vilar på."),
    ] = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
) -> None:
    """Registrera att en styrmodell styr lagret från en dag: den första eller en ny version.

    En ny version är till exempel en omorganisation från 1 januari; den antas av
    fullmäktige (--as kf). Det som redan registrerats påverkas inte."""
    model = _loaded(ctx, file)
    record(
        ctx,
        AdoptStyrmodell,
        lambda governance, cmd: governance.adopt_styrmodell(cmd, model),
        Who(as_position, person, command_id),
        f"Styrmodellen för {model.kommun.namn} gäller från {effective_from}.",
        effective_from=effective_from,
        beslut_id=beslut,
    )


def _loaded(ctx: typer.Context, file: Path) -> Styrmodell:
    """The model in `file`, or every problem in it shown, ending with exit code 1."""
    try:
        return load_styrmodell(file)
    except StyrmodellInvalid as invalid:
        session(ctx).output.problems(str(file), invalid.problems)
        raise typer.Exit(1) from None


def _recorded_versions(cli: CliSession) -> list[ModelVersion]:
    """The versions the store recorded; none when there is no store (it is not created to be read)."""
    return cli.governance().styrmodell_versions() if cli.store_exists() else []


def _shown(
    cli: CliSession, day: date, versions: list[ModelVersion], *, from_record: bool
) -> tuple[Styrmodell, ModelVersion | None]:
    """The store's model on `day` when asked for a day; else the one in use (given, the store's, Lerum's),
    with the recorded version it is, if it is one."""
    model = cli.styrmodell()
    if not versions:
        return model, None
    governance = cli.governance()
    in_force = governance.styrmodell_version_on(day)
    assert in_force is not None  # a store with versions has one in force every day
    if from_record or cli.given_styrmodell() is None or governance.is_version(model, in_force):
        return governance.styrmodell_of(in_force), in_force
    return model, None
