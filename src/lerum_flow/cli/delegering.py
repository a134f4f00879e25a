"""`lerum-flow delegering`: granting and revoking the right to decide on an organ's behalf."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    FollowUp,
    PersonOption,
    RattelseOption,
    SecrecyOption,
    record,
    record_following,
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
    beslut_label,
    caught_up_views,
    day,
    now,
    paged_footer,
    paging_of,
    parse_period,
)
from lerum_flow.domain.delegation_chain import describe
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.input_dates import parse_day
from lerum_flow.projections.registers import (
    ALL_TIME,
    DelegationEntry,
    delegation_register,
)
from lerum_flow.projections.rows import plain
from lerum_flow.settings import Settings
from lerum_flow.view_lookups import ViewChildren

app = typer.Typer(
    help="Delegeringar enligt delegationsordningen: ge och återkalla beslutanderätt.",
    no_args_is_help=True,
)

ValidFrom = Annotated[
    str, typer.Option("--valid-from", metavar="ÅÅÅÅ-MM-DD", help="Första dagen det gäller.")
]


@app.command("grant", cls=RecordingCommand)
def grant(
    ctx: typer.Context,
    to: Annotated[
        list[str],
        typer.Option(
            "--to",
            metavar="BEFATTNING",
            help="Delegaten. Lagen tillåter exakt en; flera --to nekas (aldrig gemensam delegering).",
        ),
    ],
    matter: Annotated[
        str, typer.Option("--matter", metavar="OMRÅDE", help="Beslutsområdet som delegeras, t.ex. personal.")
    ],
    beslut: Annotated[
        str,
        typer.Option("--beslut", metavar="ID", help="Beslutet om delegationsordning eller reglemente."),
    ],
    valid_from: ValidFrom,
    as_position: AsOption,
    urgent: Annotated[
        bool, typer.Option("--urgent", help="Brådskande ärenden (bara till ordföranden).")
    ] = False,
    under: Annotated[
        str | None,
        typer.Option("--under", metavar="DELEGERING_ID", help="Vidaredelegation under denna delegering."),
    ] = None,
    conditions: Annotated[str, typer.Option("--conditions", help="Villkor och begränsningar.")] = "",
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Delegera beslutanderätt i ett beslutsområde till en mottagare."""
    record(
        ctx,
        Governance.grant_delegering,
        f"Delegering i '{matter}' till {', '.join(to)}.",
        c.GrantDelegering,
        **who(as_position, person, command_id, secrecy),
        delegates=to,
        matter=matter,
        beslut_id=beslut,
        urgent=urgent,
        parent_delegering_id=under,
        valid_from=valid_from,
        conditions=conditions,
    )


@app.command("revoke", cls=RecordingCommand)
def revoke(
    ctx: typer.Context,
    delegering: Annotated[str, typer.Argument(metavar="ID", help="Delegeringens id.")],
    reason: Annotated[str, typer.Option("--reason", help="Varför delegeringen återkallas.")],
    valid_from: ValidFrom,
    as_position: AsOption,
    beslut: Annotated[
        str | None, typer.Option("--beslut", metavar="ID", help="Beslutet om återkallelse, om ett finns.")
    ] = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Återkalla en delegering från ett datum (bara den som delegerade kan).

    Vidaredelegationer under den faller med den; de räknas upp.
    """
    settings = session(ctx).store_settings
    record_following(
        ctx,
        Governance.revoke_delegering,
        "Delegeringen återkallades.",
        lambda governance, outcome: _falling_with(governance, outcome, settings()),
        c.RevokeDelegering,
        **who(as_position, person, command_id, secrecy, rattelse),
        delegering_id=delegering,
        reason=reason,
        beslut_id=beslut,
        valid_from=valid_from,
    )


def _falling_with(governance: Governance, outcome: Outcome, settings: Settings) -> FollowUp:
    """The vidaredelegationer that fall with the revoked delegering, from the day it ends (found
    through the delegering view's index on the parent)."""
    children = ViewChildren.delegeringar(settings)
    try:
        falling = governance.falling_with(outcome.id, children=children)
    finally:
        children.close()
    revoked = governance.delegation_chain(outcome.id)[0]
    ends = revoked.valid_until.isoformat() if revoked.valid_until else ""
    lines = [f"Faller med den från {ends}: {describe(d)}." for d in falling]
    return FollowUp(
        tuple(lines) or ("Inga vidaredelegationer faller med den.",),
        {
            "faller_med": [
                {"id": str(d.id), "delegat": d.delegate, "beviljad_av": d.granted_by} for d in falling
            ]
        },
    )


# --- reads of the views -----------------------------------------------------------


@app.command("register")
def delegering_register(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Gällande den dagen. Standard: i dag.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Alla delegeringar, även upphörda och kommande.")
    ] = False,
    start: FromOption = None,
    end: ToOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa delegationsregistret: vem som har vilken delegering, från vem och med stöd av vilket beslut.

    Med --from/--to: de delegeringar som var i kraft någon gång under perioden.
    """
    cli = session(ctx)
    with refusals(ctx):
        if (start or end) and (on or everything):
            raise InvalidInput(
                "Ange antingen --date, --all eller en period med --from/--to.", field="from", rule="en_period"
            )
        period = parse_period(start, end) if start is not None or end is not None else None
        day_asked = None if everything or period else (parse_day(on, field="date") if on else now().date())
        paging = paging_of(limit, offset)
    with caught_up_views(ctx, "delegering_view", "beslut_view") as store:
        page = delegation_register(store.views, on=day_asked, period=period or ALL_TIME, paging=paging)
        ids = [i for e in page.rows for i in (e.delegering.id, e.delegering.parent_id)]
        label = id_labels(store.log.short_ids, ids, full=show_full_ids(full_ids, cli))
    if cli.output.as_json:
        cli.output.json(
            {
                "datum": day_asked.isoformat() if day_asked else None,
                "fran": period.start.isoformat() if period and period.start else None,
                "till": period.end.isoformat() if period and period.end else None,
                "antal": page.total,
                "delegeringar": [_delegation_json(e) for e in page.rows],
            }
        )
        return
    if day_asked:
        title = f"Delegationsregister {day_asked.isoformat()}"
    elif period:
        title = f"Delegationsregister {day(period.start)} till {day(period.end)}"
    else:
        title = "Delegationsregister, alla"
    console().print(delegation_table(page.rows, f"{title} ({count(page.total)})", label))
    footer = paged_footer(page, paging)
    if footer:
        console().print(footer)


def _delegation_json(entry: DelegationEntry) -> dict[str, Any]:
    return {**plain(entry.delegering), "beslut": plain(entry.beslut) if entry.beslut else None}


def delegation_table(entries: list[DelegationEntry], title: str, label: IdLabels) -> Grid:
    """A vidaredelegation's parent goes under who granted it, and the last day under the first,
    so that 80 columns suffice."""
    grid = Grid(
        title,
        [
            id_column(),
            tag_column("Delegat"),
            tag_column("Område"),
            tag_column("Från", 6),
            text_column("Beslut"),
            date_column("Gäller"),
        ],
    )
    for entry in entries:
        d = entry.delegering
        grid.add_row(
            label(d.id),
            safe(d.delegate) + (" [dim](brådskande)[/]" if d.urgent else ""),
            safe(d.matter),
            lines(safe(d.granted_by), f"[dim]under {label(d.parent_id)}[/]" if d.parent_id else ""),
            beslut_label(entry.beslut, d.beslut_id, label),
            lines(f"{d.valid_from.isoformat()} –", d.valid_until.isoformat() if d.valid_until else ""),
        )
    return grid
