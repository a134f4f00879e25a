"""`lerum-flow uppdrag`: an uppdrag's life from issue through report to completion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.tree import Tree

from lerum_flow import commands as c
from lerum_flow.application import Governance
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
    count,
    safe,
)
from lerum_flow.cli.views import (
    beslut_label,
    caught_up_views,
    filter_given,
    now,
    uppdrag_json,
    uppdrag_line,
)
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.projections.rows import plain
from lerum_flow.projections.uppdrag_queries import BeslutTree, UppdragNode, inbox, uppdrag_tree
from lerum_flow.status_names import uppdrag_status

app = typer.Typer(
    help="Uppdrag och mål: givaren äger VAD, mottagaren äger HUR och återrapporterar.",
    no_args_is_help=True,
)

UppdragId = Annotated[str, typer.Argument(metavar="ID", help="Uppdragets id.")]
Comment = Annotated[str, typer.Option("--comment", help="Kommentar.")]
Reason = Annotated[str, typer.Option("--reason", help="Skälet.")]
Due = Annotated[str | None, typer.Option("--due", metavar="ÅÅÅÅ-MM-DD", help="Slutdatum.")]

# The parameters of the commands that only take the ID and perhaps a comment or a reason.
TARGET = Param("uppdrag", UppdragId, "uppdrag_id")
COMMENT = Param("comment", Comment, "comment", default="")
REASON = Param("reason", Reason, "reason")


@app.command("issue", cls=RecordingCommand)
def issue(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", metavar="BEFATTNING", help="Mottagaren (uppdragstagaren).")],
    title: Annotated[str, typer.Option("--title", help="Vad som ska uppnås.")],
    as_position: AsOption,
    description: Annotated[str, typer.Option("--description", help="Närmare beskrivning.")] = "",
    due: Due = None,
    beslut: Annotated[
        str | None,
        typer.Option("--beslut", metavar="ID", help="Det politiska beslut uppdraget kommer ur."),
    ] = None,
    part_of: Annotated[
        str | None,
        typer.Option("--part-of", metavar="UPPDRAG_ID", help="Uppdraget detta bryter ned (deluppdrag)."),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="uppdrag|mal|uppsikt",
            help="Uppdrag, mål, eller uppsikt: kommunstyrelsens begäran om redovisning från en "
            "nämnd eller ett bolag som den har uppsikt över men inte står över (KL 6 kap. 1 och 3 §§).",
        ),
    ] = "uppdrag",
    date: DateTodayOption = None,
    key: Annotated[
        str, typer.Option("--key", help="Egen nyckel som skiljer uppdrag med samma rubrik åt.")
    ] = "",
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
) -> None:
    """Ge ett uppdrag (eller mål) till en befattning under dig, spårbart till ett politiskt beslut."""
    record(
        ctx,
        Governance.issue_uppdrag,
        f"Uppdrag till {to}: {title}.",
        c.IssueUppdrag,
        **who(as_position, person, command_id, secrecy),
        kind=kind,
        recipient=to,
        title=title,
        description=description,
        due=due,
        origin_beslut_id=beslut,
        parent_id=part_of,
        issued_on=or_today(date),
        key=key,
    )


accept = app.command("accept", cls=RecordingCommand)(
    id_command(
        c.AcceptUppdrag,
        Governance.accept_uppdrag,
        "Uppdraget togs emot.",
        "Ta emot ett uppdrag (mottagaren).",
        target=TARGET,
    )
)


@app.command("report", cls=RecordingCommand)
def report(
    ctx: typer.Context,
    uppdrag: UppdragId,
    assessment: Annotated[
        str,
        typer.Option(
            "--assessment", metavar="BEDÖMNING", help="Bedömning på styrmodellens skala, t.ex. uppfyllt."
        ),
    ],
    text: Annotated[str, typer.Option("--text", help="Återrapporteringen.")],
    as_position: AsOption,
    period: Annotated[str, typer.Option("--period", help="Perioden, t.ex. 2027-T1.")] = "",
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Återrapportera ett uppdrag med en bedömning (mottagaren)."""
    record(
        ctx,
        Governance.report_uppdrag,
        f"Återrapport med bedömningen '{assessment}'.",
        c.ReportUppdrag,
        **who(as_position, person, command_id, secrecy, rattelse),
        uppdrag_id=uppdrag,
        assessment=assessment,
        text=text,
        period=period,
        on=or_today(date),
    )


