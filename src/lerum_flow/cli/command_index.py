"""The top-level commands: their names, one-line help, and how each is loaded when used.

A command's module (and everything it needs: the store, Temporal, the
simulation, the benchmarks) is imported only when that command runs or its
own help is asked for, so `lerum-flow --help` and a typo cost almost nothing.
The one-line help is kept here for the root's help; a test checks it matches
each command's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import typer
from typer import _click


@dataclass(frozen=True)
class Entry:
    name: str
    summary: str
    load: Callable[[], typer.Typer]
    # A group keeps its subcommands even when it has only one (`organisation establish`).
    group: bool = True
    # Subcommands of the group built only when used: name -> (one-line help, loader).
    lazy: Mapping[str, tuple[str, Callable[[], _click.Command]]] = field(default_factory=dict)


def _single(name: str, function: Callable[..., None], help_text: str) -> typer.Typer:
    """A group-less command as a Typer app of its own, so every entry loads the same way."""
    app = typer.Typer(add_completion=False)
    app.command(name, help=help_text)(function)
    return app


def _demo() -> typer.Typer:
    from lerum_flow.cli import demo

    return _single("demo", demo.demo, demo.HELP)


def _worker() -> typer.Typer:
    from lerum_flow.cli import runtime

    return _single("worker", runtime.worker, runtime.WORKER_HELP)


def _up() -> typer.Typer:
    from lerum_flow.cli import runtime

    return _single("up", runtime.up, runtime.UP_HELP)


def _serve() -> typer.Typer:
    from lerum_flow.cli import serve

    return _single("serve", serve.serve, serve.HELP)


def _styrmodell() -> typer.Typer:
    from lerum_flow.cli import styrmodell

    return styrmodell.app


def _organisation() -> typer.Typer:
    from lerum_flow.cli import organisation

    return organisation.app


def _forordnande() -> typer.Typer:
    from lerum_flow.cli import forordnande

    return forordnande.app


def _beslut() -> typer.Typer:
    from lerum_flow.cli import beslut

    return beslut.app


def _delegering() -> typer.Typer:
    from lerum_flow.cli import delegering

    return delegering.app


def _uppdrag() -> typer.Typer:
    from lerum_flow.cli import uppdrag

    return uppdrag.app


def _avvikelse() -> typer.Typer:
    from lerum_flow.cli import avvikelse

    return avvikelse.app


def _internkontroll() -> typer.Typer:
    from lerum_flow.cli import internkontroll

    return internkontroll.app


def _styrdokument() -> typer.Typer:
    from lerum_flow.cli import styrdokument

    return styrdokument.app


def _audit() -> typer.Typer:
    from lerum_flow.cli import audit

    return audit.app


@functools.cache
def _integrity_commands() -> _click.Command:
    """seal, verify, export and checkpoint: the integrity chain, with its stores (and psycopg)."""
    from lerum_flow.cli import audit_integrity

    commands = typer.Typer()
    audit_integrity.register(commands)
    return typer.main.get_group(commands)


@functools.cache
def _replay_commands() -> _click.Command:
    """as-of, trace and authority: answers replayed from the log."""
    from lerum_flow.cli import audit_replay

    commands = typer.Typer()
    audit_replay.register({"audit": commands})
    return typer.main.get_group(commands)


def _one_of(group: Callable[[], _click.Command], name: str) -> Callable[[], _click.Command]:
    def load() -> _click.Command:
        command = group().commands[name]  # type: ignore[attr-defined]
        assert isinstance(command, _click.Command)
        return command

    return load


AUDIT_LAZY: Mapping[str, tuple[str, Callable[[], _click.Command]]] = {
    "seal": (
        "Försegla händelselagret: kedja ihop alla nya händelser och spara en kontrollpunkt.",
        _one_of(_integrity_commands, "seal"),
    ),
    "verify": (
        "Bevisa att den förseglade historiken inte har ändrats; namnge varje händelse som har det.",
        _one_of(_integrity_commands, "verify"),
    ),
    "export": (
        "Exportera revisionsunderlag: varje händelse som gällde ett datum, som den var känd ett datum.",
        _one_of(_integrity_commands, "export"),
    ),
    "as-of": (
        "Visa mandaten (uppdrag, delegeringar, beslut, avvikelser, styrdokument, internkontroll) "
        "en viss dag.",
        _one_of(_replay_commands, "as-of"),
    ),
    "trace": (
        "Spåra ett uppdrag uppåt via överordnade uppdrag till det politiska beslut det kommer från.",
        _one_of(_replay_commands, "trace"),
    ),
    "authority": (
        "Visa vad en befattning fick besluta en viss dag, och genom vilken kedja av delegeringar.",
        _one_of(_replay_commands, "authority"),
    ),
    "checkpoint": ("Kontrollpunkterna som revisorerna förvarar.", _one_of(_integrity_commands, "checkpoint")),
    "keygen": (
        "Skapa revisorernas nyckelpar (Ed25519) i två filer; den privata lämnar aldrig revisorerna.",
        _one_of(_integrity_commands, "keygen"),
    ),
    "verify-export": (
        "Pröva ett revisionsunderlag utan databasen: filens hash, antalet rader och kontrollpunkten.",
        _one_of(_integrity_commands, "verify-export"),
    ),
}


def _projections() -> typer.Typer:
    from lerum_flow.cli import projections

    return projections.app


def _arshjul() -> typer.Typer:
    from lerum_flow.cli import arshjul

    return arshjul.app


def _katalog() -> typer.Typer:
    from lerum_flow.cli import katalog

    return katalog.app


def _db() -> typer.Typer:
    from lerum_flow.cli import db

    return db.app


def _kommun() -> typer.Typer:
    from lerum_flow.cli import kommun

    return kommun.app


def _rapport() -> typer.Typer:
    from lerum_flow.cli import rapport

    return rapport.app


def _drift() -> typer.Typer:
    from lerum_flow.cli import drift

    return drift.app


def _bench() -> typer.Typer:
    from lerum_flow.cli import bench

    return bench.app


ENTRIES: tuple[Entry, ...] = (
    Entry(
        "demo",
        "Ett simulerat Lerum lever igenom en hel mandatperiod (huvudjobbet).",
        _demo,
        group=False,
    ),
    Entry("worker", "Kör Temporal-workern och reläet mot en Temporal-server.", _worker, group=False),
    Entry(
        "up",
        "Kör allt på den här maskinen: lager, Temporal, worker, relä och webbapplikationen.",
        _up,
        group=False,
    ),
    Entry("serve", "Kör webbapplikationen och HTTP-API:t med inloggning.", _serve, group=False),
    Entry("styrmodell", "Styrmodellen: organisation, skalor, eskalering och årshjul.", _styrmodell),
    Entry(
        "organisation",
        "Inrätta, avveckla och visa befattningar under styrmodellens fasta del: chefer och medarbetare.",
        _organisation,
    ),
    Entry(
        "forordnande",
        "Förordnanden: vem som innehar vilken befattning, från när till när och på vilken grund.",
        _forordnande,
    ),
    Entry(
        "beslut",
        "Beslut av organ (med § och diarienummer) och av delegater, rättelser och anmälan.",
        _beslut,
    ),
    Entry(
        "delegering",
        "Delegeringar enligt delegationsordningen: ge och återkalla beslutanderätt.",
        _delegering,
    ),
    Entry(
        "uppdrag",
        "Uppdrag och mål: givaren äger VAD, mottagaren äger HUR och återrapporterar.",
        _uppdrag,
    ),
    Entry(
        "avvikelse",
        "Avvikelser: rapporteras uppåt och hanteras en nivå i taget i styrkedjan.",
        _avvikelse,
    ),
    Entry(
        "internkontroll",
        "Intern kontroll: nämndernas och KS:s årliga planer, kontrollernas resultat och KS:s bedömning.",
        _internkontroll,
    ),
    Entry(
        "styrdokument",
        "Styrdokument: antas, revideras, aktualitetsprövas och upphävs genom beslut; register och träd.",
        _styrdokument,
    ),
    Entry("audit", "Granska: läs händelser utan att ändra något.", _audit, lazy=AUDIT_LAZY),
    Entry("projections", "Vyerna: bygg om, följ händelseloggen, visa läget.", _projections),
    Entry(
        "arshjul",
        "Årshjulet på Temporal: starta ett budgetårs cykel, se var den står och lista pågående cykler.",
        _arshjul,
    ),
    Entry(
        "katalog",
        "Personkatalogen: namn till de pseudonyma person-id som händelserna bär.",
        _katalog,
    ),
    Entry(
        "db",
        "Lagrets schema: skapa och uppgradera tabellerna (en gång per driftsättning), visa versionen.",
        _db,
    ),
    Entry(
        "kommun",
        "Kommunerna i driftsättningen: var och en med eget schema, egen styrmodell och egen revisorsroll.",
        _kommun,
    ),
    Entry(
        "rapport",
        "Rapporter ur registret: månadsuppföljning, delårsrapport och årsredovisning, som HTML eller PDF.",
        _rapport,
    ),
    Entry("drift", "Driften: läget för den som driver tjänsten.", _drift),
    Entry("bench", "Prestandamätningar mot baslinjer uppmätta i samma körning.", _bench),
)

BY_NAME: dict[str, Entry] = {entry.name: entry for entry in ENTRIES}


@functools.cache
def load(name: str) -> _click.Command:
    """The named command, built once per process (its registrations must not run twice)."""
    from lerum_flow.cli.help import LazyGroup, localize

    entry = BY_NAME[name]
    app = entry.load()
    command = localize(typer.main.get_group(app) if entry.group else typer.main.get_command(app))
    command.name = name
    if entry.lazy:
        command.__class__ = LazyGroup  # a SwedishGroup with lazily built subcommands; no new state
        assert isinstance(command, LazyGroup)
        command.lazy = dict(entry.lazy)
    return command
