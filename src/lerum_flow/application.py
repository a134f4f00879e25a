"""Governance: the one application through which every governance fact is recorded and read.

Each command is validated at the edge, loaded, checked against the rules in
`lerum_flow.domain` (the styrkedja, the law, the delegations in force) and
saved; `lerum_flow.recording` makes the save happen once, whatever the
connection does. Reads of the record are the queries of `lerum_flow.reading`; the use cases on
deviations, governing documents and internal control are in `avvikelse_use_cases`,
`styrdokument_use_cases` and `internkontroll_cases`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lerum_flow import commands as c
from lerum_flow.appointments import Appointments
from lerum_flow.avvikelse_use_cases import AvvikelseUseCases
from lerum_flow.domain.acting import (
    check_not_auditor,
    check_organises_from_above,
    check_process_command,
    check_records_for_decider,
)
from lerum_flow.domain.adoption import check_holds_matter, check_organ_may_adopt
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.befattning import Befattning, befattning_id
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegated import (
    DelegatedDecision,
    check_delegated_decision,
    check_granting_beslut,
    grantor_holds_matter,
)
from lerum_flow.domain.delegering import Delegering, delegering_id
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotFound
from lerum_flow.domain.kommunallag import kommunallag_on
from lerum_flow.domain.law import DelegationRequest, check_delegation
from lerum_flow.domain.rapportutkast import Rapportutkast, check_digest, rapportutkast_id
from lerum_flow.domain.styrkedja import Position, check_establishable, establishable_kind, is_auditor
from lerum_flow.domain.tracing import (
    check_may_issue,
    origin_from_beslut,
    origin_through_parent,
    required_origin,
)
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import Actor
from lerum_flow.governing_model import GoverningModel, utc_now
from lerum_flow.internkontroll_cases import InternkontrollCases
from lerum_flow.reading import PositionTies
from lerum_flow.recording import Lookup, Outcome, serialised
from lerum_flow.styrdokument_use_cases import StyrdokumentUseCases
from lerum_flow.styrmodell.decision_kinds import decision_kind

# Outcome is part of this door: callers import it from here with Governance.
__all__ = ["Governance", "Outcome", "utc_now"]


class Governance(Appointments, AvvikelseUseCases, InternkontrollCases, StyrdokumentUseCases, GoverningModel):
    """Records beslut, delegeringar, uppdrag, avvikelser, styrdokument and internkontroll for one
    municipality, under its styrmodell (given, or the one the store recorded: see GoverningModel, which
    also records a new one), each by a person who held the acting position that day (see Appointments)."""

    name = "Governance"

    # --- organisation -------------------------------------------------------

    @serialised
    def establish_befattning(self, cmd: c.EstablishBefattning) -> Outcome:
        self.govern_on(cmd.established_on)  # the chain it is placed in is that day's
        kind = establishable_kind(cmd.code, cmd.kind, self.styrkedja)
        parent = self.position_on(cmd.parent, cmd.established_on, field="parent")
        check_establishable(kind, parent)
        # It may not outlive its parent: one discontinued from a later day than this is refused too.
        self.check_not_outlived(parent.id, None, what="en befattning under den", field="parent")
        stamp = self._stamp(cmd, cmd.established_on, require_above=parent.id)
        position = Position(id=cmd.code, name=cmd.name, kind=kind, parent=parent.id)
        new_id = befattning_id(cmd.code)
        return self._create(
            Befattning, new_id, stamp, lambda: Befattning.establish(new_id, stamp, position=position)
        )

    @serialised
    def discontinue_befattning(self, cmd: c.DiscontinueBefattning, *, ties: PositionTies) -> Outcome:
        """Discontinue an established position from a day: by whoever may establish one where it
        stands (it, or those above its parent), once nothing hangs on it from that day on (`ties`:
        read from the views, never from a walk of the log)."""
        self.govern_on(cmd.discontinued_on)
        befattning = self._established_befattning(cmd.code)
        parent = befattning.position.parent or befattning.position.id
        stamp = self._stamp(cmd, cmd.discontinued_on, require_above=parent)
        found = ties.ties(cmd.code, cmd.discontinued_on)
        outcome = self._update(
            Befattning, befattning.id, stamp, lambda b, s: b.discontinue(s, reason=cmd.reason, ties=found)
        )
        self.forget_established(cmd.code)
        return outcome

    def _established_befattning(self, code: str) -> Befattning:
        if code in self.styrkedja:
            raise InvalidState(
                f"'{code}' ingår i styrmodellens fasta del; den ändras genom en ny styrmodell, inte "
                "genom att avvecklas här.",
                field="id",
                rule="fast_befattning",
            )
        befattning = self._existing(Befattning, befattning_id(code))
        if befattning is None:
            raise NotFound(
                f"Befattningen '{code}' finns inte; bara en inrättad befattning kan avvecklas.",
                field="id",
                rule="okand_befattning",
            )
        return befattning

    # --- beslut ---------------------------------------------------------------

    @serialised
    def take_beslut(self, cmd: c.TakeBeslut) -> Outcome:
        stamp = self._stamp(cmd, cmd.decided_on)
        return self._create_once(cmd.beslut_id(), stamp, lambda lookup: self._take_beslut(cmd, stamp, lookup))

    def _take_beslut(self, cmd: c.TakeBeslut, stamp: Stamp, lookup: Lookup) -> Outcome:
        check_records_for_decider(stamp.actor.position, cmd.decided_by)
        decider = self.position_on(cmd.decided_by, cmd.decided_on, field="organ")
        named = decision_kind(self.styrmodell, cmd.kind)
        matter = cmd.matter
        report_to = ""
        if cmd.delegering_id is None:
            check_organ_may_adopt(decider, named.kind, self.styrmodell.dokumenttyper, named.document_type)
            if matter:
                check_holds_matter(decider, self.matter(matter))
        else:
            chain = self.delegation_chain(cmd.delegering_id)
            decision = DelegatedDecision(chain, decider, cmd.decided_on, matter, named.kind)
            matter = check_delegated_decision(decision, self.matter)
            report_to = chain[-1].granted_by  # the organ at the top of the chain
        beslut_id = cmd.beslut_id()
        return self._create(
            Beslut,
            beslut_id,
            stamp,
            lambda: Beslut.take(
                beslut_id,
                stamp,
                decided_by=cmd.decided_by,
                kind=named.kind,
                diarienummer=cmd.diarienummer,
                paragraf=cmd.paragraf,
                title=cmd.title,
                matter=matter,
                delegering_id=cmd.delegering_id,
                report_to=report_to,
                budget_year=cmd.budget_year,
                budget_kind=str(cmd.budget_kind) if cmd.budget_kind is not None else None,
                document_type=named.document_type,
                report_digest=self._adopted_draft(cmd, named.kind),
            ),
            lookup,
        )

    def _adopted_draft(self, cmd: c.TakeBeslut, kind: str) -> str | None:
        """The digest of the report draft the decision adopts, once that draft is known and of its kind."""
        if cmd.report_digest is None:
            return None
        check_digest(cmd.report_digest, field="rapport-digest")
        draft = self._existing(Rapportutkast, rapportutkast_id(cmd.report_digest))
        if draft is None:
            raise NotFound(
                f"Inget rapportutkast har sha256-summan {cmd.report_digest}; registrera utkastet med "
                "'rapport ... --registrera' först.",
                field="rapport-digest",
                rule="okant_utkast",
            )
        draft.check_adopted_by(kind)
        return cmd.report_digest

    @serialised
    def record_rapportutkast(self, cmd: c.RecordRapportutkast) -> Outcome:
        stamp = self._stamp(cmd, cmd.made_on)
        return self._create(
            Rapportutkast,
            rapportutkast_id(cmd.digest),
            stamp,
            lambda: Rapportutkast.make(
                stamp,
                report=cmd.report,
                title=cmd.title,
                digest=cmd.digest,
                log_position=cmd.log_position,
                as_of=cmd.as_of,
                known_on=cmd.known_on,
            ),
        )

    @serialised
    def correct_beslut(self, cmd: c.CorrectBeslut) -> Outcome:
        stamp = self._stamp(cmd, cmd.corrected_on)
        return self._update(
            Beslut,
            cmd.beslut_id,
            stamp,
            lambda b, s: b.correct(
                s, diarienummer=cmd.diarienummer, paragraf=cmd.paragraf, title=cmd.title, reason=cmd.reason
            ),
        )

    @serialised
    def report_beslut(self, cmd: c.ReportBeslut) -> Outcome:
        stamp = self._stamp(cmd, cmd.reported_on)
        return self._update(
            Beslut,
            cmd.beslut_id,
            stamp,
            lambda b, s: b.report_to_organ(s, minutes_paragraf=cmd.minutes_paragraf),
        )

    # --- delegering -------------------------------------------------------------

    @serialised
    def grant_delegering(self, cmd: c.GrantDelegering) -> Outcome:
        stamp = self._stamp(cmd, cmd.valid_from)
        if len(cmd.delegates) == 1:
            retry_id = delegering_id(cmd.beslut_id, cmd.matter, cmd.delegates[0])
            return self._create_once(
                retry_id, stamp, lambda lookup: self._grant_delegering(cmd, stamp, lookup)
            )
        return self._grant_delegering(cmd, stamp, None)

    def _grant_delegering(self, cmd: c.GrantDelegering, stamp: Stamp, lookup: Lookup | None) -> Outcome:
        grantor = self.position(stamp.actor.position, field="as")
        delegates = tuple(self.position_on(code, cmd.valid_from, field="to") for code in cmd.delegates)
        matter = self.matter(cmd.matter)
        check_granting_beslut(grantor, self._get(Beslut, cmd.beslut_id, field="beslut"))
        parent_chain = (
            self.delegation_chain(cmd.parent_delegering_id, field="under")
            if cmd.parent_delegering_id is not None
            else ()
        )
        delegate = check_delegation(
            DelegationRequest(
                grantor=grantor,
                delegates=delegates,
                matter=matter,
                urgent=cmd.urgent,
                grantor_holds_matter=grantor_holds_matter(grantor, matter, parent_chain, cmd.valid_from),
                grantor_is_above_delegate=all(self.is_above(grantor.id, d.id) for d in delegates),
                through_delegation=bool(parent_chain),
                valid_from=cmd.valid_from,
            )
        )
        # Granted until revoked: to a position discontinued from a later day, it would outlive it.
        self.check_not_outlived(delegate.id, None, what="en delegering till den", field="to")
        new_id = delegering_id(cmd.beslut_id, matter.code, delegate.id)
        return self._create(
            Delegering,
            new_id,
            stamp,
            lambda: Delegering.grant(
                new_id,
                stamp,
                granted_by=grantor.id,
                delegate=delegate.id,
                matter=matter.code,
                urgent=cmd.urgent,
                beslut_id=cmd.beslut_id,
                parent_id=cmd.parent_delegering_id,
                conditions=cmd.conditions,
            ),
            lookup,
        )

    @serialised
    def revoke_delegering(self, cmd: c.RevokeDelegering) -> Outcome:
        stamp = self._stamp(cmd, cmd.valid_from)
        return self._update(
            Delegering,
            cmd.delegering_id,
            stamp,
            lambda d, s: d.revoke(s, reason=cmd.reason, beslut_id=cmd.beslut_id),
        )

    # --- uppdrag ----------------------------------------------------------------

    @serialised
    def issue_uppdrag(self, cmd: c.IssueUppdrag) -> Outcome:
        stamp = self._stamp(cmd, cmd.issued_on)
        return self._create_once(
            cmd.uppdrag_id(), stamp, lambda lookup: self._issue_uppdrag(cmd, stamp, lookup)
        )

    def _issue_uppdrag(self, cmd: c.IssueUppdrag, stamp: Stamp, lookup: Lookup) -> Outcome:
        giver = self.position(stamp.actor.position, field="as")
        recipient = self.position_on(cmd.recipient, cmd.issued_on, field="to")
        check_may_issue(
            giver,
            recipient,
            cmd.kind,
            giver_is_above=self.is_above(giver.id, recipient.id),
            law=kommunallag_on(cmd.issued_on),
        )
        if cmd.parent_id is not None:
            parent = self._get(Uppdrag, cmd.parent_id, field="part-of")
            origin = origin_through_parent(giver, parent, cmd.origin_beslut_id)
        else:
            beslut = self._get(Beslut, required_origin(cmd.origin_beslut_id), field="beslut")
            decider = self.position(beslut.decided_by, field="beslut")
            origin = origin_from_beslut(giver, beslut, decider, self.is_above)
        self._check_due_before_gone((giver.id, recipient.id), cmd.due)
        uppdrag_id = cmd.uppdrag_id()
        return self._create(
            Uppdrag,
            uppdrag_id,
            stamp,
            lambda: Uppdrag.issue(
                uppdrag_id,
                stamp,
                kind=str(cmd.kind),
                giver=giver.id,
                recipient=recipient.id,
                title=cmd.title,
                description=cmd.description,
                due=cmd.due,
                origin_beslut_id=origin,
                parent_id=cmd.parent_id,
            ),
            lookup,
        )

    @serialised
    def accept_uppdrag(self, cmd: c.AcceptUppdrag) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.accept(s))

    @serialised
    def report_uppdrag(self, cmd: c.ReportUppdrag) -> Outcome:
        # The scale is read once the command is stamped: it is that of the day's styrmodell.
        return self._on_uppdrag(
            cmd,
            lambda u, s: u.report(
                s,
                assessment=cmd.assessment,
                text=cmd.text,
                period=cmd.period,
                scale=self.styrmodell.assessment_codes(),
            ),
        )

    @serialised
    def accept_report(self, cmd: c.AcceptReport) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.accept_report(s, comment=cmd.comment))

    @serialised
    def return_report(self, cmd: c.ReturnReport) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.return_report(s, reason=cmd.reason))

    @serialised
    def revise_uppdrag(self, cmd: c.ReviseUppdrag) -> Outcome:
        def revise(u: Uppdrag, s: Stamp) -> None:
            if not cmd.title and cmd.description is None and cmd.due is None:
                raise InvalidInput(
                    "Ange vad som ändras: --title, --description eller --due.",
                    field="title",
                    rule="andring_kravs",
                )
            if cmd.due is not None:
                self._check_due_before_gone((u.giver, u.recipient), cmd.due)
            u.revise(
                s,
                title=cmd.title or u.title,
                description=cmd.description if cmd.description is not None else u.description,
                due=cmd.due if cmd.due is not None else u.due,
                reason=cmd.reason,
            )

        return self._on_uppdrag(cmd, revise)

    def _check_due_before_gone(self, positions: tuple[str, str], due: date | None) -> None:
        """An uppdrag open (until `due`; None: until done) on the day its recipient or giver is
        discontinued from would have no one to report, or no one to report to."""
        for code in positions:
            self.check_not_outlived(
                code, due, what="uppdraget", field="due", remedy="det måste ha ett sista datum före dess"
            )

    @serialised
    def complete_uppdrag(self, cmd: c.CompleteUppdrag) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.complete(s, comment=cmd.comment))

    @serialised
    def withdraw_uppdrag(self, cmd: c.WithdrawUppdrag) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.withdraw(s, reason=cmd.reason))

    def _on_uppdrag(self, cmd: c.UppdragCommand, change: Callable[[Uppdrag, Stamp], None]) -> Outcome:
        return self._update(Uppdrag, cmd.uppdrag_id, self._stamp(cmd, cmd.on), change)

    # --- stamps ---------------------------------------------------------------------

    def _stamp(
        self,
        cmd: c.Command,
        effective_on: date,
        *,
        require_above: str | None = None,
        under_model: bool = True,
    ) -> Stamp:
        # A command reads the established positions afresh: `govern_on` forgets them, as must a
        # command taken outside the model's days.
        if under_model:
            self.govern_on(effective_on)
        else:
            self.forget_established()
        actor = self.position_on(cmd.actor, effective_on, field="as")
        check_not_auditor(is_auditor(actor, self.position))
        self.check_acting(actor.id, cmd.person, effective_on)
        if require_above is not None:
            check_organises_from_above(actor, require_above, self.is_above)
        return Stamp(
            command_id=cmd.derived_command_id(),
            explicit_id=cmd.command_id is not None,
            actor=Actor(position=actor.id, person=cmd.person, process=cmd.process),
            recorded_at=self.clock(),
            effective_on=effective_on,
            secrecy=cmd.secrecy,
            correction=cmd.correction,
        )

    def _process_stamp(self, cmd: c.Command, effective_on: date) -> Stamp:
        self.govern_on(effective_on)
        return Stamp(
            command_id=check_process_command(cmd.actor, c.PROCESS_ACTOR, cmd.command_id),
            actor=Actor(position=c.PROCESS_ACTOR, person=cmd.person, process=cmd.process),
            recorded_at=self.clock(),
            effective_on=effective_on,
            secrecy=cmd.secrecy,
            explicit_id=True,
            correction=cmd.correction,
        )
