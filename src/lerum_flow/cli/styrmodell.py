"""`lerum-flow styrmodell`: write a template, check a file, show the model in use, record a new one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.tree import Tree

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    PersonOption,
    or_today,
    record,
    who,
)
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.styrmodell_versions import (
    recorded_versions,
    shown_model,
    version_json,
    version_line,
    versions_grid,
)
from lerum_flow.cli.tables import Grid, count, number_column, safe, tag_column, text_column
from lerum_flow.commands import AdoptStyrmodell
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.styrkedja import Position
from lerum_flow.file_reasons import file_reason
from lerum_flow.input_dates import parse_day
from lerum_flow.styrmodell import Styrmodell, StyrmodellInvalid, load_styrmodell, template_text
from lerum_flow.styrmodell.matters import never_delegable

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
                f"{file} kan inte skrivas: {file_reason(error)}.", field="file", rule="kan_inte_skriva"
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
        versions = recorded_versions(cli)
        model, version = shown_model(cli, day, versions, from_record=as_of is not None)
    if cli.output.as_json:
        cli.output.json(
            {
                **summary(model),
                "version": version_json(version) if version else None,
                "versioner": [version_json(v) for v in versions],
            }
        )
        return
    out = console()
    out.print(f"[bold]{safe(model.kommun.namn)}[/] (kommunkod {model.kommun.kod})")
    out.print(version_line(version, versions))
    out.print(styrkedja_tree(model))
    out.print(_scales(model))
    out.print(_matters(model))
    out.print(_escalation(model))
    out.print(_calendar(model))
    if len(versions) > 1:
        out.print(versions_grid(versions, version))


@app.command("adopt", cls=RecordingCommand)
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
        lambda governance, cmd: governance.adopt_styrmodell(cmd, model),
        f"Styrmodellen för {model.kommun.namn} gäller från {effective_from}.",
        AdoptStyrmodell,
        **who(as_position, person, command_id),
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


def summary(model: Styrmodell) -> dict[str, Any]:
    kalender = model.kalender
    return {
        "kommun": model.kommun.namn,
        "kommunkod": model.kommun.kod,
        "styrkedja": [
            {"id": p.id, "namn": p.name, "slag": str(p.kind), "under": p.parent} for p in model.styrkedja()
        ],
        "bedomningsskala": [{"kod": b.kod, "namn": b.namn, "farg": b.farg} for b in model.bedomningsskala],
        "beslutsomraden": [
            {
                "kod": area.kod,
                "namn": area.namn,
                "innehavare": area.innehavare,
                "kategori": str(area.kategori),
                "delegerbart": (reason := never_delegable(area)) is None,
                "ej_delegerbart_enligt": reason,
            }
            for area in model.beslutsomraden
        ],
        "allvarlighetsgrader": [
            {"kod": g.kod, "namn": g.namn, "direkt_till": g.direkt_till} for g in model.allvarlighetsgrader
        ],
        "avvikelsekategorier": list(model.avvikelsekategorier),
        "eskalering": [
            {
                "slag": str(e.slag),
                "kvittens_timmar": e.kvittens_timmar,
                "kvittens_minuter": e.kvittens_minuter,
            }
            for e in model.eskalering
        ],
        "kalender": kalender.model_dump(mode="json"),
    }


def styrkedja_tree(model: Styrmodell) -> Tree:
    chain = model.styrkedja()
    positions = list(chain)
    roots = [p for p in positions if p.parent is None]
    tree = Tree("[bold]Styrkedjan[/]")

    def add(branch: Tree, position: Position) -> None:
        node = branch.add(_label(position))
        for child in positions:
            if child.parent == position.id:
                add(node, child)

    for root in roots:
        add(tree, root)
    under = ", ".join(str(kind) for kind in model.nivaer_under)
    tree.add(f"[dim]… inrättas löpande under den fasta delen: {safe(under)}[/]")
    return tree


def _label(position: Position) -> str:
    extra = f", {position.members} ledamöter" if position.members else ""
    return f"{safe(position.name)} [dim]({safe(position.id)}; {position.kind}{extra})[/]"


def _scales(model: Styrmodell) -> Grid:
    grid = Grid(
        "Bedömning och avvikelser",
        [tag_column("Skala"), tag_column("Kod"), tag_column("Namn"), text_column("Anmärkning")],
        caption=f"Avvikelsekategorier: {safe(', '.join(model.avvikelsekategorier))}",
    )
    for niva in model.bedomningsskala:
        grid.add_row("bedömning", safe(niva.kod), safe(niva.namn), safe(niva.farg or ""))
    for grad in model.allvarlighetsgrader:
        note = f"direkt till {safe(grad.direkt_till)}" if grad.direkt_till else "en nivå i taget"
        grid.add_row("allvarlighet", safe(grad.kod), safe(grad.namn), note)
    return grid


def _matters(model: Styrmodell) -> Grid:
    grid = Grid(
        "Beslutsområden",
        [tag_column("Kod"), text_column("Namn"), tag_column("Innehavare"), text_column("Delegeras")],
    )
    for area in model.beslutsomraden:
        reason = never_delegable(area)
        delegable = "får delegeras" if reason is None else f"[bold]aldrig[/]: {safe(reason)}"
        grid.add_row(safe(area.kod), safe(area.namn), safe(area.innehavare), delegable)
    return grid


def _escalation(model: Styrmodell) -> Grid:
    grid = Grid("Eskalering nerifrån och upp", [tag_column("Nivå (slag)"), number_column("Kvittera inom")])
    for niva in model.eskalering:
        within = (
            f"{count(niva.kvittens_minuter)} min"
            if niva.kvittens_minuter
            else f"{count(niva.kvittens_timmar or 0)} h"
        )
        grid.add_row(safe(str(niva.slag)), within)
    return grid


def _calendar(model: Styrmodell) -> Grid:
    k = model.kalender
    grid = Grid("Årshjulet (för budgetår N)", [tag_column("Vad", 12), text_column("Senast / när")])
    rows = [
        ("Budget (år N-1)", k.budget_senast),
        ("Budget i valår (år N-1)", k.budget_senast_valar),
        ("Verksamhetsplan (år N-1)", k.verksamhetsplan_senast),
        ("Uppföljningsplan (år N-1)", k.uppfoljningsplan_senast),
        *(
            row
            for number, period in enumerate(k.interim_periods(), 1)
            for row in (
                (f"Delårsperiod {number} slutar (år N)", period.slutar),
                (f"Delårsrapport {number} (år N)", period.rapport_senast),
            )
        ),
        ("Årsredovisning (år N+1)", k.arsredovisning_senast),
        ("Ansvarsfrihet (år N+1)", k.ansvarsfrihet_senast),
        ("Mandatperioden börjar", k.mandatperiod_borjar),
    ]
    for what, dag in rows:
        grid.add_row(what, f"{dag.dag}/{dag.manad}")
    grid.add_row("Uppföljningsmånader", ", ".join(str(m) for m in k.uppfoljningsmanader))
    grid.add_row("Uppföljning", safe("; ".join(f"{led.fran} → {led.till}" for led in k.uppfoljningsled)))
    val = k.val
    grid.add_row("Val", safe(val.beskrivning or f"var {val.intervall_ar}:e år från {val.forsta_valar}"))
    return grid
