"""The registers as the API and the pages read them: decisions (searchable), delegations, and what a
position could decide on a day with the chain it rests on; each now or as of a day as known on a day.

Each is the command line's own query (projections.registers, authority_asked),
read from the views now or from their history as of the moment (reads.views_at).
"""

from __future__ import annotations

from datetime import date

from lerum_flow.authority_asked import authority_on
from lerum_flow.beslut_kind_names import beslut_kind_name
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.authority import Authority
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.registers import (
    ALL_TIME,
    DelegationEntry,
    Period,
    beslut_register,
    delegation_register,
)
from lerum_flow.web import models as m
from lerum_flow.web import models_registers as r
from lerum_flow.web.reads import Moment, beslut_out, today, views_at
from lerum_flow.web.record import WebRecord


def _matches(b: BeslutRow, words: list[str]) -> bool:
    # The kind by its code and by the name the page shows it with: either is found.
    kind = f"{b.kind} {beslut_kind_name(b.kind)}"
    text = f"{b.title} {b.diarienummer} {b.paragraf} {b.decided_by} {kind} {b.matter}".casefold()
    return all(word in text for word in words)


def read_beslut(
    record: WebRecord,
    at: Moment,
    *,
    organ: str = "",
    start: date | None = None,
    end: date | None = None,
    unreported: bool = False,
    search: str = "",
    limit: int = 50,
    offset: int = 0,
) -> r.BeslutRegister:
    """The register of `beslut register`, and the decisions whose text has every word searched for."""
    if start and end and end < start:
        # As `beslut register --from --to` refuses it: an empty answer would look like no decisions.
        raise InvalidInput(
            f"Perioden slutar (to {end.isoformat()}) före den börjar (from {start.isoformat()}).",
            field="to",
            rule="period",
        )
    period = Period(start, end) if start or end else ALL_TIME
    with views_at(record, at) as views:
        rows = beslut_register(views, unreported=unreported, organ=organ, period=period).rows
    words = search.casefold().split()
    found = [b for b in rows if _matches(b, words)] if words else rows
    shown = found[offset : offset + limit]
    return r.BeslutRegister(
        datum=at.on,
        kant_per=at.known_on,
        beslut=[beslut_out(b) for b in shown],
        sida=m.Paging.of(len(found), offset, limit),
    )


def delegering_out(d: DelegeringRow, beslut: BeslutRow | None, in_force: bool) -> r.DelegeringOut:
    return r.DelegeringOut(
        id=d.id,
        granted_by=d.granted_by,
        delegate=d.delegate,
        matter=d.matter,
        urgent=d.urgent,
        beslut_id=d.beslut_id,
        parent_id=d.parent_id,
        conditions=d.conditions,
        valid_from=d.valid_from,
        valid_until=d.valid_until,
        revocation_reason=d.revocation_reason,
        i_kraft=in_force,
        beslut=beslut_out(beslut) if beslut else None,
    )


def read_delegeringar(
    record: WebRecord,
    at: Moment,
    *,
    everything: bool = False,
    search: str = "",
    limit: int = 50,
    offset: int = 0,
) -> r.DelegeringRegister:
    """`delegering register`: those in force on the day (their whole chain in force), or all ever granted."""
    with views_at(record, at) as views:
        in_force = delegation_register(views, on=at.on).rows
        entries: list[DelegationEntry] = delegation_register(views).rows if everything else in_force
    forced = {e.delegering.id for e in in_force}
    words = search.casefold().split()

    def matches(e: DelegationEntry) -> bool:
        d = e.delegering
        text = f"{d.delegate} {d.granted_by} {d.matter} {d.conditions}".casefold()
        return all(word in text for word in words)

    found = [e for e in entries if matches(e)] if words else entries
    shown = found[offset : offset + limit]
    return r.DelegeringRegister(
        datum=None if everything else at.on,
        kant_per=at.known_on,
        delegeringar=[delegering_out(e.delegering, e.beslut, e.delegering.id in forced) for e in shown],
        sida=m.Paging.of(len(found), offset, limit),
    )


def _item(item: Authority) -> r.AuthorityItemOut:
    return r.AuthorityItemOut(
        beslutsomrade=item.matter,
        egen=not item.chain,
        giltig=item.valid,
        innehavare=item.holder,
        organ=item.organ,
        bruten_lank=item.broken.message if item.broken else None,
        kedja=[
            r.ChainLinkOut(
                delegering=delegering_out(link.delegering, link.beslut, link.in_force), i_kraft=link.in_force
            )
            for link in item.chain
        ],
    )


def read_authority(record: WebRecord, role: str, at: Moment) -> r.AuthorityOut:
    """What `role` could decide on the day, as `audit authority` answers it."""
    asked = AsOf(at.on, at.known_on)
    with record.views() as live:  # holds the record's lock: the governance's model is switched to the day
        try:
            record.governance.govern_on(at.on)
            record.governance.position(role, field="befattning")
            answer = authority_on(record.governance, record.governance, live.views, role, asked)
        finally:
            # Back to today's model for the requests that follow (a command sets its own day anyway).
            record.governance.govern_on(today())
    later = answer.not_established
    return r.AuthorityOut(
        befattning=role,
        datum=at.on,
        kant_per=at.known_on,
        rot=answer.root,
        forordnade=[h.person for h in answer.held],
        beslutanderatt=[_item(item) for item in answer.found],
        inrattad_fran=later.established_on if later else None,
        ej_inrattad=later.describe() if later else None,
    )
