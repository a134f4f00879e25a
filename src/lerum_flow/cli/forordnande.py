"""`lerum-flow forordnande`: who holds which position, from when to when, and on what grounds.

A person acts in a position (`--as`) only on a day they held it; these
commands record the förordnanden that say so, and read the register. Who may
appoint whom is the domain's rule (`lerum_flow.domain.tillsattning`).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.appointments import Holding
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.output import console
from lerum_flow.cli.record import (
    AsOption,
    CommandIdOption,
    DateTodayOption,
    PersonOption,
    RattelseOption,
    SecrecyOption,
    or_today,
    record,
    who,
)
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import Grid, count, date_column, lines, safe, tag_column, text_column
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.forordnande import ROLE_NAMES
from lerum_flow.input_dates import parse_day

app = typer.Typer(
    help="Förordnanden: vem som innehar vilken befattning, från när till när och på vilken grund.",
    no_args_is_help=True,
)

Appointee = Annotated[
    str, typer.Argument(metavar="PERSON", help="Den förordnades pseudonyma person-id, t.ex. p-1001.")
]
PositionOption = Annotated[
    str, typer.Option("--position", metavar="BEFATTNING", help="Befattningen, t.ex. ks eller kommundirektor.")
]
ValidFrom = Annotated[
    str, typer.Option("--valid-from", metavar="ÅÅÅÅ-MM-DD", help="Första dagen förordnandet gäller.")
]
BeslutOption = Annotated[
    str | None,
    typer.Option("--beslut", metavar="ID", help="Beslutet förordnandet vilar på, när ett organ tillsätter."),
]
DecidedOn = Annotated[
    str | None,
    typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Dagen då det beslutades. Standard: i dag."),
]


@app.command("introduce", cls=RecordingCommand)
def introduce(
    ctx: typer.Context,
    appointee: Appointee,
    valid_from: ValidFrom,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Inför registret: PERSON blir fullmäktiges första sekreterare. Görs en gång per händelselager."""
    cli = session(ctx)
    with refusals(ctx):
        root = cli.styrmodell().styrkedja().root().id
    record(
        ctx,
        Governance.introduce_register,
        f"Registret är infört: {appointee} är sekreterare i '{root}' från {valid_from}.",
        c.IntroduceRegister,
        **who(root, person, command_id, secrecy),
        appointee=appointee,
        valid_from=valid_from,
    )


