"""What rests on a delegation: the decision that grants one, and a decision taken under one.

Pure functions over loaded aggregates and positions: who may grant in which
matter, whether a delegate's decision falls within the delegation in force,
and to which organ a delegated decision is reported (anmälan).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.errors import NotPermitted
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
    grantor: Position, matter: Matter, parent: Delegering | None, valid_from: date
) -> bool:
    """Whether the grantor may decide in the matter: as its holder, or as the delegate of the
    delegation it passes on (in force on the first day of the new one)."""
    if parent is not None:
        return (
            parent.delegate == grantor.id and parent.matter == matter.code and parent.in_force_on(valid_from)
        )
    return matter.holder == grantor.id or grantor.kind is PositionKind.FULLMAKTIGE


def check_delegated_decision(delegering: Delegering, decided_by: str, decided_on: date, matter: str) -> str:
    """Refuse a decision outside the delegation it is taken under; the matter it is taken in."""
    if delegering.delegate != decided_by:
        raise NotPermitted(
            f"Delegeringen gäller '{delegering.delegate}', inte '{decided_by}'.",
            field="delegering",
            rule="delegat",
        )
    if not delegering.in_force_on(decided_on):
        raise NotPermitted(
            f"Delegeringen gällde inte {decided_on.isoformat()} (gäller från "
            f"{delegering.valid_from.isoformat()}"
            + (f" till {delegering.valid_until.isoformat()}" if delegering.valid_until else "")
            + ").",
            field="date",
            rule="delegering_i_kraft",
        )
    if matter and matter != delegering.matter:
        raise NotPermitted(
            f"Delegeringen gäller beslutsområdet '{delegering.matter}', inte '{matter}'.",
            field="matter",
            rule="delegeringens_omrade",
        )
    return delegering.matter


def reporting_organ(delegering: Delegering, organ_above: Callable[[UUID], str]) -> str:
    """The organ a decision under `delegering` is reported to: the one that delegated, or for a
    sub-delegation the organ at the top of the chain (`organ_above(parent_id)`)."""
    if delegering.parent_id is None:
        return delegering.granted_by
    return organ_above(delegering.parent_id)
