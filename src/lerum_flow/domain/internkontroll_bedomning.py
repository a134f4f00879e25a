"""Internkontrollbedomning: KS's assessment of the municipality's internal control for one year.

Under its uppsiktsplikt (KL 6 kap. 1 §) kommunstyrelsen assesses, after the
year, whether the internal control of all organs was sufficient; one
assessment a year, adopted by KS's own decision.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidInput, NotPermitted
from lerum_flow.domain.internkontroll_rules import check_organs_own_decision
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.uppdrag import check_assessment
from lerum_flow.domain.values import derive_id


def internkontrollbedomning_id(year: int) -> UUID:
    """One assessment a year."""
    return derive_id("internkontrollbedomning", str(year))


class Internkontrollbedomning(GovernanceAggregate):
    TOPIC = "lerum_flow:Internkontrollbedomning"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Internkontrollbedomning.Event"

    class Assessed(Event, Aggregate.Created):
        """KS assessed the internal control of `year` on `effective_on`, by the decision `beslut_id`."""

        TOPIC = "lerum_flow:Internkontrollbedomning.Assessed"
        year: int
        assessment: str
        text: str
        beslut_id: UUID

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.year = self.year
            aggregate.assessed_on = self.effective_on

    def __init__(self) -> None:
        super().__init__()
        self.year = 0
        self.assessed_on = date.min

    @classmethod
    def assess(
        cls,
        bedomning_id: UUID,
        stamp: Stamp,
        *,
        assessor: Position,
        year: int,
        assessment: str,
        scale: list[str],
        text: str,
        beslut_id: UUID,
        decided_by: str,
        delegated: bool,
    ) -> Internkontrollbedomning:
        if assessor.kind is not PositionKind.STYRELSE:
            raise NotPermitted(
                f"Den interna kontrollen som helhet bedöms av kommunstyrelsen, inte av '{assessor.id}'.",
                field="as",
                rule="styrelsen_bedomer",
            )
        check_organs_own_decision(assessor.id, decided_by, delegated, done="Bedömningen görs")
        if stamp.effective_on < date(year + 1, 1, 1):
            raise InvalidInput(
                f"Året {year} bedöms när det är slut, från {year + 1}-01-01, inte "
                f"{stamp.effective_on.isoformat()}.",
                field="beslut",
                rule="aret_pagar",
            )
        check_assessment(assessment, scale)
        return cls.start(
            cls.Assessed,
            bedomning_id,
            stamp,
            year=year,
            assessment=assessment,
            text=text,
            beslut_id=beslut_id,
        )
