"""Beslut: a decision by an organ at a meeting, or by a delegate under a delegation."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.values import BeslutKind, BudgetKind


class Beslut(GovernanceAggregate):
    TOPIC = "lerum_flow:Beslut"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Beslut.Event"

    class Taken(Event, Aggregate.Created):
        """Decided by `decided_by` on `effective_on`; under `delegering_id` if delegated."""

        TOPIC = "lerum_flow:Beslut.Taken"
        decided_by: str
        kind: str
        diarienummer: str
        paragraf: str
        title: str
        matter: str
        delegering_id: UUID | None
        report_to: str
        # A budget decision's budget year and kind (BudgetKind). Added after events were
        # stored: those, and other decisions, have none (domain.plan_steps reads them so).
        budget_year: int | None = field(default=None, kw_only=True)
        budget_kind: str | None = field(default=None, kw_only=True)
        # The municipality's own document type the decision was taken as (its kind is the one the
        # type maps to); added after events were stored, and None when the kind was named itself.
        document_type: str | None = field(default=None, kw_only=True)

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.decided_by = self.decided_by
            aggregate.kind = self.kind
            aggregate.document_type = self.document_type
            aggregate.decided_on = self.effective_on
            aggregate.matter = self.matter
            aggregate.delegering_id = self.delegering_id
            aggregate.report_to = self.report_to
            aggregate.reported = False

    class Corrected(Event):
        """A recorded detail was wrong; the correction and its reason are kept beside it."""

        TOPIC = "lerum_flow:Beslut.Corrected"
        diarienummer: str
        paragraf: str
        title: str
        reason: str

    class Reported(Event):
        """A delegated decision was reported (anmält) to the delegating organ."""

        TOPIC = "lerum_flow:Beslut.Reported"
        reported_to: str
        minutes_paragraf: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.reported = True

    def __init__(self) -> None:
        super().__init__()
        self.decided_by = ""
        self.kind = ""
        self.document_type: str | None = None
        self.decided_on = date.min
        self.matter = ""
        self.delegering_id: UUID | None = None
        self.report_to = ""
        self.reported = False

    @classmethod
    def take(
        cls,
        beslut_id: UUID,
        stamp: Stamp,
        *,
        decided_by: str,
        kind: str,
        diarienummer: str,
        paragraf: str,
        title: str,
        matter: str = "",
        delegering_id: UUID | None = None,
        report_to: str = "",
        budget_year: int | None = None,
        budget_kind: str | None = None,
        document_type: str | None = None,
    ) -> Beslut:
        if delegering_id is None and not paragraf:
            raise InvalidInput(
                "Ett organs beslut ska ha en paragraf i protokollet (t.ex. '§ 12').",
                field="paragraf",
                rule="paragraf_kravs",
            )
        if delegering_id is not None and not report_to:
            raise InvalidInput(
                "Ett delegationsbeslut ska anmälas till ett organ.",
                field="delegering",
                rule="anmalan_kravs",
            )
        check_budget_fields(
            kind, effective_on=stamp.effective_on, budget_year=budget_year, budget_kind=budget_kind
        )
        # Fields added later are stored only when set: a decision without them reads as before.
        budget = {"budget_year": budget_year, "budget_kind": budget_kind, "document_type": document_type}
        return cls.start(
            cls.Taken,
            beslut_id,
            stamp,
            decided_by=decided_by,
            kind=kind,
            diarienummer=diarienummer,
            paragraf=paragraf,
            title=title,
            matter=matter,
            delegering_id=delegering_id,
            report_to=report_to,
            **{name: value for name, value in budget.items() if value is not None},
        )

    @property
    def awaits_report(self) -> bool:
        """A delegated decision opens an obligation to report it (anmälan) until reported."""
        return self.delegering_id is not None and not self.reported

    def correct(self, stamp: Stamp, *, diarienummer: str, paragraf: str, title: str, reason: str) -> None:
        if stamp.actor.position != self.decided_by:
            raise NotPermitted(
                f"Endast den som fattade beslutet ({self.decided_by}) kan rätta det.",
                field="as",
                rule="endast_beslutsfattaren_rattar",
            )
        if not reason.strip():
            raise InvalidInput("En rättelse ska ha ett skäl.", field="reason", rule="skal_kravs")
        self.record(
            self.Corrected, stamp, diarienummer=diarienummer, paragraf=paragraf, title=title, reason=reason
        )

    def report_to_organ(self, stamp: Stamp, *, minutes_paragraf: str) -> None:
        if self.delegering_id is None:
            raise InvalidState(
                "Beslutet är inte fattat på delegation och ska inte anmälas.",
                field="beslut",
                rule="anmalan_endast_delegationsbeslut",
            )
        if self.reported:
            raise InvalidState("Beslutet är redan anmält.", field="beslut", rule="redan_anmalt")
        if stamp.actor.position != self.report_to:
            raise NotPermitted(
                f"Beslutet anmäls till {self.report_to}, inte till '{stamp.actor.position}'.",
                field="as",
                rule="anmals_till_delegerande_organ",
            )
        self.record(self.Reported, stamp, reported_to=self.report_to, minutes_paragraf=minutes_paragraf)


def check_budget_fields(
    kind: str, *, effective_on: date, budget_year: int | None, budget_kind: str | None
) -> None:
    """Only a budget decision names a budget year and kind; the year is the one it is taken in or the next."""
    if budget_year is None and budget_kind is None:
        return
    if kind != str(BeslutKind.BUDGET):
        raise InvalidInput(
            "Budgetår och tilläggsbudget gäller bara beslut av slaget budget.",
            field="budgetar",
            rule="budgetuppgifter_endast_budget",
        )
    if budget_kind is not None and budget_kind not in set(BudgetKind):
        raise InvalidInput(
            f"Okänt slag av budget '{budget_kind}'; välj {' eller '.join(BudgetKind)}.",
            field="tillaggsbudget",
            rule="okant_budgetslag",
        )
    if budget_year is not None and budget_year not in (effective_on.year, effective_on.year + 1):
        raise InvalidInput(
            f"Budgetåret {budget_year} passar inte ett beslut den {effective_on.isoformat()}: "
            f"ett budgetbeslut gäller beslutsåret ({effective_on.year}) eller året efter "
            f"({effective_on.year + 1}).",
            field="budgetar",
            rule="budgetar_utanfor_beslutsaret",
        )
