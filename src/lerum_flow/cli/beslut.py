"""`lerum-flow beslut`: decisions by organs and delegates, corrections and anmälan."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.beslut_budget import budget_fields, budget_said
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    DateOption,
    DateTodayOption,
    Param,
    PersonOption,
    RattelseOption,
    SecrecyOption,
    id_command,
    or_today,
    record,
    who,
)
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import (
    Grid,
    count,
    date_column,
    id_column,
    lines,
    safe,
    tag_column,
    text_column,
)
from lerum_flow.cli.views import (
    FromOption,
    LimitOption,
    OffsetOption,
    ToOption,
    caught_up_views,
    day,
    filter_given,
    paged_footer,
    paging_of,
    parse_period,
)
from lerum_flow.domain.values import BeslutKind
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.registers import (
    ALL_TIME,
    beslut_register,
)
from lerum_flow.projections.rows import plain
from lerum_flow.text_safety import printable

app = typer.Typer(
    help="Beslut av organ (med § och diarienummer) och av delegater, rättelser och anmälan.",
    no_args_is_help=True,
)

BeslutId = Annotated[str, typer.Argument(metavar="ID", help="Beslutets id.")]
Diarienummer = Annotated[
    str, typer.Option("--diarienummer", metavar="DNR", help="Diarienummer, t.ex. 'KS 2027/12'.")
]
Title = Annotated[str, typer.Option("--title", help="Beslutets rubrik.")]
Paragraf = Annotated[
    str, typer.Option("--paragraf", metavar="§", help="Paragraf i protokollet, t.ex. '§ 5'.")
]


@app.command("take", cls=RecordingCommand)
def take(
    ctx: typer.Context,
    organ: Annotated[
        str,
        typer.Option(
            "--organ", metavar="BEFATTNING", help="Organet som beslutar (eller delegaten, med --delegering)."
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="SLAG",
            help=f"Slag av beslut: {', '.join(BeslutKind)}, "
            "eller en dokumenttyp ur styrmodellen (t.ex. riktlinje).",
        ),
    ],
    diarienummer: Diarienummer,
    title: Title,
    date: DateOption,
    paragraf: Paragraf = "",
    matter: Annotated[
        str, typer.Option("--matter", metavar="OMRÅDE", help="Beslutsområde i styrmodellen, t.ex. budget.")
    ] = "",
    delegering: Annotated[
        str | None,
        typer.Option("--delegering", metavar="ID", help="Delegeringen beslutet fattas med stöd av."),
    ] = None,
    as_position: Annotated[
        str | None,
        typer.Option("--as", metavar="BEFATTNING", help="Befattningen du handlar i. Standard: --organ."),
    ] = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    budget_year: Annotated[
        int | None,
        typer.Option(
            "--budgetar",
            metavar="ÅR",
            help="Budgetåret ett budgetbeslut gäller. Standard: året efter beslutsdagen.",
        ),
    ] = None,
    tillaggsbudget: Annotated[
        bool,
        typer.Option(
            "--tillaggsbudget",
            help="Budgetbeslutet är en tilläggsbudget, inte årsbudgeten; den besvarar inte årshjulet.",
        ),
    ] = False,
    report_digest: Annotated[
        str | None,
        typer.Option(
            "--rapport-digest",
            metavar="SHA256",
            help="Beslutet antar rapportutkastet med den sha256-summan (från 'rapport ... --registrera').",
        ),
    ] = None,
) -> None:
    """Registrera ett beslut av ett organ, eller av en delegat med stöd av en delegering.

    Ett budgetbeslut anger budgetår (--budgetar) och om det är årsbudgeten eller en
    tilläggsbudget (--tillaggsbudget); bara årsbudgeten för året besvarar årshjulets steg.
    """
    budget = budget_fields(kind, date, budget_year, tillaggsbudget=tillaggsbudget)
    record(
        ctx,
        Governance.take_beslut,
        f"Beslut av {organ}: {title}{budget_said(budget)}.",
        c.TakeBeslut,
        **who(as_position or organ, person, command_id, secrecy),
        decided_by=organ,
        kind=kind,
        diarienummer=diarienummer,
        paragraf=paragraf,
        title=title,
        decided_on=date,
        matter=matter,
        delegering_id=delegering,
        report_digest=report_digest,
        **budget,
    )


@app.command("correct", cls=RecordingCommand)
def correct(
    ctx: typer.Context,
    beslut: BeslutId,
    diarienummer: Diarienummer,
    title: Title,
    reason: Annotated[str, typer.Option("--reason", help="Varför uppgifterna rättas.")],
    as_position: AsOption,
    paragraf: Paragraf = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Rätta registrerade uppgifter om ett beslut; rättelsen och skälet sparas bredvid."""
    record(
        ctx,
        Governance.correct_beslut,
        "Beslutet rättades.",
        c.CorrectBeslut,
        **who(as_position, person, command_id, secrecy, rattelse),
        beslut_id=beslut,
        diarienummer=diarienummer,
        paragraf=paragraf,
        title=title,
        reason=reason,
        corrected_on=or_today(date),
    )


