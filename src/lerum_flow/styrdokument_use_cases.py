"""The use cases on governing documents (styrdokument): adopt, revise, review and repeal, and the
review process's own two steps; `Governance` has them from here.

Each change rests on a recorded decision: it is recorded in the deciding
position's name, and the decision must be of the kind, and by the kind of
organ, that the styrmodell names for the document's type
(`domain.styrdokument_rules`). The review process flags the documents under
one that changed and reports a review not made in time as a deviation at
the owner's level.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

from lerum_flow import styrdokument_commands as sc
from lerum_flow.domain.acting import check_records_for_decider
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.domain.styrdokument_rules import (
    DocumentKind,
    check_after_decision,
    check_decision_adopts,
    check_parent,
    check_same_or_higher_organ,
    check_within,
    known_kind,
    overdue_avvikelse_id,
    overdue_classification,
    review_due,
)
from lerum_flow.domain.values import AvvikelseSubject
from lerum_flow.reading import Children
from lerum_flow.recording import Lookup, Outcome, serialised
from lerum_flow.use_cases import UseCases

# What a change makes of a document, given the decision it rests on and the document's type.
Change = Callable[[Styrdokument, Beslut, DocumentKind, Stamp], None]

# How a deviation about a document names it (subject kind "handelse").
SUBJECT_PREFIX = "styrdokument:"


class StyrdokumentUseCases(UseCases):
    """Governing documents: recorded on decisions, reviewed on time (see `Governance`)."""

    def document_kind(self, code: str) -> DocumentKind:
        """A document type of the styrmodell; refused if it has none of that code."""
        return known_kind(code, self.styrmodell.dokumenttyper)

    # --- a person's decisions -----------------------------------------------------------

    @serialised
    def adopt_styrdokument(self, cmd: sc.AdoptStyrdokument) -> Outcome:
        beslut = self._get(Beslut, cmd.beslut_id, field="beslut")
        stamp = self._stamp(cmd, cmd.valid_from or beslut.decided_on)
        return self._create_once(
            cmd.styrdokument_id(), stamp, lambda lookup: self._adopt(cmd, beslut, stamp, lookup)
        )

    def _adopt(self, cmd: sc.AdoptStyrdokument, beslut: Beslut, stamp: Stamp, lookup: Lookup) -> Outcome:
        kind = self.document_kind(cmd.document_type)
        check_records_for_decider(stamp.actor.position, beslut.decided_by)
        organ = self.position(beslut.decided_by, field="beslut")
        check_decision_adopts(kind, beslut, organ)
        check_after_decision(beslut.decided_on, stamp.effective_on, field="valid-from")
        scope = self.position_on(cmd.scope or organ.id, stamp.effective_on, field="scope")
        check_within(organ, scope, self.is_above, field="scope")
        owner = self.position_on(cmd.owner, stamp.effective_on, field="owner")
        check_within(organ, owner, self.is_above, field="owner")
        # In force until repealed: neither its scope nor its owner may be gone while it applies.
        self.check_not_outlived(scope.id, None, what="ett styrdokument för den", field="scope")
        self._check_owner_outlives(owner.id)
        parent = (
            self._get(Styrdokument, cmd.parent_styrdokument_id, field="parent")
            if cmd.parent_styrdokument_id is not None
            else None
        )
        check_parent(kind, parent, stamp.effective_on)
        new_id = cmd.styrdokument_id()
        return self._create(
            Styrdokument,
            new_id,
            stamp,
            lambda: Styrdokument.adopt(
                new_id,
                stamp,
                document_type=kind.kod,
                title=cmd.title,
                adopted_by=organ.id,
                beslut_id=beslut.id,
                decided_on=beslut.decided_on,
                owner=owner.id,
                scope=scope.id,
                parent_id=cmd.parent_styrdokument_id,
                review_by=review_due(stamp.effective_on, kind.aktualitetsprovas_ar),
            ),
            lookup,
        )

    @serialised
    def revise_styrdokument(self, cmd: sc.ReviseStyrdokument) -> Outcome:
        def revise(doc: Styrdokument, beslut: Beslut, kind: DocumentKind, s: Stamp) -> None:
            owner = ""
            if cmd.owner:
                owner = self.position_on(cmd.owner, s.effective_on, field="owner").id
                check_within(
                    self.position(doc.adopted_by), self.position(owner), self.is_above, field="owner"
                )
                self._check_owner_outlives(owner)
            doc.revise(
                s,
                beslut_id=beslut.id,
                decided_on=beslut.decided_on,
                decided_by=beslut.decided_by,
                title=cmd.title,
                owner=owner,
                summary=cmd.reason,
                review_by=review_due(s.effective_on, kind.aktualitetsprovas_ar),
            )

        return self._decide_on(cmd, cmd.valid_from, "valid-from", revise)

    def _check_owner_outlives(self, owner: str) -> None:
        """The owner answers for the document until it is repealed, on no known last day."""
        self.check_not_outlived(owner, None, what="ett styrdokument den äger", field="owner")

    @serialised
    def review_styrdokument(self, cmd: sc.ReviewStyrdokument) -> Outcome:
        def review(doc: Styrdokument, beslut: Beslut, kind: DocumentKind, s: Stamp) -> None:
            doc.review(
                s,
                beslut_id=beslut.id,
                decided_by=beslut.decided_by,
                review_by=review_due(s.effective_on, kind.aktualitetsprovas_ar),
            )

        return self._decide_on(cmd, None, "beslut", review)

    @serialised
    def repeal_styrdokument(self, cmd: sc.RepealStyrdokument) -> Outcome:
        def repeal(doc: Styrdokument, beslut: Beslut, kind: DocumentKind, s: Stamp) -> None:
            if cmd.successor_id is None:
                doc.repeal(s, beslut_id=beslut.id, decided_by=beslut.decided_by, reason=cmd.reason)
                return
            successor = self._get(Styrdokument, cmd.successor_id, field="replaced-by")
            doc.supersede(s, beslut_id=beslut.id, decided_by=beslut.decided_by, successor=successor)

        return self._decide_on(cmd, cmd.valid_until, "date", repeal)

    def _decide_on(
        self, cmd: sc.StyrdokumentDecision, effective_on: date | None, date_field: str, change: Change
    ) -> Outcome:
        """Record `change` of a document on the decision the command names, if that decision may make it."""
        beslut = self._get(Beslut, cmd.beslut_id, field="beslut")
        stamp = self._stamp(cmd, effective_on or beslut.decided_on)

        def decide(doc: Styrdokument, s: Stamp) -> None:
            kind = self.document_kind(doc.document_type)
            check_records_for_decider(s.actor.position, beslut.decided_by)
            organ = self.position(beslut.decided_by, field="beslut")
            check_decision_adopts(kind, beslut, organ)
            check_same_or_higher_organ(organ.id, doc.adopted_by, self.is_above)
            check_after_decision(beslut.decided_on, s.effective_on, field=date_field)
            change(doc, beslut, kind, s)

        return self._update(Styrdokument, cmd.styrdokument_id, stamp, decide)

    # --- the review process -------------------------------------------------------------

    @serialised
    def flag_styrdokument_for_review(self, cmd: sc.FlagStyrdokumentForReview) -> Outcome:
        """The document a document derives from changed: it is flagged to be reviewed against it."""
        return self._update(
            Styrdokument,
            cmd.styrdokument_id,
            self._process_stamp(cmd, cmd.on),
            lambda doc, s: doc.flag_for_review(s, parent_id=cmd.parent_styrdokument_id, cause=cmd.cause),
        )

    @serialised
    def report_overdue_review(self, cmd: sc.ReportOverdueReview) -> Outcome:
        """A review due by `review_by` was not made: a deviation at the owner's level, once."""
        doc = self._get(Styrdokument, cmd.styrdokument_id, field="styrdokument")
        stamp = self._process_stamp(cmd, cmd.review_by + timedelta(days=1))
        avvikelse_id = overdue_avvikelse_id(doc.id, cmd.review_by)
        return self._create_once(
            avvikelse_id, stamp, lambda lookup: self._report_overdue(doc, cmd.review_by, stamp, lookup)
        )

    def _report_overdue(self, doc: Styrdokument, review_by: date, stamp: Stamp, lookup: Lookup) -> Outcome:
        doc.check_review_overdue(review_by, stamp.effective_on)
        # The review was due of whoever owned it that day: a hand-over decided for a later day, and a
        # retitle, had not happened yet.
        owner = self.position(doc.owner_on(review_by), field="owner")
        title = doc.title_on(review_by)
        severity, category = overdue_classification(
            self.styrmodell.severity_codes(), self.styrmodell.avvikelsekategorier
        )
        kind = self.styrmodell.dokumenttyp(doc.document_type)
        avvikelse_id = lookup.id
        return self._create(
            Avvikelse,
            avvikelse_id,
            stamp,
            lambda: Avvikelse.report(
                avvikelse_id,
                stamp,
                subject_kind=str(AvvikelseSubject.HANDELSE),
                subject_ref=f"{SUBJECT_PREFIX}{doc.id}",
                severity=severity,
                category=category,
                description=f"{kind.namn if kind else doc.document_type} '{title}' skulle ha "
                f"aktualitetsprövats senast {review_by.isoformat()}.",
                level=owner.id,
            ),
            lookup,
        )

    # --- reads ----------------------------------------------------------------------------

    def styrdokument_under(
        self, parent_id: UUID, on: date, *, children: Children | None = None
    ) -> list[Styrdokument]:
        """The documents deriving directly from `parent_id` that are in force, and were on `on`
        (one adopted later was adopted against what the parent was by then). `children` finds the
        documents adopted under it (the styrdokument view's index, `lerum_flow.view_lookups`);
        without it every adoption in the log is read."""
        found = children([parent_id]) if children is not None else self._adopted_under(parent_id)
        return [
            child
            for child in (self._get(Styrdokument, i) for i in found)
            if child.in_force and child.in_force_on(on)
        ]

    def _adopted_under(self, parent_id: UUID) -> list[UUID]:
        return [
            event.originator_id
            for page in self.pages(topics=[Styrdokument.Adopted.TOPIC])
            for notification in page.notifications
            if isinstance(event := self.to_event(notification), Styrdokument.Adopted)
            and event.parent_id == parent_id
        ]
