"""`lerum-flow avvikelse`: deviations reported upward, acknowledged, escalated and closed.

Reporting and escalating say where the deviation now lies and by when that
level must acknowledge it (the escalation workflow keeps the same deadline);
an acknowledgement that comes second says who acknowledged first, and when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.avvikelse_acknowledgement import acknowledge_naming_the_first, acknowledgement_deadlines
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
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
    caught_up_views,
    filter_given,
    now,
    waited,
)
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.avvikelse import AvvikelseRow, BoardLine, board_by_urgency, open_avvikelser
from lerum_flow.projections.rows import plain
from lerum_flow.status_names import status_name
from lerum_flow.workflows.eskalering.lage import read_lage

app = typer.Typer(
    help="Avvikelser: rapporteras uppåt och hanteras en nivå i taget i styrkedjan.",
    no_args_is_help=True,
)

AvvikelseId = Annotated[str, typer.Argument(metavar="ID", help="Avvikelsens id.")]
TARGET = Param("avvikelse", AvvikelseId, "avvikelse_id")
Severity = Annotated[
    str, typer.Option("--severity", metavar="GRAD", help="Allvarlighetsgrad i styrmodellen, t.ex. storre.")
]


@app.command("report", cls=RecordingCommand)
def report(
    ctx: typer.Context,
    about: Annotated[
        str, typer.Option("--about", metavar="uppdrag|budgetomrade|handelse", help="Vad avvikelsen gäller.")
    ],
    ref: Annotated[
        str, typer.Option("--ref", metavar="REF", help="Uppdragets id, budgetområdet eller händelsen.")
    ],
    severity: Severity,
    category: Annotated[
        str, typer.Option("--category", metavar="KATEGORI", help="Kategori i styrmodellen, t.ex. ekonomi.")
    ],
    description: Annotated[str, typer.Option("--description", help="Vad som avviker.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    key: Annotated[
        str, typer.Option("--key", help="Egen nyckel som skiljer avvikelser med samma beskrivning åt.")
    ] = "",
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Rapportera en avvikelse; den går till nivån ovanför dig (eller direkt högre om grav)."""
    outcome = record(
        ctx,
        Governance.report_avvikelse,
        "Avvikelsen rapporterades.",
        c.ReportAvvikelse,
        **who(as_position, person, command_id, secrecy),
        subject_kind=about,
        subject_ref=ref,
        severity=severity,
        category=category,
        description=description,
        occurred_on=or_today(date),
        key=key,
    )
    show_where_it_lies(ctx, outcome.id)


