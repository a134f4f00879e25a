"""Beslut: a decision by an organ at a meeting, or by a delegate under a delegation."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted


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

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.decided_by = self.decided_by
            aggregate.kind = self.kind
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