@app.command("appoint", cls=RecordingCommand)
def appoint(
    ctx: typer.Context,
    appointee: Appointee,
    position: PositionOption,
    valid_from: ValidFrom,
    as_position: AsOption,
    role: Annotated[
        str,
        typer.Option(
            "--role",
            metavar="ROLL",
            help="ledamot, ersattare, vald, revisor, sekreterare, anstalld eller tillforordnad. "
            "Standard: det vanliga för befattningen.",
        ),
    ] = "",
    valid_until: Annotated[
        str | None,
        typer.Option(
            "--valid-until",
            metavar="ÅÅÅÅ-MM-DD",
            help="Sista dagen (till och med). Krävs för förtroendevalda; utan: tills vidare.",
        ),
    ] = None,
    beslut: BeslutOption = None,
    bevis: Annotated[
        str,
        typer.Option(
            "--bevis",
            metavar="BETECKNING",
            help="Länsstyrelsens bevis (fullmäktiges ledamöter och ersättare).",
        ),
    ] = "",
    date: DecidedOn = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Förordna en person i en befattning, som den som tillsätter den (--as)."""
    record(
        ctx,
        Governance.appoint,
        f"{appointee} är förordnad i '{position}' från {valid_from}.",
        c.Appoint,
        **who(as_position, person, command_id, secrecy),
        appointee=appointee,
        position=position,
        role=role,
        valid_from=valid_from,
        valid_until=valid_until,
        decided_on=or_today(date),
        beslut_id=beslut,
        bevis=bevis,
    )


@app.command("end", cls=RecordingCommand)
def end(
    ctx: typer.Context,
    appointee: Appointee,
    position: PositionOption,
    valid_until: Annotated[
        str,
        typer.Option("--valid-until", metavar="ÅÅÅÅ-MM-DD", help="Sista dagen förordnandet gäller."),
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Varför det upphör (avgång, entledigande, rättelse).")
    ],
    as_position: AsOption,
    beslut: BeslutOption = None,
    date: DecidedOn = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Avsluta ett förordnande (entlediga); den som tillsätter befattningen gör det."""
    record(
        ctx,
        Governance.end_forordnande,
        f"Förordnandet av {appointee} i '{position}' gäller till och med {valid_until}.",
        c.EndForordnande,
        **who(as_position, person, command_id, secrecy, rattelse),
        appointee=appointee,
        position=position,
        valid_until=valid_until,
        reason=reason,
        decided_on=or_today(date),
        beslut_id=beslut,
    )


@app.command("list")
def list_register(
    ctx: typer.Context,
    position: Annotated[
        str | None, typer.Option("--position", metavar="BEFATTNING", help="Bara den befattningen.")
    ] = None,
    holder: Annotated[
        str | None, typer.Option("--holder", metavar="PERSON", help="Bara den personen.")
    ] = None,
    on: DateTodayOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Alla förordnanden, även upphörda och kommande.")
    ] = False,
) -> None:
    """Visa registret: vem som innehar vad en dag (i dag om inget annat anges), eller alla med --all."""
    # Imported here: the other förordnande commands start without the views.
    from lerum_flow.cli.views import caught_up_views, filter_given
    from lerum_flow.projections.forordnande import ForordnandeProjection
    from lerum_flow.view_lookups import ViewHoldings

    cli = session(ctx)
    with refusals(ctx):
        day = None if everything else parse_day(or_today(on), field="date")
        position = filter_given(position, field="position") or None
        holder = filter_given(holder, field="holder") or None
        governance = cli.governance_to_read()
        if position is not None:
            require_position(governance, position, field="position")
        with caught_up_views(ctx, ForordnandeProjection.name) as store:
            view = store.projection(ForordnandeProjection).view
            register = ViewHoldings(view).register()
        held = [
            h
            for h in register
            if (position is None or h.position == position)
            and (holder is None or h.person == holder)
            and (day is None or h.term.covers(day))
        ]
        names = PersonDirectory(cli.settings).names()
    if cli.output.as_json:
        cli.output.json(
            {
                "datum": day.isoformat() if day else None,
                "forordnanden": [holding_json(h, names) for h in held],
            }
        )
        return
    title = f"Förordnanden {day.isoformat()}" if day else "Förordnanden, alla"
    console().print(register_table(held, f"{title} ({count(len(held))})", names))


def holding_json(holding: Holding, names: dict[str, str]) -> dict[str, Any]:
    """One term as JSON: the directory's name beside the id where the directory has one."""
    term = holding.term
    return {
        "befattning": holding.position,
        "person": holding.person,
        "namn": names.get(holding.person),
        "roll": str(term.role),
        "giltig_fran": term.valid_from.isoformat(),
        "giltig_till": term.last_day.isoformat() if term.last_day else None,
    }


def person_label(person: str, names: dict[str, str]) -> str:
    """The pseudonymous id, with the directory's name if it has one (names live only there)."""
    return safe(person) + (f" ({safe(names[person])})" if person in names else "")


def holders_line(held: list[Holding], names: dict[str, str]) -> str:
    """Who held a position on a day, in one line: the person, with the role and the term's days."""
    if not held:
        return "Innehades av: ingen förordnad person den dagen."
    parts = [
        f"{person_label(h.person, names)}, {ROLE_NAMES[h.term.role]} "
        f"{h.term.valid_from.isoformat()} – {h.term.last_day.isoformat() if h.term.last_day else ''}".rstrip()
        for h in held
    ]
    return "Innehades av: " + "; ".join(parts)


def register_table(held: list[Holding], title: str, names: dict[str, str]) -> Grid:
    grid = Grid(
        title,
        [tag_column("Befattning"), text_column("Person"), tag_column("Roll"), date_column("Gäller")],
    )
    for holding in held:
        term = holding.term
        grid.add_row(
            safe(holding.position),
            person_label(holding.person, names),
            ROLE_NAMES[term.role],
            lines(f"{term.valid_from.isoformat()} –", term.last_day.isoformat() if term.last_day else ""),
        )
    return grid
