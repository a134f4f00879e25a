"""`lerum-flow demo`: the simulated mandate period (the main job), or the short scripted year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from lerum_flow.application import Governance
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.demo_store import DemoStore, show_kept_after_failure
from lerum_flow.cli.demo_summary import events_table, render_summary
from lerum_flow.cli.output import Output, console
from lerum_flow.demo import run_simulation
from lerum_flow.demo.events import recorded_events
from lerum_flow.demo.failure import SimulationFailed
from lerum_flow.demo.scenario import ScenarioBroken, Step, run_scenario
from lerum_flow.domain.errors import InvalidState
from lerum_flow.schema import prepared
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

HELP = (
    "Ett simulerat Lerum (fem sektorer, omkring 110 enheter) lever igenom en hel mandatperiod "
    "på Temporals tidshoppande testserver: beslut, uppdrag nedåt i kedjan, månadsrapporter (några "
    "sena), avvikelser, delårsrapporter, årsredovisningar och ansvarsfrihet. Med --script körs i "
    "stället ett kort manus av ett år, utan Temporal. Körs mot ett nytt, tillfälligt "
    "händelselager om inte --data-dir anges. Simuleringen kör den styrmodell som anges med "
    "--styrmodell (annars Lerums), med dess nämnder och bolag; manuset körs alltid med Lerums."
)


def demo(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", metavar="KATALOG", help="Kör mot detta lager i stället för ett tillfälligt."
        ),
    ] = None,
    years: Annotated[
        int, typer.Option("--years", min=1, max=8, help="Antal budgetår som simuleras, 1–8.")
    ] = 4,
    script: Annotated[
        bool, typer.Option("--script", help="Kör det korta manuset av ett år i stället, utan Temporal.")
    ] = False,
    ovning: Annotated[
        list[str] | None,
        typer.Option(
            "--ovning",
            metavar="ÖVNING",
            help="Något som går fel med avsikt (kan anges flera gånger): kf-missar-budget (nyvalt "
            "fullmäktige antar budgeten en vecka efter sista dagen), sen-namnd (en nämnd lämnar sin "
            "första delårsrapport en vecka för sent) eller okvitterad (ingen kvitterar en avvikelse, "
            "som då går uppåt nivå för nivå).",
        ),
    ] = None,
) -> None:
    cli = session(ctx)
    # A fresh store by default: the script's dates and ids would otherwise meet
    # whatever a real store already holds.
    store = DemoStore.choose(data_dir or (cli.settings.data_dir if cli.data_dir_given else None))
    # The styrmodell given with --styrmodell (or LERUM_FLOW_STYRMODELL) governs the simulation.
    settings = Settings(data_dir=store.directory, styrmodell_path=cli.settings.styrmodell_path)
    path = str(settings.sqlite_path("governance"))
    try:
        with refusals(ctx):
            # A fresh store gets its schema from the migrations, explicitly, before anything runs.
            settings = prepared(settings)
        if script:
            _script(ctx, settings, store)
        else:
            _simulate(ctx, settings, store, years, ovning or [])
    except typer.Exit:  # a refusal: nothing was recorded
        store.finish()
        raise
    except SimulationFailed as failed:
        err = console(stderr=True)
        err.print(f"[bold red]Demot avbröts[/] {escape(failed.where)}.", soft_wrap=True)
        show_kept_after_failure(path, err)
        raise failed.cause from None
    except BaseException:  # Ctrl-C, or the script broke off (its error says where)
        err = console(stderr=True)
        err.print("[bold red]Demot avbröts.[/]")
        show_kept_after_failure(path, err)
        raise


def _simulate(
    ctx: typer.Context, settings: Settings, store: DemoStore, years: int, ovningar: list[str]
) -> None:
    """The main job: the simulated mandate period, its progress shown as it runs."""
    cli = session(ctx)
    with refusals(ctx):
        summary = run_simulation(
            settings, None if cli.output.as_json else console(), years=years, ovningar=ovningar
        )
    kept = store.finish()
    if cli.output.as_json:
        cli.output.json({**summary.as_dict(), "lager_kvar": kept})
        return
    out = console()
    render_summary(summary, out)
    goal = summary.mandatperiod.goal_uppdrag_id
    store.show(summary.store, out, example=str(goal) if goal else None, what="mandatperiodens mål")


def _script(ctx: typer.Context, settings: Settings, store: DemoStore) -> None:
    """The short scripted year, without Temporal, each step shown as it happens."""
    cli = session(ctx)
    path = str(settings.sqlite_path("governance"))
    with refusals(ctx):
        governance = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
        try:
            _require_empty(governance, path)
            steps = _play(governance, cli.output)
            counts = recorded_events(governance)
        finally:
            governance.close()
    kept = store.finish()
    if cli.output.as_json:
        cli.output.json(
            {
                "lager": path,
                "lager_kvar": kept,
                "steg": steps,
                "handelser": dict(sorted(counts.items())),
                "antal_handelser": sum(counts.values()),
            }
        )
        return
    last = next(step for step in reversed(steps) if step["utfall"] is not None)
    _summary(counts)
    store.show(path, console(), example=last["utfall"]["id"], what="avvikelsen")


def _require_empty(governance: Governance, store: str) -> None:
    """The script assumes a fresh store: rerun on its own events, steps that depend on
    the order of events (an uppdrag already completed) would be refused halfway."""
    existing = sum(recorded_events(governance).values())
    if existing:
        raise InvalidState(
            f"Demot behöver ett tomt händelselager, men {store} innehåller redan {existing} "
            "händelser. Ange en ny katalog med --data-dir, eller ingen för ett tillfälligt lager.",
            field="data-dir",
            rule="tomt_lager",
        )


def _play(governance: Governance, output: Output) -> list[dict[str, Any]]:
    """Run the script, printing each step as it happens; the steps as data for --json."""
    done: list[dict[str, Any]] = []
    chapter = ""
    try:
        for step in run_scenario(governance):
            if not output.as_json:
                if step.chapter != chapter:
                    chapter = step.chapter
                    console().rule(f"[bold]{escape(chapter)}[/]", align="left")
                _show(step)
            done.append(_as_dict(step))
    except ScenarioBroken as broken:
        if not output.as_json:
            _show(broken.step)
        raise RuntimeError(f"Demomanuset gick inte som väntat vid: {broken.step.text}") from None
    return done


def _show(step: Step) -> None:
    out = console()
    who = f"[dim]({escape(step.actor)})[/]"
    if step.refusal is not None:
        out.print(f"  [red]✗ nekat[/]  {escape(step.text)} {who}")
        reason = Text(step.refusal.message, style="red")
        reason.append(f" (regel: {step.refusal.rule})", style="dim")
        out.print(Padding(reason, (0, 0, 0, 11), expand=False))
    elif step.outcome is not None and not step.outcome.recorded:
        out.print(f"  [yellow]↺ redan registrerat[/]  {escape(step.text)} {who}")
        out.print(Padding(Text(step.outcome.message, style="yellow"), (0, 0, 0, 11), expand=False))
    else:
        out.print(f"  [green]✓[/] {escape(step.text)} {who}")


def _as_dict(step: Step) -> dict[str, Any]:
    return {
        "kapitel": step.chapter,
        "text": step.text,
        "som": step.actor,
        "utfall": step.outcome.as_dict() if step.outcome else None,
        "nekat": step.refusal.as_dict() if step.refusal else None,
    }


def _summary(counts: dict[str, int]) -> None:
    out = console()
    out.print()
    out.print(events_table(counts, "Registrerade händelser i lagret"))
