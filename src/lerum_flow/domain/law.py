"""The law's rules on delegation (kommunallagen 5 kap. 1-2 §§, 6 kap. 37-40 §§, 7 kap. 5-8 §§).

Pure functions over positions and matters, shared by every municipality: the
styrmodell says who holds what, the law (here, with its data by version in
`kommunallag`) says what may be passed on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.kommunallag import Kommunallag, ReservedMatter, kommunallag_on
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
    # A matter KL 5 kap. 1 § leaves to fullmäktige alone, for those no kind of decision names.
    FULLMAKTIGE = "fullmaktige"


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
# Categories a styrmodell may give a matter only if it may never be delegated.
UNDELEGABLE_CATEGORIES = NEVER_DELEGABLE | {MatterCategory.FULLMAKTIGE}
# What the kinds of a matter are when the styrmodell does not say: individual cases.
DEFAULT_KINDS = frozenset({"ovrigt"})
# Fullmäktige lets a nämnd (the styrelse is one) decide in its place (KL 5 kap. 2 §).
NAMNDER = frozenset({PositionKind.STYRELSE, PositionKind.NAMND})


@dataclass(frozen=True)
class Matter:
    """A decision area (beslutsområde) as the styrmodell defines it."""

    code: str
    category: str
    holder: str
    # The kinds of decision taken in the matter: all a delegate in it may take.
    kinds: frozenset[str] = DEFAULT_KINDS


@dataclass(frozen=True)
class DelegationRequest:
    grantor: Position
    delegates: tuple[Position, ...]
    matter: Matter
    urgent: bool
    grantor_holds_matter: bool
    grantor_is_above_delegate: bool
    through_delegation: bool
    valid_from: date

    @property
    def law(self) -> Kommunallag:
        """The law in force on the delegation's first day."""
        return kommunallag_on(self.valid_from)


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
    reserved = reserved_matter(request.matter, request.law)
    if reserved is not None:
        raise NotPermitted(
            f"Beslutsområdet '{request.matter.code}' gäller {reserved.ground.cite()}, som bara fullmäktige "
            f"beslutar om, och får inte delegeras (KL {request.law.fullmaktige_delegates.paragraph}).",
            field="matter",
            rule="forbehallet_fullmaktige",
        )
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
    elif grantor.kind is PositionKind.FULLMAKTIGE and delegate.kind not in NAMNDER:
        raise NotPermitted(
            f"Fullmäktige uppdrar bara åt en nämnd eller styrelsen att besluta i dess ställe, inte åt "
            f"'{delegate.id}' ({delegate.kind}) (KL {request.law.fullmaktige_delegates.paragraph}).",
            field="to",
            rule="fullmaktige_delegerar_till_namnd",
        )
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


def reserved_matter(matter: Matter, law: Kommunallag) -> ReservedMatter | None:
    """What KL 5 kap. 1 § reserves to fullmäktige that `matter` is: by the kinds of decision taken in it,
    or, for reserved matters no kind names (elections, folkomröstning ...), by its category."""
    found = law.reserved_matter(matter.kinds)
    if found is None and matter.category == MatterCategory.FULLMAKTIGE:
        return ReservedMatter(law.fullmaktige_decides, frozenset())
    return found


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
