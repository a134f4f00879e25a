"""`lerum-flow rapport manad|delar|arsredovisning`: the reports the politicians read, from the record.

Each report is made from the auditor's as-of replay of the log up to one
position, as of the days asked; the document names that position and those
days, and the command that makes it again, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.record import PersonOption
from lerum_flow.cli.recording_command import records
from lerum_flow.input_dates import parse_day

if TYPE_CHECKING:
    from lerum_flow.projections.log import GovernanceLog
    from lerum_flow.reports.drafting import Draft
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
RegisterOption = Annotated[
    bool,
    typer.Option(
        "--registrera",
        help="Registrera att utkastet gjordes, med dess sha256-summa; beslutet som antar rapporten "
        "anger summan med 'beslut take --rapport-digest'.",
    ),
]
RegisterAsOption = Annotated[
    str,
    typer.Option("--as", metavar="BEFATTNING", help="Med --registrera: befattningen du handlar i."),
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
    from lerum_flow.reports.drafting import report_args
    from lerum_flow.reports.period import ReportKind, month_period

    with refusals(ctx):
        period = month_period(year, month)
    whole = niva in ("ks", "kommundirektor")
    asked = Asked(output_format, as_of, known_on, position, out)
    target = Target(
        report_args(ReportKind.MANAD, year, month, niva=niva), f"manad-{year}-{month:02d}", "manad"
    )
    _make(ctx, period, asked, target, scope=None if whole else niva, audience=niva if whole else "ks")


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
    register: RegisterOption = False,
    as_position: RegisterAsOption = "ks",
    person: PersonOption = None,
) -> None:
    """Delårsrapport: året till delårsperiodens slut, från kommunstyrelsen till fullmäktige."""
    from lerum_flow.reports.drafting import period_of, report_args
    from lerum_flow.reports.period import ReportKind

    cli = session(ctx)
    with refusals(ctx):
        period = period_of(cli.styrmodell(), ReportKind.DELAR, year, number)
    asked = Asked(
        output_format, as_of, known_on, position, out, Registration(as_position, person) if register else None
    )
    _make(
        ctx,
        period,
        asked,
        Target(report_args(ReportKind.DELAR, year, number), f"delar-{year}-{number}", "delar"),
    )


@app.command("arsredovisning")
def arsredovisning(
    ctx: typer.Context,
    year: YearOption,
    output_format: FormatOption = Format.HTML,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    position: PositionOption = None,
    out: OutOption = None,
    register: RegisterOption = False,
    as_position: RegisterAsOption = "ks",
    person: PersonOption = None,
) -> None:
    """Årsredovisning: hela året, från kommunstyrelsen till fullmäktige och revisorerna."""
    from lerum_flow.reports.drafting import report_args
    from lerum_flow.reports.period import ReportKind, annual_period

    asked = Asked(
        output_format, as_of, known_on, position, out, Registration(as_position, person) if register else None
    )
    target = Target(report_args(ReportKind.ARSREDOVISNING, year), f"arsredovisning-{year}", "arsredovisning")
    _make(ctx, annual_period(year), asked, target)


@dataclass(frozen=True)
class Registration:
    """Who records that a draft was made (`--registrera`)."""

    position: str
    person: str | None


@dataclass(frozen=True)
class Asked:
    """The options every report takes: its format, its days, the log's position and the file."""

    output_format: Format
    as_of: str | None
    known_on: str | None
    position: int | None
    out: Path | None
    registration: Registration | None = None


@dataclass(frozen=True)
class Target:
    """Which report: its arguments as typed (for the command that makes it again) and its file name."""

    args: str
    name: str
    report: str


def _make(
    ctx: typer.Context,
    period: ReportPeriod,
    asked: Asked,
    target: Target,
    *,
    scope: str | None = None,
    audience: str = "ks",
) -> None:
    from lerum_flow.projections.asof import AsOf
    from lerum_flow.reports.drafting import make_draft

    cli = session(ctx)
    if asked.registration is not None:
        records(ctx)
    with refusals(ctx):
        days = AsOf(
            on=parse_day(asked.as_of, field="as-of") if asked.as_of else period.end,
            known_on=parse_day(asked.known_on, field="known-on") if asked.known_on else None,
        )
        with _existing_log(ctx) as log:
            made = make_draft(
                log,
                period,
                days,
                styrmodell=cli.styrmodell(),
                args=target.args,
                upto=asked.position,
                as_pdf=asked.output_format is Format.PDF,
                scope=scope,
                audience=audience,
            )
    path = asked.out or Path(f"{target.name}.{asked.output_format.value}")
    path.write_bytes(made.content)
    if asked.registration is not None:
        _register(ctx, asked.registration, target, path, made)
        return
    if cli.output.as_json:
        cli.output.json(
            {"fil": str(path), "sha256": made.digest, "position": made.position, "kommando": made.command}
        )
        return
    console().print(f"Rapporten skrevs till {path} (sha256 {made.digest[:16]}…).")


def _register(
    ctx: typer.Context, registration: Registration, target: Target, path: Path, made: Draft
) -> None:
    """Record that the draft was made, showing the file and its sha256 with the outcome."""
    from lerum_flow import commands as c
    from lerum_flow.application import Governance
    from lerum_flow.cli.record import FollowUp, record_following, today, who

    shown = FollowUp(
        lines=(f"Rapporten skrevs till {path}; sha256 {made.digest}.",),
        fields={"fil": str(path), "sha256": made.digest, "position": made.position, "kommando": made.command},
    )
    record_following(
        ctx,
        Governance.record_rapportutkast,
        f"Utkast till {made.title}",
        lambda _governance, _outcome: shown,
        c.RecordRapportutkast,
        **who(registration.position, registration.person),
        report=target.report,
        title=made.title,
        digest=made.digest,
        log_position=made.position,
        as_of=made.as_of,
        known_on=made.known_on,
        made_on=today(),
    )


@contextmanager
def _existing_log(ctx: typer.Context) -> Iterator[GovernanceLog]:
    """The store's log; a report is never made from a store that is not there (nor creates one)."""
    from lerum_flow.projections.log import GovernanceLog

    cli = session(ctx)
    cli.require_store()
    settings = cli.settings
    log = GovernanceLog(settings.eventsourcing_env("governance") | {"CREATE_TABLE": "no"})
    try:
        yield log
    finally:
        log.close()
