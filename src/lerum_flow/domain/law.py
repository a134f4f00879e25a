"""The law's rules on delegation (kommunallagen 6 kap. 37-40 §§, 7 kap. 5-8 §§).

Pure functions over positions and matters, shared by every municipality: the
styrmodell says who holds what, the law says what may be passed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.styrkedja import Position, PositionKind


class MatterCategory(StrEnum):
    """What kind of matter a decision area is; the law forbids delegating some kinds."""

    MAL = "mal"
    INRIKTNING = "inriktning"
    OMFATTNING = "omfattning"
    KVALITET = "kvalitet"
    YTTRANDE_TILL_FULLMAKTIGE = "yttrande_till_fullmaktige"
    PRINCIPIELL_MYNDIGHETSUTOVNING = "principiell_myndighetsutovning"
    VERKSTALLIGHET = "verkstallighet"
    ARENDE = "arende"


# Matters an organ must decide itself (KL 6 kap. 38 §): goals, direction,
# scope and quality of the activity, proposals and statements to KF, and
# exercise of public authority of principle; with how a refusal names them.
NEVER_DELEGABLE_LABELS: dict[str, str] = {
    MatterCategory.MAL: "mål",
    MatterCategory.INRIKTNING: "verksamhetens inriktning",
    MatterCategory.OMFATTNING: "verksamhetens omfattning",
    MatterCategory.KVALITET: "verksamhetens kvalitet",
    MatterCategory.YTTRANDE_TILL_FULLMAKTIGE: "framställningar och yttranden till fullmäktige",
    MatterCategory.PRINCIPIELL_MYNDIGHETSUTOVNING: "myndighetsutövning av principiell beskaffenhet",
}
NEVER_DELEGABLE = frozenset(NEVER_DELEGABLE_LABELS)


@dataclass(frozen=True)
class Matter:
    """A decision area (beslutsområde) as the styrmodell defines it."""

    code: str
    category: str
    holder: str


@dataclass(frozen=True)
class DelegationRequest:
    grantor: Position
    delegates: tuple[Position, ...]
    matter: Matter
    urgent: bool
    grantor_holds_matter: bool
    grantor_is_above_delegate: bool
    through_delegation: bool


def check_delegation(request: DelegationRequest) -> Position:
    """Refuse a delegation the law forbids; return the one delegate."""
    if len(request.delegates) != 1:
        raise InvalidInput(
            "En delegering går till exakt en mottagare; beslutanderätt får aldrig "
            f"delegeras gemensamt till flera ({len(request.delegates)} angivna).",
            field="to",
            rule="aldrig_gemensam_delegering",
        )
    delegate = request.delegates[0]
    grantor = request.grantor
    if request.matter.category in NEVER_DELEGABLE:
        raise NotPermitted(
            f"Beslutsområdet '{request.matter.code}' gäller {NEVER_DELEGABLE_LABELS[request.matter.category]}"
            " och får inte delegeras (KL 6 kap. 38 §).",
            field="matter",
            rule="ej_delegerbart",
        )
    if not request.grantor_holds_matter:
        raise NotPermitted(
            f"'{grantor.id}' har inte själv beslutanderätten i '{request.matter.code}' och kan "
            "därför inte delegera den.",
            field="as",
            rule="kan_bara_delegera_egen_beslutanderatt",
        )
    if not request.grantor_is_above_delegate:
        raise NotPermitted(
            f"'{delegate.id}' står inte under '{grantor.id}' i styrkedjan.",
            field="to",
            rule="delegat_under_delegerande",
        )
    if request.through_delegation:
        _check_subdelegation(grantor, delegate, request.urgent)
    elif not grantor.is_organ:
        raise NotPermitted(
            f"'{grantor.id}' är inte en nämnd eller styrelse och saknar egen beslutanderätt att delegera.",
            field="as",
            rule="endast_organ_delegerar",
        )
    if request.urgent and grantor.chair != delegate.id:
        raise NotPermitted(
            "Brådskande ärenden får bara delegeras till ordföranden"
            + (f" ('{grantor.chair}')" if grantor.chair else "")
            + " (KL 6 kap. 39 §).",
            field="to",
            rule="bradskande_endast_ordforande",
        )
    if delegate.kind is PositionKind.FULLMAKTIGE:
        raise InvalidInput("Fullmäktige kan inte vara delegat.", field="to", rule="ogiltig_delegat")
    return delegate


def _check_subdelegation(grantor: Position, delegate: Position, urgent: bool) -> None:
    if grantor.kind is not PositionKind.FORVALTNINGSCHEF:
        raise NotPermitted(
            f"Vidaredelegation får bara göras av en förvaltningschef, inte av '{grantor.id}' "
            f"({grantor.kind}) (KL 7 kap. 6 §).",
            field="as",
            rule="vidaredelegation_endast_forvaltningschef",
        )
    if not delegate.is_official:
        raise NotPermitted(
            f"Vidaredelegation får bara ges till en anställd, inte till '{delegate.id}'.",
            field="to",
            rule="vidaredelegation_till_anstalld",
        )
    if urgent:
        raise NotPermitted(
            "Brådskande ärenden kan inte vidaredelegeras.",
            field="urgent",
            rule="bradskande_endast_ordforande",
        )
