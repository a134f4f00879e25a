"""Who may issue an uppdrag to whom, and the political decision every uppdrag traces to.

Pure functions over loaded aggregates and positions: an uppdrag goes down the
styrkedja, a goal (mål) comes from a political organ, and every uppdrag
traces to an organ's own decision, directly or through the uppdrag it breaks down.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted, field_named
from lerum_flow.domain.escalation_route import UNDER_UPPSIKT
from lerum_flow.domain.kommunallag import Kommunallag, newest_kommunallag
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import UppdragKind


def check_may_issue(
    giver: Position,
    recipient: Position,
    kind: UppdragKind,
    *,
    giver_is_above: bool,
    law: Kommunallag | None = None,
) -> None:
    """Refuse an uppdrag that does not go down the chain, or a goal from anyone but an organ.

    A request under KS's uppsikt (`UppdragKind.UPPSIKT`) goes instead from the styrelse
    to a nämnd or bolag it does not stand above (`check_uppsikt`).
    """
    the_law = law or newest_kommunallag()
    if kind is UppdragKind.UPPSIKT:
        check_uppsikt(giver, recipient, the_law, giver_is_above=giver_is_above)
        return
    if not giver_is_above:
        hint = (
            f" Styrelsen har uppsikt över '{recipient.id}' men står inte över den "
            f"(KL {the_law.styrelsens_uppsikt.paragraph}): begär en redovisning med "
            f"{field_named('kind')} uppsikt."
            if giver.kind is PositionKind.STYRELSE and recipient.kind in UNDER_UPPSIKT
            else ""
        )
        raise NotPermitted(
            f"'{giver.id}' står inte över '{recipient.id}' i styrkedjan och kan inte ge uppdrag dit.{hint}",
            field="to",
            rule="givare_over_mottagare",
        )
    if kind is UppdragKind.MAL and not giver.is_organ:
        raise NotPermitted(
            "Mål ges av ett politiskt organ; en tjänsteperson ger uppdrag.",
            field="kind",
            rule="mal_fran_politiskt_organ",
        )


def check_uppsikt(giver: Position, recipient: Position, law: Kommunallag, *, giver_is_above: bool) -> None:
    """Refuse a request under uppsikt from anyone but the styrelse, or to anyone but a nämnd or
    bolag outside its own chain (those under KS get an ordinary uppdrag)."""
    if giver.kind is not PositionKind.STYRELSE:
        raise NotPermitted(
            f"Bara kommunstyrelsen har uppsikt ({law.styrelsens_uppsikt.cite()}); "
            f"'{giver.id}' ({giver.kind}) kan inte begära redovisning under uppsikt.",
            field="as",
            rule="uppsikt_endast_styrelsen",
        )
    if recipient.kind not in UNDER_UPPSIKT or giver_is_above:
        raise NotPermitted(
            f"Uppsikten gäller nämnder och bolag utanför styrelsens egen organisation "
            f"({law.begara_upplysningar.cite()}); '{recipient.id}' ({recipient.kind}) är ingen sådan"
            + (" (ge ett vanligt uppdrag i stället)." if giver_is_above else "."),
            field="to",
            rule="uppsikt_over_namnd_eller_bolag",
        )


def origin_through_parent(giver: Position, parent: Uppdrag, origin_beslut_id: UUID | None) -> UUID:
    """The origin of a part of `parent`: its own, if its recipient breaks it down while in hand."""
    if parent.recipient != giver.id:
        raise NotPermitted(
            f"Bara mottagaren av uppdraget ({parent.recipient}) kan bryta ned det.",
            field="part-of",
            rule="nedbrytning_av_mottagaren",
        )
    if not parent.is_in_hand:
        raise InvalidState(
            f"Uppdraget som bryts ned har status '{parent.status}'; det ska vara mottaget och pågående.",
            field="part-of",
            rule="uppdragets_status",
        )
    if origin_beslut_id is not None and origin_beslut_id != parent.origin_beslut_id:
        raise InvalidInput(
            "Ett deluppdrag har samma politiska ursprung som uppdraget det bryter ned.",
            field="beslut",
            rule="sparbarhet",
        )
    assert parent.origin_beslut_id is not None
    return parent.origin_beslut_id


def required_origin(origin_beslut_id: UUID | None) -> UUID:
    """The decision named as origin of an uppdrag that breaks down no other; refuse none."""
    if origin_beslut_id is None:
        raise InvalidInput(
            "Ett uppdrag ska kunna spåras till ett politiskt beslut: ange "
            f"{field_named('beslut')}, eller {field_named('part-of')} för ett deluppdrag.",
            field="beslut",
            rule="sparbarhet",
        )
    return origin_beslut_id


def origin_from_beslut(
    giver: Position, beslut: Beslut, decider: Position, is_above: Callable[[str, str], bool]
) -> UUID:
    """The origin `beslut`, if it is a political organ's own decision from the giver or above it."""
    if beslut.delegering_id is not None or not decider.is_organ:
        raise InvalidInput(
            "Ursprunget ska vara ett politiskt organs beslut, inte ett delegationsbeslut.",
            field="beslut",
            rule="sparbarhet",
        )
    if decider.id != giver.id and not is_above(decider.id, giver.id):
        raise NotPermitted(
            f"Beslutet är fattat av '{decider.id}', som inte står över '{giver.id}'.",
            field="beslut",
            rule="sparbarhet",
        )
    return beslut.id
