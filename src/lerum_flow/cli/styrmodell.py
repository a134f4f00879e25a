"""`lerum-flow styrmodell`: check a styrmodell file, and show the one in use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.tree import Tree

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import Grid, count, number_column, safe, tag_column, text_column
from lerum_flow.domain.styrkedja import Position
from lerum_flow.styrmodell import Styrmodell, load_styrmodell, validate_styrmodell_file

app = typer.Typer(help="Styrmodellen: organisation, skalor, eskalering och årshjul.", no_args_is_help=True)


@app.command("validate")
def validate(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FIL", help="Styrmodellen att kontrollera (TOML).")],
) -> None:
    """Kontrollera en styrmodellfil och lista alla fel; slutkod 1 om den inte går att använda."""
    output = session(ctx).output
    problems = validate_styrmodell_file(file)
    if problems:
        output.problems(str(file), problems)
        raise typer.Exit(1)
    model = load_styrmodell(file)
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
def show(ctx: typer.Context) -> None:
    """Visa styrmodellen som används: kommun, styrkedja, skalor, eskalering och årshjul."""
    cli = session(ctx)
    with refusals(ctx):
        model = cli.styrmodell()
    if cli.output.as_json:
        cli.output.json(summary(model))
        return
    out = console()
    out.print(f"[bold]{safe(model.kommun.namn)}[/] (kommunkod {model.kommun.kod})")
    out.print(styrkedja_tree(model))
    out.print(_scales(model))
    out.print(_escalation(model))
    out.print(_calendar(model))


def summary(model: Styrmodell) -> dict[str, Any]:
    kalender = model.kalender
    return {
        "kommun": model.kommun.namn,
        "kommunkod": model.kommun.kod,
        "styrkedja": [
            {"id": p.id, "namn": p.name, "slag": str(p.kind), "under": p.parent} for p in model.styrkedja()
        ],
        "bedomningsskala": [{"kod": b.kod, "namn": b.namn, "farg": b.farg} for b in model.bedomningsskala],
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
