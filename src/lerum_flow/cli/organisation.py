"""`lerum-flow organisation`: positions below the styrmodell's fixed chain, established and
discontinued, and the whole organisation on a day."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.forordnande import holding_json, person_label
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    DateOption,
    DateTodayOption,
    PersonOption,
    SecrecyOption,
    or_today,
    record,
    who,
)
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import Grid, count, date_column, lines, safe, tag_column, text_column
from lerum_flow.cli.views import caught_up_views, filter_given
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.forordnande import ROLE_NAMES
from lerum_flow.input_dates import parse_day
from lerum_flow.organisation_chart import Post, organisation_on
from lerum_flow.projections.befattning import BefattningProjection
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.view_lookups import ViewHoldings, ViewPositions, ViewTies

app = typer.Typer(
    help="Inrätta, avveckla och visa befattningar under styrmodellens fasta del: chefer och medarbetare.",
    no_args_is_help=True,
)


@app.command("establish", cls=RecordingCommand)
def establish(
    ctx: typer.Context,
    code: Annotated[
        str, typer.Option("--id", metavar="KOD", help="Befattningens kod, t.ex. chef-vallhamra.")
    ],
    name: Annotated[str, typer.Option("--name", help="Befattningens namn, t.ex. 'Rektor, Vallhamra skola'.")],
    kind: Annotated[str, typer.Option("--kind", metavar="chef|medarbetare", help="Slag av befattning.")],
    parent: Annotated[
        str, typer.Option("--parent", metavar="KOD", help="Befattningen den ligger under, t.ex. larande.")
    ],
    date: DateOption,
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Inrätta en befattning (chef eller medarbetare) under en befintlig i styrkedjan.

    Nekas under en befattning som är avvecklad från en senare dag: den nya skulle finnas kvar
    när den den står under inte längre finns. Likaså en delegering till en sådan befattning,
    ett förordnande på den som inte slutar senast dagen före, ett uppdrag till eller från den
    utan sista datum före dess, och en avvikelse, ett styrdokument eller en kontroll som skulle
    ligga kvar på den.
    """
    record(
        ctx,
        Governance.establish_befattning,
        f"Befattningen '{code}' inrättades under '{parent}'.",
        c.EstablishBefattning,
        **who(as_position, person, command_id, secrecy),
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        established_on=date,
    )


@app.command("discontinue", cls=RecordingCommand)
def discontinue(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--id", metavar="KOD", help="Den inrättade befattningens kod.")],
    reason: Annotated[str, typer.Option("--reason", help="Varför befattningen avvecklas.")],
    date: Annotated[
        str,
        typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Första dagen befattningen inte längre finns."),
    ],
    as_position: AsOption,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Avveckla en inrättad befattning från ett datum (den som får inrätta den där får avveckla den).

    Nekas så länge något hänger kvar på den från den dagen: befattningar under den, någon som
    innehar den, pågående uppdrag till eller från den, delegeringar till den som gäller, öppna
    avvikelser på dess nivå, styrdokument den äger eller som gäller för den, eller kontroller den
    äger i en internkontrollplan vars år når dagen.
    """
    settings = session(ctx).store_settings

    def discontinue_befattning(governance: Governance, cmd: c.DiscontinueBefattning) -> Outcome:
        # What hangs on the position is read from the views (caught up first), never from a walk
        # of the log; they are opened only for a command that passed the edge's checks.
        ties = ViewTies.open(settings())
        try:
            return governance.discontinue_befattning(cmd, ties=ties)
        finally:
            ties.close()

    record(
        ctx,
        discontinue_befattning,
        f"Befattningen '{code}' avvecklades; den finns inte från {date.strip()}.",
        c.DiscontinueBefattning,
        **who(as_position, person, command_id, secrecy),
        code=code,
        reason=reason,
        discontinued_on=date,
    )


@app.command("list")
def list_organisation(
    ctx: typer.Context,
    on: DateTodayOption = None,
    under: Annotated[
        str | None,
        typer.Option("--under", metavar="KOD", help="Bara den befattningen och allt under den."),
    ] = None,
) -> None:
    """Visa organisationen en dag (i dag om inget annat anges), som den är känd nu.

    Varje befattning i styrmodellens fasta del och varje inrättad som finns den dagen, indragen
    under den den ligger under, med kod, slag, när den inrättades, från vilken dag den avvecklas
    (om det är registrerat) och vem som innehar den den dagen. Läses ur vyerna.
    """
    cli = session(ctx)
    with refusals(ctx):
        day = parse_day(or_today(on), field="date")
        under = filter_given(under, field="under") or None
        governance = cli.governance_to_read()
        governance.govern_on(day)  # the fixed chain is that day's styrmodell's
        if under is not None:
            require_position(governance, under, field="under")
        names = (BefattningProjection.name, ForordnandeProjection.name)
        with caught_up_views(ctx, *names) as store:
            posts = organisation_on(
                governance,
                day,
                under=under,
                positions=ViewPositions(store.projection(BefattningProjection).view),
                holdings=ViewHoldings(store.projection(ForordnandeProjection).view),
            )
        people = PersonDirectory(cli.settings).names()
    if cli.output.as_json:
        cli.output.json(
            {
                "datum": day.isoformat(),
                "under": under,
                "befattningar": [post_json(post, people) for post in posts],
            }
        )
        return
    title = f"Organisationen {day.isoformat()}" + (f" under {under}" if under else "")
    console().print(organisation_table(posts, f"{title} ({count(len(posts))})", people))


def post_json(post: Post, names: dict[str, str]) -> dict[str, Any]:
    position = post.position
    return {
        "kod": position.id,
        "namn": position.name,
        "slag": str(position.kind),
        "overordnad": position.parent,
        "djup": post.depth,
        "fast": post.fixed,
        "inrattad": post.established_on.isoformat() if post.established_on else None,
        "avvecklas_fran": post.discontinued_on.isoformat() if post.discontinued_on else None,
        "innehavare": [holding_json(h, names) for h in post.holders],
    }


def organisation_table(posts: list[Post], title: str, names: dict[str, str]) -> Grid:
    """Each position a row, its name indented by its level: the tree is read down the first column,
    so the position above it needs no column of its own (it is in `--json`)."""
    grid = Grid(
        title,
        [
            text_column("Befattning"),
            tag_column("Kod"),
            tag_column("Slag"),
            date_column("Inrättad"),
            date_column("Avvecklas"),
            text_column("Innehas av"),
        ],
        caption='Inrättad "fast": en del av styrmodellens fasta kedja.',
    )
    for post in posts:
        position = post.position
        grid.add_row(
            "  " * post.depth + safe(position.name),
            safe(position.id),
            str(position.kind),
            post.established_on.isoformat() if post.established_on else "fast",
            post.discontinued_on.isoformat() if post.discontinued_on else "",
            lines(*(f"{person_label(h.person, names)}, {ROLE_NAMES[h.term.role]}" for h in post.holders)),
        )
    return grid
