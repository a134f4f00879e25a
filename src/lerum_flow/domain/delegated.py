"""What rests on a delegation: the decision that grants one, and a decision taken under one.

Pure functions over loaded aggregates and positions: who may grant in which
matter, and whether a delegate's decision is carried by its delegation's whole
chain (`delegation_chain`) and falls within what its matter covers. The organ a
delegated decision is reported to (anmälan) is the one at the top of the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegation_chain import DelegationLink, broken_link
from lerum_flow.domain.errors import NotPermitted
from lerum_flow.domain.kommunallag import Kommunallag, kommunallag_on
from lerum_flow.domain.law import Matter
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.values import BeslutKind

GRANTING_KINDS = frozenset({str(BeslutKind.DELEGATIONSORDNING), str(BeslutKind.REGLEMENTE)})


def check_granting_beslut(grantor: Position, beslut: Beslut) -> None:
    """Refuse a delegation not granted by the grantor's own delegationsordning or reglemente."""
    if beslut.decided_by != grantor.id or beslut.kind not in GRANTING_KINDS:
        raise NotPermitted(
            f"En delegering ges genom ett beslut om delegationsordning eller reglemente av "
            f"'{grantor.id}'; beslutet är av '{beslut.decided_by}' och av slaget '{beslut.kind}'.",
            field="beslut",
            rule="delegationsbeslut",
        )


def grantor_holds_matter(
    grantor: Position, matter: Matter, parent_chain: Sequence[DelegationLink], valid_from: date
) -> bool:
    """Whether the grantor may decide in the matter: as its holder, or as the delegate of the
    delegation it passes on (`parent_chain`, its own first), carried by its whole chain on the
    first day of the new one."""
    if parent_chain:
        parent = parent_chain[0]
        return (
            parent.delegate == grantor.id
            and parent.matter == matter.code
            and broken_link(parent_chain, valid_from) is None
        )
    return matter.holder == grantor.id or grantor.kind is PositionKind.FULLMAKTIGE


@dataclass(frozen=True)
class DelegatedDecision:
    """A decision taken under a delegation: the delegation's chain (the delegate's own first, up to the
    organ's), who decides, on which day, in which matter (empty: the delegation's) and of which kind."""

    chain: Sequence[DelegationLink]
    decided_by: Position
    decided_on: date
    matter: str
    kind: str

    @property
    def law(self) -> Kommunallag:
        return kommunallag_on(self.decided_on)


def check_delegated_decision(decision: DelegatedDecision, covers: Callable[[str], Matter]) -> str:
    """Refuse a decision the delegation does not carry on its day; the matter it is taken in.

    `covers` gives the styrmodell's matter of a code, with the kinds of decision taken in it.
    """
    own = decision.chain[0]
    decider = decision.decided_by
    if own.delegate != decider.id:
        raise NotPermitted(
            f"Delegeringen gäller '{own.delegate}', inte '{decider.id}'.",
            field="delegering",
            rule="delegat",
        )
    broken = broken_link(decision.chain, decision.decided_on)
    if broken is not None:
        raise NotPermitted(broken.message, field=broken.field, rule=broken.rule)
    if decision.matter and decision.matter != own.matter:
        raise NotPermitted(
            f"Delegeringen gäller beslutsområdet '{own.matter}', inte '{decision.matter}'.",
            field="matter",
            rule="delegeringens_omrade",
        )
    _check_kind(decision, covers(own.matter))
    return own.matter


def _check_kind(decision: DelegatedDecision, matter: Matter) -> None:
    """A delegate takes only the kinds of decision its matter covers, never one only an organ takes,
    save a förvaltningschef's vidaredelegation under its own delegation (KL 7 kap. 6 §)."""
    kind, law = decision.kind, decision.law
    organ_only = law.organ_only_kinds.get(kind)
    if organ_only is not None:
        if (
            kind == str(BeslutKind.DELEGATIONSORDNING)
            and decision.decided_by.kind is PositionKind.FORVALTNINGSCHEF
        ):
            return
        subdelegation = (
            f"; vidaredelegation beslutas bara av en förvaltningschef (KL {law.vidaredelegation.paragraph})"
            if kind == str(BeslutKind.DELEGATIONSORDNING)
            else ""
        )
        raise NotPermitted(
            f"Ett beslut av slaget '{kind}' gäller {organ_only.cite()} och fattas bara av ett organ, "
            f"aldrig på delegation{subdelegation}.",
            field="kind",
            rule="endast_organ",
        )
    if kind not in matter.kinds:
        raise NotPermitted(
            f"Delegeringen gäller beslutsområdet '{matter.code}', som omfattar beslut av slaget "
            f"{', '.join(sorted(matter.kinds))}, inte '{kind}'.",
            field="kind",
            rule="beslutsslag_i_omradet",
        )
