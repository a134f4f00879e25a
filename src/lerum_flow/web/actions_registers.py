"""The register commands the web door records: a decision (beslut, with § and diarienummer), a
delegation granted and one revoked; each through the `Governance` method the command line calls.

A decision is taken by its organ (or by a delegate, with the delegation it rests
on): the person acts in the organ's position unless they name the one they act
in. A delegation is granted from the person's own position and revoked by the
position that granted it, as the domain requires.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.beslut_budget import budget_fields
from lerum_flow.domain.delegering import Delegering
from lerum_flow.web.actions import Actions, Request, business_day
from lerum_flow.web.identity import check_may_act


class RegisterActions:
    def __init__(self, actions: Actions) -> None:
        self.actions = actions
        self.record = actions.record

    def take_beslut(self, request: Request, body: dict[str, Any]) -> Outcome:
        on = business_day(body.get("date"))
        check_may_act(self.record, request.caller, on)
        organ = str(body.get("organ") or "")
        kind = str(body.get("kind") or "")
        budget = budget_fields(
            kind,
            on.isoformat(),
            body.get("budgetar") or None,
            tillaggsbudget=str(body.get("tillaggsbudget") or "").lower() in ("true", "ja", "on", "1"),
        )
        return self.actions.record_as(
            request,
            Governance.take_beslut,
            str(body.get("as") or organ),
            lambda identity: c.parse_command(
                c.TakeBeslut,
                **identity,
                decided_by=organ,
                kind=kind,
                diarienummer=body.get("diarienummer"),
                paragraf=body.get("paragraf") or "",
                title=body.get("title"),
                decided_on=on,
                matter=body.get("matter") or "",
                delegering_id=body.get("delegering") or None,
                **budget,
            ),
        )

    def grant_delegering(self, request: Request, body: dict[str, Any]) -> Outcome:
        on = business_day(body.get("valid-from"))
        granter = self.actions.own_position(request, body, on, "delegerar")
        to = body.get("to")
        return self.actions.record_as(
            request,
            Governance.grant_delegering,
            granter,
            lambda identity: c.parse_command(
                c.GrantDelegering,
                **identity,
                delegates=to if isinstance(to, list) else [to],
                matter=body.get("matter"),
                beslut_id=body.get("beslut") or None,
                urgent=str(body.get("urgent") or "").lower() in ("true", "ja", "on", "1"),
                parent_delegering_id=body.get("under") or None,
                valid_from=on,
                conditions=body.get("conditions") or "",
            ),
        )

    def revoke_delegering(self, request: Request, delegering_id: UUID, body: dict[str, Any]) -> Outcome:
        on = business_day(body.get("valid-from"))
        check_may_act(self.record, request.caller, on)
        with self.record.lock:
            delegering, _ = self.record.governance.read_with_events(Delegering, delegering_id)
        return self.actions.record_as(
            request,
            Governance.revoke_delegering,
            delegering.granted_by,
            lambda identity: c.parse_command(
                c.RevokeDelegering,
                **identity,
                delegering_id=delegering_id,
                reason=body.get("reason"),
                beslut_id=body.get("beslut") or None,
                valid_from=on,
            ),
        )