@app.command("assess", cls=RecordingCommand)
def assess(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    severity: Severity,
    reason: Annotated[str, typer.Option("--reason", help="Motivering av bedömningen.")],
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Bedöm avvikelsens allvarlighet, med motivering (nivån som har den)."""
    record(
        ctx,
        Governance.assess_avvikelse,
        f"Avvikelsen bedömdes som '{severity}'.",
        c.AssessAvvikelse,
        **who(as_position, person, command_id, secrecy, rattelse),
        avvikelse_id=avvikelse,
        severity=severity,
        reason=reason,
        on=or_today(date),
    )


@app.command("acknowledge", cls=RecordingCommand)
def acknowledge(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    as_position: AsOption,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Kvittera att avvikelsen tagits emot på din nivå. Kvitterar någon annan först får du veta vem."""
    record(
        ctx,
        acknowledge_naming_the_first(session(ctx).settings),
        "Avvikelsen kvitterades.",
        c.AcknowledgeAvvikelse,
        **who(as_position, person, command_id, secrecy, rattelse),
        avvikelse_id=avvikelse,
        on=or_today(date),
    )


@app.command("escalate", cls=RecordingCommand)
def escalate(
    ctx: typer.Context,
    avvikelse: AvvikelseId,
    as_position: AsOption,
    to: Annotated[
        str, typer.Option("--to", metavar="BEFATTNING", help="Nivån ovanför. Standard: närmaste.")
    ] = "",
    reason: Annotated[str, typer.Option("--reason", help="Skäl; krävs om nivåer hoppas över.")] = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Eskalera avvikelsen uppåt i styrkedjan; nästa nivå får sin egen kvittensfrist."""
    outcome = record(
        ctx,
        Governance.escalate_avvikelse,
        "Avvikelsen eskalerades.",
        c.EscalateAvvikelse,
        **who(as_position, person, command_id, secrecy, rattelse),
        avvikelse_id=avvikelse,
        to_level=to,
        reason=reason,
        on=or_today(date),
    )
    show_where_it_lies(ctx, outcome.id)


decide = app.command("decide", cls=RecordingCommand)(
    id_command(
        c.DecideAction,
        Governance.decide_action,
        "Åtgärd beslutades.",
        "Besluta om åtgärd för en kvitterad avvikelse.",
        target=TARGET,
        text=Param(
            "action", Annotated[str, typer.Option("--action", help="Åtgärden som beslutas.")], "action"
        ),
    )
)
close = app.command("close", cls=RecordingCommand)(
    id_command(
        c.CloseAvvikelse,
        Governance.close_avvikelse,
        "Avvikelsen stängdes.",
        "Stäng avvikelsen och beskriv hur den avslutades.",
        target=TARGET,
        text=Param(
            "description",
            Annotated[str, typer.Option("--description", help="Hur avvikelsen avslutades.")],
            "resolution",
        ),
    )
)


def show_where_it_lies(ctx: typer.Context, avvikelse_id: UUID) -> None:
    """Which level holds the deviation now and by when it must acknowledge it (not with --json)."""
    cli = session(ctx)
    if cli.output.as_json:
        return
    lage = read_lage(cli.governance(), avvikelse_id)
    line = f"Ligger hos {safe(lage.level_name)} ({safe(lage.level)})"
    if lage.deadline is not None:
        line += f"; kvittens senast {lage.deadline.astimezone(MUNICIPAL_TIME):%Y-%m-%d %H:%M}"
    console().print(line + ".")


# --- reads of the views -----------------------------------------------------------


@app.command("board")
def board(
    ctx: typer.Context,
    level_given: Annotated[
        str | None,
        typer.Option("--level", metavar="BEFATTNING", help="Bara avvikelser som ligger hos den nivån."),
    ] = None,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa öppna avvikelser per nivå med kvittensfrist och hur länge de har väntat, mest brådskande först."""
    cli = session(ctx)
    with refusals(ctx):
        level = filter_given(level_given, field="level")
        if level:
            require_position(cli.governance_to_read(), level, field="level")
    deadline_of = _acknowledgement_deadlines(ctx)
    with caught_up_views(ctx, "avvikelse_view") as store:
        rows = open_avvikelser(store.views.avvikelse, level or "")
        found = board_by_urgency(rows, now=now(), deadline_of=deadline_of)
        ids = [line.avvikelse.id for _, lines_at in found for line in lines_at]
        label = id_labels(store.log.short_ids, ids, full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            {
                "nivaer": {lvl: [_board_json(line) for line in lines_at] for lvl, lines_at in found},
                # The levels' order is the board's: most urgent first.
                "ordning": [lvl for lvl, _ in found],
            }
        )
        return
    if not found:
        console().print("Inga öppna avvikelser" + (f" hos {safe(level)}." if level else "."))
        return
    for lvl, lines_at in found:
        console().print(board_table(lvl, lines_at, label))


def _board_json(line: BoardLine) -> dict[str, Any]:
    return {
        **plain(line.avvikelse),
        "vantat_timmar": round(line.waited.total_seconds() / 3600, 1),
        "kvittens_senast": line.deadline.isoformat() if line.deadline else None,
        "kvittens_forsenad": line.overdue,
    }


def board_table(level: str, board_lines: list[BoardLine], label: IdLabels) -> Grid:
    """One level's open deviations; the deadline and how long it waited share a column, as do
    status and severity, and the category heads the description, so that 80 columns suffice."""
    grid = Grid(
        f"Hos {safe(level)} ({count(len(board_lines))})",
        [
            id_column(),
            date_column("Kvittens senast"),
            tag_column("Status"),
            text_column("Beskrivning"),
            tag_column("Rapporterad av", 10),
        ],
    )
    for line in board_lines:
        a: AvvikelseRow = line.avvikelse
        if line.deadline is None:
            deadline = late = "–"
        else:
            deadline = late = line.deadline.astimezone(MUNICIPAL_TIME).strftime("%Y-%m-%d %H:%M")
            if line.overdue:
                deadline = f"[bold red]{deadline}\n(försenad)[/]"
                late = f"[bold red]{late} (försenad)[/]"
        grid.add_row(
            label(a.id),
            lines(deadline, f"[dim]väntat {waited(line.waited)}[/]"),
            lines(status_name(a.status), safe(a.severity)),
            f"[bold]{safe(a.category)}:[/] {safe(a.description)}",
            safe(a.reporter),
            # Too narrow for the columns: each thing on a line of its own, under its own label.
            block=[
                ("Id", label(a.id)),
                ("Kvittens senast", late),
                ("Väntat", waited(line.waited)),
                ("Status", status_name(a.status)),
                ("Allvarlighetsgrad", safe(a.severity)),
                ("Kategori", safe(a.category)),
                ("Beskrivning", safe(a.description)),
                ("Rapporterad av", safe(a.reporter)),
            ],
        )
    return grid


def _acknowledgement_deadlines(ctx: typer.Context) -> Callable[[AvvikelseRow], datetime | None]:
    """When the level holding a deviation must acknowledge it (see avvikelse_acknowledgement)."""
    cli = session(ctx)
    with refusals(ctx):
        styrmodell = cli.styrmodell()
    return acknowledgement_deadlines(cli.governance_to_read(), styrmodell)
