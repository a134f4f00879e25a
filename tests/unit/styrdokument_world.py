"""Governing documents recorded through the application's own commands, for tests of every tier.

`policy_and_riktlinje(app)` records, on Lerum's styrmodell: KF's decision
and the policy it adopts (owned by the kommundirektör), and KS's decision
and a riktlinje under that policy. Other suites import this module as
`unit.styrdokument_world`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from unit.governance_world import send

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.styrdokument import Styrdokument

POLICY_DAY = date(2027, 2, 15)
RIKTLINJE_DAY = date(2027, 4, 10)


def decide(
    app: Governance, organ: str, on: date, title: str, *, kind: str = "ovrigt", number: int = 1, **fields: Any
) -> UUID:
    """A decision of `organ` at its meeting on `on` (§ `number`), recorded as the organ."""
    return app.take_beslut(
        c.parse_command(
            c.TakeBeslut,
            actor=organ,
            person=f"p-{organ}",
            decided_by=organ,
            kind=kind,
            diarienummer=f"{organ.upper()} {on.year}/{number}",
            paragraf=f"§ {number}" if "delegering_id" not in fields else "",
            title=title,
            decided_on=on,
            **fields,
        )
    ).id


def adopt_fields(beslut: UUID, document_type: str, **fields: Any) -> dict[str, Any]:
    """The fields of an adoption on `beslut`, with a title and KS as owner unless given."""
    return {"beslut_id": beslut, "document_type": document_type, "title": "Dokument", "owner": "ks", **fields}


def document(app: Governance, document_id: UUID) -> Styrdokument:
    found = app.get_record(document_id)
    assert isinstance(found, Styrdokument)
    return found


def adopt(
    app: Governance, organ: str, beslut: UUID, document_type: str, title: str, owner: str, **fields: Any
) -> UUID:
    return send(
        app,
        "adopt_styrdokument",
        organ,
        beslut_id=beslut,
        document_type=document_type,
        title=title,
        owner=owner,
        **fields,
    ).id


def revise(
    app: Governance, organ: str, document_id: UUID, on: date, decided_on: date, number: int, **fields: Any
) -> None:
    """`organ` revises the document from `on`, on its decision (§ `number`) of `decided_on`."""
    beslut = decide(app, organ, decided_on, "Revidering", number=number)
    send(
        app,
        "revise_styrdokument",
        organ,
        styrdokument_id=document_id,
        beslut_id=beslut,
        valid_from=on,
        reason="Reviderad.",
        **fields,
    )


@dataclass(frozen=True)
class Documents:
    policy_beslut: UUID
    policy: UUID
    riktlinje_beslut: UUID
    riktlinje: UUID


def policy_and_riktlinje(app: Governance) -> Documents:
    policy_beslut = decide(app, "kf", POLICY_DAY, "Antagande av inköpspolicy", number=12)
    policy = adopt(app, "kf", policy_beslut, "policy", "Inköpspolicy", "kommundirektor")
    riktlinje_beslut = decide(
        app, "ks", RIKTLINJE_DAY, "Antagande av riktlinje för direktupphandling", number=40
    )
    riktlinje = adopt(
        app,
        "ks",
        riktlinje_beslut,
        "riktlinje",
        "Riktlinje för direktupphandling",
        "kommundirektor",
        parent_styrdokument_id=policy,
    )
    return Documents(policy_beslut, policy, riktlinje_beslut, riktlinje)
