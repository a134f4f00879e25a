"""Governing documents recorded through the application's own commands, for tests of every tier.

`policy_and_riktlinje(app)` records, on Lerum's styrmodell: KF's decision
and the policy it adopts (owned by the kommundirektör), and KS's decision
and a riktlinje under that policy. Other suites import this module as
`unit.styrdokument_world`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow import styrdokument_commands as sc
from lerum_flow.application import Governance, Outcome

POLICY_DAY = date(2027, 2, 15)
RIKTLINJE_DAY = date(2027, 4, 10)

COMMAND_OF: Mapping[str, type[c.Command]] = {
    "adopt_styrdokument": sc.AdoptStyrdokument,
    "revise_styrdokument": sc.ReviseStyrdokument,
    "review_styrdokument": sc.ReviewStyrdokument,
    "repeal_styrdokument": sc.RepealStyrdokument,
    "flag_styrdokument_for_review": sc.FlagStyrdokumentForReview,
    "report_overdue_review": sc.ReportOverdueReview,
}


def send(app: Governance, method: str, actor: str, **fields: Any) -> Outcome:
    """Parse a command on documents as `actor` and run it, as the CLI does."""
    fields.setdefault("person", f"p-{actor}")
    command = c.parse_command(COMMAND_OF[method], actor=actor, **fields)
    outcome: Outcome = getattr(app, method)(command)
    return outcome


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