accept_report = app.command("accept-report", cls=RecordingCommand)(
    id_command(
        c.AcceptReport,
        Governance.accept_report,
        "Återrapporten godkändes.",
        "Godkänn återrapporten (givaren).",
        target=TARGET,
        text=COMMENT,
    )
)
return_report = app.command("return-report", cls=RecordingCommand)(
    id_command(
        c.ReturnReport,
        Governance.return_report,
        "Återrapporten återförvisades.",
        "Återförvisa återrapporten med ett skäl (givaren).",
        target=TARGET,
        text=REASON,
    )
)


@app.command("revise", cls=RecordingCommand)
def revise(
    ctx: typer.Context,
    uppdrag: UppdragId,
    reason: Reason,
    as_position: AsOption,
    title: Annotated[str, typer.Option("--title", help="Ny rubrik.")] = "",
    description: Annotated[str | None, typer.Option("--description", help="Ny beskrivning.")] = None,
    due: Due = None,
    date: DateTodayOption = None,
    person: PersonOption = None,
    command_id: CommandIdOption = None,
    secrecy: SecrecyOption = "",
    rattelse: RattelseOption = None,
) -> None:
    """Ändra VAD: rubrik, beskrivning eller slutdatum, med skäl (givaren)."""
    record(
        ctx,
        Governance.revise_uppdrag,
        "Uppdraget ändrades.",
        c.ReviseUppdrag,
        **who(as_position, person, command_id, secrecy, rattelse),
        uppdrag_id=uppdrag,
        title=title,
        description=description,
        due=due,
        reason=reason,
        on=or_today(date),
    )


complete = app.command("complete", cls=RecordingCommand)(
    id_command(
        c.CompleteUppdrag,
        Governance.complete_uppdrag,
        "Uppdraget slutfördes.",
        "Slutför ett uppdrag vars återrapport är godkänd (givaren).",
        target=TARGET,
        text=COMMENT,
    )
)
withdraw = app.command("withdraw", cls=RecordingCommand)(
    id_command(
        c.WithdrawUppdrag,
        Governance.withdraw_uppdrag,
        "Uppdraget återkallades.",
        "Återkalla ett uppdrag med ett skäl (givaren).",
        target=TARGET,
        text=REASON,
    )
)


# --- reads of the views -----------------------------------------------------------


