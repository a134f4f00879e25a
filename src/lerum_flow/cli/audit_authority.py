"""`audit authority`: what a position could decide on a day, and through which chain of delegations.

The position's own matters come from the styrmodell in force that day; its
delegations are replayed as of the days asked about into throwaway views, and
each chain is judged by the one rule the commands use (domain/delegation_chain).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lerum_flow.authority_asked import authority_on
from lerum_flow.cli.audit_days import KnownOnOption, asked_days, axes, opened_log
from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.existence import require_position
from lerum_flow.cli.forordnande import holders_line, holding_json
from lerum_flow.cli.ids import FullIdsOption, IdLabels, id_labels, show_full_ids
from lerum_flow.cli.output import console
from lerum_flow.cli.tables import safe
from lerum_flow.cli.views import beslut_label, caught_up_views
from lerum_flow.directory import PersonDirectory
from lerum_flow.domain.delegation_chain import BrokenLink
from lerum_flow.projections.authority import Authority
from lerum_flow.projections.rows import plain


def authority_command(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(metavar="BEFATTNING", help="Befattningen, t.ex. kommundirektor.")],
    on: Annotated[str, typer.Option("--as-of", metavar="ÅÅÅÅ-MM-DD", help="Dagen som frågan gäller.")],
    known_on: KnownOnOption = None,
    full_ids: FullIdsOption = False,
) -> None:
    """Visa vad en befattning fick besluta en viss dag, och genom vilken kedja av delegeringar."""
    cli = session(ctx)
    asked = asked_days(ctx, on, known_on, field="as-of")
    with refusals(ctx):
        governance = cli.governance_to_read()
        # The position is looked for in the styrkedja of that day (a nämnd merged since, say).
        governance.govern_on(asked.on)
        require_position(governance, role, field="role")
    with (
        caught_up_views(ctx, "delegering_view", "beslut_view", "forordnande_view", "befattning_view") as live,
        opened_log(ctx) as log,
    ):
        with refusals(ctx):
            answer = authority_on(governance, log, live.views, role, asked)
        held, found, root, later = answer.held, answer.found, answer.root, answer.not_established
        beslut_ids = [link.delegering.beslut_id for item in found for link in item.chain]
        label = id_labels(log.short_ids, beslut_ids, full=show_full_ids(full_ids, cli))
    names = PersonDirectory(cli.settings).names() if held else {}
    if cli.output.as_json:
        cli.output.json(
            {
                "befattning": role,
                "datum": asked.on.isoformat(),
                "kant_per": asked.known_on.isoformat() if asked.known_on else None,
                "forordnade": [holding_json(h, names) for h in held],
                "beslutanderatt": [_authority_json(a) for a in found],
                "inrattad_fran": later.established_on.isoformat() if later else None,
                "ej_inrattad": later.describe() if later else None,
            }
        )
        return
    out = console()
    out.print(f"[bold]Beslutanderätt för {safe(role)} {axes(asked)}[/]")
    # A position that was none that day had nobody appointed: say why, not that it stood empty.
    out.print(later.describe() if later and not held else holders_line(held, names))
    if not found:
        out.print("Ingen: befattningen hade varken egen beslutanderätt eller delegering den dagen.")
    for item in found:
        _print_authority(item, role, root, label)


def _authority_json(item: Authority) -> dict[str, Any]:
    return {
        "beslutsomrade": item.matter,
        "egen": not item.chain,
        "giltig": item.valid,
        "innehavare": item.holder,
        "organ": item.organ,
        "bruten_lank": _broken_json(item.broken) if item.broken else None,
        "kedja": [
            {
                "delegering": plain(link.delegering),
                "beslut": plain(link.beslut) if link.beslut else None,
                "i_kraft": link.in_force,
            }
            for link in item.chain
        ],
    }


def _broken_json(broken: BrokenLink) -> dict[str, Any]:
    return {
        "delegering": str(broken.delegering_id),
        "skal": str(broken.why),
        "datum": broken.since.isoformat() if broken.since else None,
        "meddelande": broken.message,
    }


def _print_authority(item: Authority, role: str, root: str, label: IdLabels) -> None:
    out = console()
    validity = "" if item.valid else " [bold red](kedjan är bruten)[/]"
    out.print(f"[bold]{safe(item.matter)}[/]{validity}")
    holder = safe(item.holder)
    if not item.chain:
        if role == root:
            out.print("  egen beslutanderätt (fullmäktige)")
        else:
            out.print(f"  egen beslutanderätt: {holder} ← {safe(root)} (reglemente)")
        return
    for link in item.chain:
        d = link.delegering
        force = "" if link.in_force else " [bold red]EJ I KRAFT[/]"
        until = f" till {d.valid_until.isoformat()}" if d.valid_until else ""
        out.print(
            f"  {safe(d.delegate)} ← {safe(d.granted_by)}: från {d.valid_from.isoformat()}{until}, "
            f"med stöd av {beslut_label(link.beslut, d.beslut_id, label)}{force}"
        )
    if item.organ != root:
        out.print(f"  {safe(item.organ)} ← {safe(root)}: beslutsområdet ligger hos {holder} (reglemente)")
    if item.broken is not None:
        out.print(f"  [bold red]Kedjan är bruten:[/] {safe(item.broken.message)}")
