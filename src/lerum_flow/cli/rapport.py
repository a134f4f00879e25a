"""`lerum-flow rapport manad|delar|arsredovisning`: the reports the politicians read, from the record.

Each report is made from the auditor's as-of replay of the log up to one
position, as of the days asked; the document names that position and those
days, and the command that makes it again, byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.domain.errors import InvalidInput, NotFound
from lerum_flow.input_dates import parse_day

if TYPE_CHECKING:
    from lerum_flow.projections.log import GovernanceLog
    from lerum_flow.reports.period import ReportPeriod

app = typer.Typer(
    help="Rapporter ur registret: månadsuppföljning, delårsrapport och årsredovisning, som HTML eller PDF.",
    no_args_is_help=True,
)

FIRST_YEAR, LAST_YEAR = 2000, 2200


class Format(StrEnum):
    HTML = "html"
    PDF = "pdf"


YearOption = Annotated[
    int, typer.Option("--ar", metavar="ÅR", min=FIRST_YEAR, max=LAST_YEAR, help="Året rapporten gäller.")
]
FormatOption = Annotated[Format, typer.Option("--format", help="html eller pdf (PDF/UA, tillgänglig).")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="ÅÅÅÅ-MM-DD",
        help="Dagen läget läses. Standard: periodens sista dag.",
    ),
]
KnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--known-on",
        metavar="ÅÅÅÅ-MM-DD",
        help="Ta med det som var registrerat senast den dagen. Standard: allt som är känt nu.",
    ),
]
PositionOption = Annotated[
    int | None,
    typer.Option(
        "--position",
        metavar="N",
        min=0,
        help="Läs händelseloggen till och med position N (rapportens sidfot anger den). "
        "Standard: hela loggen.",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--ut", metavar="FIL", help="Filen rapporten skrivs till. Standard: ett namn efter rapporten."
    ),
]


@app.command("manad")
def manad(
    ctx: typer.Context,
    year: YearOption,
    month: Annotated[int, typer.Option("--manad", metavar="MÅNAD", help="Månaden, 1–12.")],
    niva: Annotated[
        str,
        typer.Option(
            "--niva",
            metavar="NIVÅ",
            help="ks (kommundirektören till KS), kommundirektor (sektorerna till kommundirektören) "
            "eller en sektor (sektorschefens befattning, t.ex. larande).",
        ),
    ] = "ks",
    output_format: FormatOption = Format.HTML,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    position: PositionOption = None,
    out: OutOption = None,
) -> None:
    """Månadsuppföljning: en månad, till kommunstyrelsen, kommundirektören eller för en sektor."""
    from lerum_flow.reports.period import month_period

    with refusals(ctx):
        period = month_period(year, month)
    scope = None if niva in ("ks", "kommundirektor") else niva
    args = f"manad --ar {year} --manad {month} --niva {niva}"
    _make(
        ctx, period, scope, args, output_format, as_of, known_on, position, out, f"manad-{year}-{month:02d}"
    )


@app.command("delar")
def delar(
    ctx: typer.Context,
    year: YearOption,
    number: Annotated[
        int, typer.Option("--period", metavar="N", min=1, help="Delårsperioden (1 = årets första).")
    ] = 1,
    output_format: FormatOption = Format.HTML,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    position: PositionOption = None,
    out: OutOption = None,
) -> None:
    """Delårsrapport: året till delårsperiodens slut, från kommunstyrelsen till fullmäktige."""
    from lerum_flow.reports.period import interim_period

    cli = session(ctx)
    with refusals(ctx):
        period = interim_period(cli.styrmodell(), year, number)
    args = f"delar --ar {year} --period {number}"
    _make(ctx, period, None, args, output_format, as_of, known_on, position, out, f"delar-{year}-{number}")


@app.command("arsredovisning")
def arsredovisning(
    ctx: typer.Context,
    year: YearOption,
    output_format: FormatOption = Format.HTML,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    position: PositionOption = None,
    out: OutOption = None,
) -> None:
    """Årsredovisning: hela året, från kommunstyrelsen till fullmäktige och revisorerna."""
    from lerum_flow.reports.period import annual_period

    args = f"arsredovisning --ar {year}"
    period = annual_period(year)
    _make(ctx, period, None, args, output_format, as_of, known_on, position, out, f"arsredovisning-{year}")


def _make(
    ctx: typer.Context,
    period: ReportPeriod,
    scope: str | None,
    args: str,
    output_format: Format,
    as_of: str | None,
    known_on: str | None,
    position: int | None,
    out: Path | None,
    name: str,
) -> None:
    from lerum_flow.projections.asof import AsOf
    from lerum_flow.reports.making import make_report

    cli = session(ctx)
    with refusals(ctx):
        asked = AsOf(
            on=parse_day(as_of, field="as-of") if as_of else period.end,
            known_on=parse_day(known_on, field="known-on") if known_on else None,
        )
        with _existing_log(ctx) as log:
            head = log.recorder.max_notification_id() or 0
            if position is not None and position > head:
                raise InvalidInput(
                    f"Händelseloggen slutar vid position {head}; ange --position högst {head}.",
                    field="position",
                    rule="position_efter_loggen",
                )
            upto = head if position is None else position
            again = _again(args, output_format, asked.on, asked.known_on, upto)
            made = make_report(
                log,
                period,
                asked,
                styrmodell=cli.styrmodell(),
                scope=scope,
                upto=upto,
                command=again,
                as_pdf=output_format is Format.PDF,
            )
    target = out or Path(f"{name}.{output_format.value}")
    target.write_bytes(made)
    digest = hashlib.sha256(made).hexdigest()
    if cli.output.as_json:
        cli.output.json({"fil": str(target), "sha256": digest, "position": upto, "kommando": again})
        return
    console().print(f"Rapporten skrevs till {target} (sha256 {digest[:16]}…).")


def _again(args: str, output_format: Format, on: date, known_on: date | None, upto: int) -> str:
    known = f" --known-on {known_on.isoformat()}" if known_on else ""
    return (
        f"lerum-flow rapport {args} --format {output_format.value} --as-of {on.isoformat()}{known} "
        f"--position {upto}"
    )


@contextmanager
def _existing_log(ctx: typer.Context) -> Iterator[GovernanceLog]:
    """The store's log; a report is never made from a store that is not there (nor creates one)."""
    from lerum_flow.projections.log import GovernanceLog

    settings = session(ctx).settings
    if not settings.uses_postgres and not settings.sqlite_path("governance").exists():
        raise NotFound(
            f"Det finns inget händelselager i {settings.sqlite_path('governance')}; "
            "ange --database-url eller --data-dir.",
            rule="handelselager",
        )
    log = GovernanceLog(settings.eventsourcing_env("governance") | {"CREATE_TABLE": "no"})
    try:
        yield log
    finally:
        log.close()
