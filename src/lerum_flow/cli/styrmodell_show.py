"""How `styrmodell show` presents a model: its styrkedja, scales, decision areas, escalation and årshjul,
and which recorded version of the store's it is."""

from __future__ import annotations

from typing import Any

from rich.tree import Tree

from lerum_flow.cli.output import console
from lerum_flow.cli.tables import Grid, count, date_column, number_column, safe, tag_column, text_column
from lerum_flow.domain.styrkedja import Position
from lerum_flow.domain.styrmodell_record import SHORT_DIGEST, ModelVersion
from lerum_flow.municipal_time import business_day
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.styrmodell.matters import never_delegable


def print_model(model: Styrmodell, version: ModelVersion | None, versions: list[ModelVersion]) -> None:
    out = console()
    out.print(f"[bold]{safe(model.kommun.namn)}[/] (kommunkod {model.kommun.kod})")
    out.print(_version_line(version, versions))
    out.print(styrkedja_tree(model))
    out.print(_scales(model))
    out.print(_matters(model))
    out.print(_escalation(model))
    out.print(_calendar(model))
    if len(versions) > 1:
        out.print(_versions(versions, version))


def model_json(
    model: Styrmodell, version: ModelVersion | None, versions: list[ModelVersion]
) -> dict[str, Any]:
    return {
        **summary(model),
        "version": version_json(version) if version else None,
        "versioner": [version_json(v) for v in versions],
    }


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
                "delegerbart": (reason := never_delegable(area, model)) is None,
                "ej_delegerbart_enligt": reason,
            }
            for area in model.beslutsomraden
        ],
        "allvarlighetsgrader": [
            {"kod": g.kod, "namn": g.namn, "direkt_till": g.direkt_till} for g in model.allvarlighetsgrader
        ],
        "avvikelsekategorier": list(model.avvikelsekategorier),
        "eskalering": [{"slag": str(e.slag), "kvittens_timmar": e.kvittens_timmar} for e in model.eskalering],
        "kalender": kalender.model_dump(mode="json"),
    }


def version_json(version: ModelVersion) -> dict[str, Any]:
    return {
        "galler_fran": version.effective_from.isoformat(),
        "registrerad": version.recorded_at.isoformat(),
        "sha256": version.digest,
        "kommun": version.identity.municipality,
        "kommunkod": version.identity.municipality_code,
        "beslut": str(version.beslut_id) if version.beslut_id else None,
    }


def _version_line(version: ModelVersion | None, versions: list[ModelVersion]) -> str:
    if version is None and versions:
        return "[yellow]Den givna styrmodellen är inte den som lagret styrs av i dag.[/]"
    if version is None:
        return "[dim]Inte registrerad i lagret: registreras med lagrets första kommando.[/]"
    number = versions.index(version) + 1 if version in versions else 0
    return (
        f"Gäller från {version.effective_from.isoformat()} enligt lagret (version {number} av "
        f"{len(versions)}, registrerad {business_day(version.recorded_at).isoformat()}, "
        f"sha256 {version.digest[:SHORT_DIGEST]})"
    )


def _versions(versions: list[ModelVersion], shown: ModelVersion | None) -> Grid:
    grid = Grid(
        "Styrmodellens versioner i lagret",
        [date_column("Gäller från"), tag_column("Kommun"), tag_column("sha256"), date_column("Registrerad")],
    )
    for version in versions:
        mark = " [bold]←[/]" if version == shown else ""
        grid.add_row(
            version.effective_from.isoformat(),
            safe(version.identity.municipality),
            version.digest[:SHORT_DIGEST] + mark,
            business_day(version.recorded_at).isoformat(),
        )
    return grid


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
        reason = never_delegable(area, model)
        delegable = "får delegeras" if reason is None else f"[bold]aldrig[/]: {safe(reason)}"
        grid.add_row(safe(area.kod), safe(area.namn), safe(area.innehavare), delegable)
    return grid


def _escalation(model: Styrmodell) -> Grid:
    grid = Grid("Eskalering nerifrån och upp", [tag_column("Nivå (slag)"), number_column("Kvittera inom")])
    for niva in model.eskalering:
        grid.add_row(safe(str(niva.slag)), f"{count(niva.kvittens_timmar)} h")
    return grid


def _calendar(model: Styrmodell) -> Grid:
    k = model.kalender
    grid = Grid("Årshjulet (för budgetår N)", [tag_column("Vad", 12), text_column("Senast / när")])
    rows = [
        ("Budget (år N-1)", k.budget_senast),
        ("Budget i valår (år N-1)", k.budget_senast_valar),
        ("Verksamhetsplan (år N-1)", k.verksamhetsplan_senast),
        ("Uppföljningsplan (år N-1)", k.uppfoljningsplan_senast),
        ("Delårsperioden slutar (år N)", k.delarsperiod_slutar),
        ("Delårsrapport (år N)", k.delarsrapport_senast),
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
