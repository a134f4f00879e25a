"""`lerum-flow bench` and `lerum-flow bench generate`: the benchmark suite and its workload generator.

`bench` measures every figure against its baseline in the same run and prints
the table (or, with --json, the report); --out also writes it to a file.
`bench generate` makes realistic stores for other tools to work on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lerum_flow.bench.stores import (
    DEFAULT_POSTGRES_URL,
    POSTGRES_URL_ENV,
    open_governance,
    sqlite_settings,
)
from lerum_flow.bench.suite import SuiteOptions, run_suite
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.demo.organisation import check_workload_model
from lerum_flow.demo.profile import Profile
from lerum_flow.demo.workload import DEFAULT_SEED, Tally, generate, profile_for_events
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.settings import Settings
from lerum_flow.swedish_numbers import number

HELP = (
    "Prestandamätningar mot baslinjer uppmätta i samma körning: tillägg, enskilda kommandon, "
    "ombyggnad av vyer, as-of, Temporal och nationell skala. --quick är en snabb kontroll (CI); "
    "den fulla körningen är för rapporter och tar en kvart."
)

app = typer.Typer(help=HELP, invoke_without_command=True, no_args_is_help=False)


SeedOption = Annotated[int, typer.Option("--seed", help="Slumpfrö: samma frö ger samma händelser.")]
EventsOption = Annotated[
    int | None,
    typer.Option("--events", metavar="N", help="Ungefär så många händelser (Lerums proportioner)."),
]


@app.callback()
def bench(
    ctx: typer.Context,
    quick: Annotated[
        bool, typer.Option("--quick", help="Snabb kontroll med små lager (under två minuter).")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FIL", help="Skriv rapporten som JSON till filen.")
    ] = None,
    seed: SeedOption = DEFAULT_SEED,
    events: EventsOption = None,
    scale: Annotated[
        int | None,
        typer.Option("--scale", metavar="N", min=1, help="Antal kommuner i den nationella mätningen."),
    ] = None,
    postgres_url: Annotated[
        str,
        typer.Option(
            "--postgres-url",
            metavar="URL",
            envvar=POSTGRES_URL_ENV,
            help="PostgreSQL-server där mätningen skapar (och tar bort) egna databaser.",
        ),
    ] = DEFAULT_POSTGRES_URL,
    work_dir: Annotated[
        Path | None,
        typer.Option("--work-dir", metavar="KATALOG", help="Behåll lagren här (standard: tillfälligt)."),
    ] = None,
    no_temporal: Annotated[
        bool, typer.Option("--no-temporal", help="Hoppa över mätningarna som startar Temporal.")
    ] = False,
) -> None:
    """Kör prestandamätningarna och visa tabellen."""
    if ctx.invoked_subcommand is not None:
        return
    cli = session(ctx)
    options = SuiteOptions(
        quick=quick,
        seed=seed,
        events=events,
        municipalities=scale,
        postgres_url=postgres_url,
        workdir=work_dir,
        temporal=not no_temporal,
        workers=os.cpu_count() or 2,
    )
    err = console(stderr=True)
    with refusals(ctx):
        report = run_suite(options, say=lambda text: err.print(f"[dim]{escape(text)}[/]"))
    if out is not None:
        report.write_json(out)
    if cli.output.as_json:
        cli.output.json(report.as_dict())
        return
    console().print(report.table())
    if out is not None:
        console().print(f"Rapporten skrevs till {escape(str(out))}.")


@app.command("kommuner")
def kommuner_command(
    ctx: typer.Context,
    counts: Annotated[
        str,
        typer.Option(
            "--antal", metavar="N,N,...", help="Antal kommuner per mätning; den första är baslinjen."
        ),
    ] = "1,2,4",
    deviations: Annotated[
        int, typer.Option("--avvikelser", metavar="N", min=1, help="Eskaleringar per kommun och mätning.")
    ] = 20,
) -> None:
    """Mät flera kommuner genom en workerprocess på en PostgreSQL: kostnad per kommun när antalet växer."""
    from lerum_flow.bench import bench_kommuner
    from lerum_flow.bench.report import Report
    from lerum_flow.bench.stores import postgres_server

    cli = session(ctx)
    postgres_url = ctx.parent.params["postgres_url"] if ctx.parent else DEFAULT_POSTGRES_URL
    with refusals(ctx):
        try:
            sizes = [int(part) for part in counts.split(",")]
        except ValueError:
            sizes = []
        if not sizes or min(sizes) < 1:
            raise InvalidInput(
                f"--antal ska vara positiva heltal åtskilda med komma, t.ex. 1,2,4, inte '{counts}'.",
                field="antal",
                rule="antal",
            )
    with postgres_server(postgres_url) as pg:
        report = Report(about={"mätning": "kommuner", "antal": sizes, "avvikelser_per_kommun": deviations})
        report.add(*bench_kommuner.measure(pg, counts=sizes, deviations=deviations))
    if cli.output.as_json:
        cli.output.json(report.as_dict())
        return
    console().print(report.table())


@app.command("generate")
def generate_command(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="KATALOG",
            help="Katalog för lagret (med --scale: en underkatalog per kommun). "
            "Utan den: lerum-flows --data-dir/--database-url.",
        ),
    ] = None,
    scale: Annotated[int, typer.Option("--scale", metavar="N", min=1, help="Antal kommuner.")] = 1,
    seed: SeedOption = DEFAULT_SEED,
    events: EventsOption = None,
    years: Annotated[int, typer.Option("--years", min=1, help="Antal budgetår.")] = 4,
) -> None:
    """Generera realistiska händelselager genom applikationen (en kommun per lager)."""
    cli = session(ctx)
    made: list[tuple[str, Tally]] = []
    with refusals(ctx):
        styrmodell = cli.styrmodell()
        # Refused before a store is opened: a model the workload cannot staff records nothing.
        check_workload_model(styrmodell)
        profile = (
            profile_for_events(styrmodell, events, years=years, seed=seed)
            if events
            else Profile.lerum(years=years)
        )
        for number, settings in enumerate(_stores(cli.settings, data_dir, scale)):
            # The store records the model the history was planned on (the given one, else Lerum's).
            app = open_governance(settings, styrmodell)
            try:
                tally = generate(app, profile, seed=seed + number)
            finally:
                app.close()
            made.append((_where(settings), tally))
    refused = sum(sum(t.refused.values()) for _, t in made)
    if cli.output.as_json:
        cli.output.json(
            {
                "profil": profile.as_dict(),
                "slumpfro": seed,
                "lager": [{"lager": where} | tally.as_dict() for where, tally in made],
                "nekade": refused,
            }
        )
    else:
        console().print(_table(made))
    if refused:
        first = next(t.first_refusal for _, t in made if t.first_refusal)
        console(stderr=True).print(f"[bold red]{refused} kommandon nekades[/], t.ex. {escape(first)}")
        raise typer.Exit(1)


def _stores(given: Settings, data_dir: Path | None, scale: int) -> list[Settings]:
    if data_dir is None and scale == 1:
        return [given]
    if data_dir is None:
        raise InvalidInput(
            "Ange --data-dir när flera kommuner genereras; varje kommun får en egen underkatalog.",
            field="data-dir",
            rule="katalog_kravs",
        )
    if scale == 1:
        return [sqlite_settings(data_dir)]
    return [sqlite_settings(data_dir / f"kommun-{n:03d}") for n in range(1, scale + 1)]


def _where(settings: Settings) -> str:
    if settings.uses_postgres:
        return settings.database_url.rpartition("@")[2] or "postgresql"
    return str(settings.sqlite_path("governance"))


def _table(made: list[tuple[str, Tally]]) -> Table:
    table = Table(title="Genererade lager", title_justify="left")
    for column in ("Lager", "Händelser", "Satser", "Sekunder", "Händelser/s", "Nekade"):
        table.add_column(column, justify="left" if column == "Lager" else "right")
    for where, tally in made:
        table.add_row(
            escape(where),
            number(tally.events),
            str(len(tally.batch_events)),
            number(tally.seconds, 1),
            f"{tally.events_per_second:,.0f}".replace(",", " "),
            str(sum(tally.refused.values())),
        )
    return table


@app.command("web")
def web_command(
    ctx: typer.Context,
    data_dir: Annotated[
        Path,
        typer.Option(
            "--data-dir",
            metavar="KATALOG",
            help="Ett befintligt SQLite-lager (t.ex. från bench generate); dess vyer byggs ikapp först.",
        ),
    ],
    samples: Annotated[int, typer.Option("--sidor", metavar="N", min=1, help="Sidvisningar per sida.")] = 20,
    seed: SeedOption = DEFAULT_SEED,
) -> None:
    """Mät webbsidornas svarstider (p50/p99) på ett befintligt lager, var och en bredvid sin fråga."""
    from lerum_flow.bench import bench_web
    from lerum_flow.bench.report import Report

    cli = session(ctx)
    with refusals(ctx):
        if not (data_dir / "governance.db").is_file():
            raise InvalidInput(
                f"Katalogen {data_dir} har inget lager (governance.db saknas).",
                field="data-dir",
                rule="okant_lager",
            )
    report = Report(about={"mätning": "webbsidor", "lager": str(data_dir), "sidor": samples})
    report.add(*bench_web.web_pages(sqlite_settings(data_dir), label="sqlite", samples=samples, seed=seed))
    if cli.output.as_json:
        cli.output.json(report.as_dict())
        return
    console().print(report.table())