@app.command("tree")
def tree(
    ctx: typer.Context,
    beslut: Annotated[
        str | None,
        typer.Argument(metavar="BESLUT", help="Beslutets id (samma som --root)."),
    ] = None,
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="ID", help="Ett besluts eller uppdrags id: bara det som ligger under."
        ),
    ] = None,
    level_given: Annotated[
        str | None,
        typer.Option(
            "--level", metavar="BEFATTNING", help="Bara uppdrag till den befattningen och det de bryts ned i."
        ),
    ] = None,
    status_given: Annotated[
        str | None,
        typer.Option("--status", metavar="STATUS", help="Bara uppdrag med den statusen, t.ex. utfärdat."),
    ] = None,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa uppdragen från ett politiskt beslut ned till enskilda uppdrag: mottagare, status,
    bedömning och om de är försenade. Utan filter: alla beslut som har uppdrag."""
    cli = session(ctx)
    with refusals(ctx):
        level = filter_given(level_given, field="level")
        status = filter_given(status_given, field="status")
        if beslut and root:
            raise InvalidInput(
                "Ange roten antingen som BESLUT eller med --root.", field="root", rule="en_rot"
            )
        wanted_status = uppdrag_status(status) if status else ""
        if level.strip():
            require_position(cli.governance_to_read(), level.strip(), field="level")
    with caught_up_views(ctx, "uppdrag_view", "beslut_view") as store:
        with refusals(ctx):
            found = (
                store.log.find_record(
                    beslut or root or "", ("beslut", "uppdrag"), field="root" if root else "beslut"
                )
                if beslut or root
                else None
            )
        trees = uppdrag_tree(
            store.views,
            beslut_id=found.id if found and found.kind == "beslut" else None,
            under=found.id if found and found.kind == "uppdrag" else None,
            recipient=level.strip(),
            status=wanted_status,
        )
        label = id_labels(store.log.short_ids, _tree_ids(trees), full=show_full_ids(full_ids, cli))
    today = now().date()
    if cli.output.as_json:
        cli.output.json({"datum": today.isoformat(), "beslut": [_tree_json(t, today) for t in trees]})
        return
    if not trees:
        console().print("Inga uppdrag" + (" med de villkoren." if found or level or status else "."))
        return
    for one in trees:
        top = Tree(beslut_label(one.beslut, one.beslut_id, label))
        _add_nodes(top, one.roots, today, label)
        console().print(top)


def _tree_ids(trees: list[BeslutTree]) -> Iterator[UUID | None]:
    def walk(nodes: tuple[UppdragNode, ...]) -> Iterator[UUID]:
        for node in nodes:
            yield node.uppdrag.id
            yield from walk(node.children)

    for one in trees:
        yield one.beslut_id
        yield from walk(one.roots)


def _add_nodes(parent: Tree, nodes: tuple[UppdragNode, ...], on: date, label: IdLabels) -> None:
    for node in nodes:
        _add_nodes(parent.add(uppdrag_line(node.uppdrag, on, label)), node.children, on, label)


def _tree_json(found: BeslutTree, on: date) -> dict[str, Any]:
    def node(n: UppdragNode) -> dict[str, Any]:
        return {**uppdrag_json(n.uppdrag, on), "deluppdrag": [node(c) for c in n.children]}

    return {
        "beslut_id": str(found.beslut_id) if found.beslut_id else None,
        "beslut": plain(found.beslut) if found.beslut else None,
        "uppdrag": [node(n) for n in found.roots],
    }


@app.command("mine")
def mine(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--as", metavar="BEFATTNING", help="Befattningen vars inkorg visas.")],
    full_ids: FullIdsOption = False,
) -> None:
    """Visa vad som väntar på en befattning: uppdrag att ta emot och att återrapportera,
    rapporter att granska och godkända rapporter att slutföra."""
    cli = session(ctx)
    with refusals(ctx):
        require_position(cli.governance_to_read(), role, field="as")
    with caught_up_views(ctx, "uppdrag_view") as store:
        found = inbox(store.views, role)
        sections = {
            "att_ta_emot": ("Att ta emot", found.to_accept),
            "att_aterrapportera": ("Att återrapportera", found.to_report),
            "att_granska": ("Rapporter att granska", found.to_review),
            "att_slutfora": ("Godkända, att slutföra", found.to_complete),
        }
        ids = [r.id for _, rows in sections.values() for r in rows]
        label = id_labels(store.log.short_ids, ids, full=show_full_ids(full_ids, cli))
    today = now().date()
    if cli.output.as_json:
        data: dict[str, Any] = {"befattning": role, "datum": today.isoformat()}
        data |= {key: [uppdrag_json(r, today) for r in rows] for key, (_, rows) in sections.items()}
        cli.output.json(data)
        return
    out = console()
    if not any(rows for _, rows in sections.values()):
        out.print(f"Inget väntar på {safe(role)}.")
        return
    for title, rows in sections.values():
        if rows:
            out.print(f"[bold underline]{title} ({count(len(rows))})[/]")
            for row in rows:
                out.print("  " + uppdrag_line(row, today, label))


# --- registers -------------------------------------------------------------------------