report = app.command("report", cls=RecordingCommand)(
    id_command(
        c.ReportBeslut,
        Governance.report_beslut,
        "Delegationsbeslutet anmäldes.",
        "Anmäl ett delegationsbeslut till det organ som delegerade (--as organet).",
        target=Param("beslut", BeslutId, "beslut_id"),
        text=Param(
            "paragraf",
            Annotated[
                str,
                typer.Option("--paragraf", metavar="§", help="Paragraf i protokollet där anmälan tas upp."),
            ],
            "minutes_paragraf",
            default="",
        ),
        date_field="reported_on",
    )
)


# --- reads of the views -----------------------------------------------------------


@app.command("register")
def beslut_register_command(
    ctx: typer.Context,
    unreported: Annotated[
        bool,
        typer.Option("--unreported", help="Bara delegationsbeslut som ännu inte är anmälda."),
    ] = False,
    organ_given: Annotated[
        str | None, typer.Option("--organ", metavar="BEFATTNING", help="Bara beslut av den befattningen.")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa beslutsregistret, med vilka delegationsbeslut som ännu inte är anmälda."""
    cli = session(ctx)
    with refusals(ctx):
        period = parse_period(start, end)
        paging = paging_of(limit, offset)
        organ = filter_given(organ_given, field="organ")
        if organ:
            require_position(cli.governance_to_read(), organ, field="organ")
    with caught_up_views(ctx, "beslut_view") as store:
        page = beslut_register(store.views, unreported=unreported, organ=organ, period=period, paging=paging)
        label = id_labels(store.log.short_ids, [r.id for r in page.rows], full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            {"antal": page.total, "beslut": [{**plain(r), "ej_anmalt": r.awaits_report} for r in page.rows]}
        )
        return
    title = "Ej anmälda delegationsbeslut" if unreported else "Beslutsregister"
    if period != ALL_TIME:
        title += f" {day(period.start)} till {day(period.end)}"
    console().print(beslut_table(page.rows, f"{title} ({count(page.total)})", label))
    footer = paged_footer(page, paging)
    if footer:
        console().print(footer)


def _title_over_kind(row: BeslutRow) -> Text:
    """The title, corrections noted, over the kind: built as Text, since `audit as-of` prints tens
    of thousands of these and parsing each as markup took a good part of its time."""
    cell = Text(printable(row.title))
    if row.corrections:
        cell.append(" ")
        cell.append(f"(rättat {count(row.corrections)} ggr)", "dim")
    # The kind has its own line, empty or not, under a title (as `lines` put it).
    cell.append(("\n" if cell.plain else "") + printable(row.kind), "dim")
    return cell


def beslut_table(rows: list[BeslutRow], title: str, label: IdLabels) -> Grid:
    """The paragraf goes under the diarienummer, the kind under the title and the organ
    reported to under the date of the anmälan, so that 80 columns suffice."""
    grid = Grid(
        title,
        [
            id_column(),
            date_column("Datum"),
            tag_column("Diarienr"),
            tag_column("Av", 6),
            text_column("Rubrik"),
            tag_column("Anmälan", 10),
        ],
    )
    for row in rows:
        if not row.is_delegated:
            anmalan = ""
        elif row.reported:
            anmalan = lines(f"anmält {day(row.reported_on)}", f"till {safe(row.report_to)}")
        else:
            anmalan = lines("[bold red]ej anmält[/]", f"(till {safe(row.report_to)})")
        grid.add_row(
            label(row.id),
            row.decided_on.isoformat(),
            lines(safe(row.diarienummer), safe(row.paragraf)),
            safe(row.decided_by),
            _title_over_kind(row),
            anmalan,
        )
    return grid
