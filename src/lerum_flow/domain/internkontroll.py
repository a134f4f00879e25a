"""Internkontrollplan: one organ's yearly plan for internal control (KL 6 kap. 6 §), and its year.

The plan is drafted (risks, and a control for each risk chosen for control),
adopted by the organ's own decision, followed through the year (each control's
results) and reported to KS with the delårsrapport and after the year. Risks
and controls are numbered in the order they are added: "risk 2", "kontroll 3".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import DecidedAheadEvent, GovernanceAggregate, Stamp
from lerum_flow.domain.dated_value import DatedValue
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotFound, NotPermitted, field_named
from lerum_flow.domain.internkontroll_rules import check_organs_own_decision, check_step
from lerum_flow.domain.values import Frekvens, InternkontrollplanStatus, Rapportperiod, Utfall, derive_id


def internkontrollplan_id(organ: str, year: int) -> UUID:
    """One plan per organ and year."""
    return derive_id("internkontrollplan", organ, str(year))


@dataclass(frozen=True)
class Control:
    risk: int
    # Who performs it, from the day each was given it: the planned owner, then each hand-over.
    owners: DatedValue
    title: str = ""
    frequency: Frekvens = Frekvens.AR

    @property
    def owner(self) -> str:
        """The owner recorded last."""
        return self.owners.latest

    def owner_on(self, day: date) -> str:
        """Who performs it on `day`: a hand-over decided for a later day has not happened yet."""
        return self.owners.on(day)


class Internkontrollplan(GovernanceAggregate):
    TOPIC = "lerum_flow:Internkontrollplan"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Internkontrollplan.Event"

    class Opened(Event, Aggregate.Created):
        """`organ`'s plan for `year` is drafted; `effective_on` is the day drafting began."""

        TOPIC = "lerum_flow:Internkontrollplan.Opened"
        organ: str
        year: int

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.organ = self.organ
            aggregate.year = self.year
            aggregate.status = InternkontrollplanStatus.DRAFT

    class RiskIdentified(Event):
        """A risk assessed on the model's scale; `chosen` risks get a control in the plan."""

        TOPIC = "lerum_flow:Internkontrollplan.RiskIdentified"
        number: int
        title: str
        probability: int
        consequence: int
        chosen: bool

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.risks[self.number] = self.chosen

    class ControlPlanned(Event):
        """How a chosen risk is controlled: by whom, how and how often."""

        TOPIC = "lerum_flow:Internkontrollplan.ControlPlanned"
        number: int
        risk: int
        title: str
        owner: str
        method: str
        frequency: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            owners = DatedValue()
            owners.change(self.effective_on, self.owner)
            aggregate.controls[self.number] = Control(
                risk=self.risk, owners=owners, title=self.title, frequency=Frekvens(self.frequency)
            )

    class Adopted(Event):
        """Adopted by the organ on `effective_on`, by the decision `beslut_id`."""

        TOPIC = "lerum_flow:Internkontrollplan.Adopted"
        beslut_id: UUID

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = InternkontrollplanStatus.ADOPTED
            aggregate.adopted_on = self.effective_on

    class ControlHandedOver(Event, DecidedAheadEvent):
        """The organ, by its decision `beslut_id` of `decided_on`, handed control `control` over to
        `owner`, who performs it from `effective_on` on (the plan's earlier owner up to the day before)."""

        TOPIC = "lerum_flow:Internkontrollplan.ControlHandedOver"
        control: int
        owner: str
        beslut_id: UUID

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.controls[self.control].owners.change(self.effective_on, self.owner)

    class ResultRecorded(Event):
        """A control was performed on `effective_on`; a brist opened the deviation `avvikelse_id`."""

        TOPIC = "lerum_flow:Internkontrollplan.ResultRecorded"
        control: int
        outcome: str
        comment: str
        action: str
        avvikelse_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.results.add((self.control, self.effective_on))

    class Reported(Event):
        """The organ reported the plan's results for `period` to `reported_to`."""

        TOPIC = "lerum_flow:Internkontrollplan.Reported"
        period: str
        reported_to: str
        summary: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.reported[self.period] = self.effective_on
            if self.period == Rapportperiod.HELAR:
                aggregate.status = InternkontrollplanStatus.CLOSED

    def __init__(self) -> None:
        super().__init__()
        self.organ = ""
        self.year = 0
        self.status = InternkontrollplanStatus.DRAFT
        # Risk number -> whether it was chosen for control.
        self.risks: dict[int, bool] = {}
        self.controls: dict[int, Control] = {}
        self.adopted_on: date | None = None
        self.results: set[tuple[int, date]] = set()
        self.reported: dict[str, date] = {}

    @property
    def first_day(self) -> date:
        """The first day of the plan's year: the first its controls can be performed."""
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        """The last day of the plan's year: the last its controls are performed."""
        return date(self.year, 12, 31)

    @classmethod
    def open(cls, plan_id: UUID, stamp: Stamp, *, organ: str, year: int) -> Internkontrollplan:
        if stamp.effective_on > date(year, 12, 31):
            raise InvalidInput(
                f"En plan för {year} kan inte upprättas efter året ({stamp.effective_on.isoformat()}).",
                field="date",
                rule="plan_efter_aret",
            )
        return cls.start(cls.Opened, plan_id, stamp, organ=organ, year=year)

    # --- drafting -------------------------------------------------------------------

    def identify_risk(
        self,
        stamp: Stamp,
        *,
        title: str,
        probability: int,
        consequence: int,
        chosen: bool,
        scale: tuple[int, int],
    ) -> None:
        """Add a risk; `scale` is how many steps the model's probability and consequence scales have."""
        self._require_draft()
        check_step(probability, scale[0], field="probability", name="Sannolikheten")
        check_step(consequence, scale[1], field="consequence", name="Konsekvensen")
        self.record(
            self.RiskIdentified,
            stamp,
            number=len(self.risks) + 1,
            title=title,
            probability=probability,
            consequence=consequence,
            chosen=chosen,
        )

    def plan_control(
        self,
        stamp: Stamp,
        *,
        risk: int,
        title: str,
        owner: str,
        method: str,
        frequency: Frekvens,
        owner_within_organ: bool,
    ) -> None:
        """Add a control of a chosen risk, owned by the organ or a position under it."""
        self._require_draft()
        chosen = self.risks.get(risk)
        if chosen is None:
            raise NotFound(
                f"Planen har ingen risk {risk}; den har {_numbers(self.risks)}.",
                field="risk",
                rule="okand_risk",
            )
        if not chosen:
            raise InvalidState(
                f"Risk {risk} är inte vald för kontroll; bara valda risker får kontroller.",
                field="risk",
                rule="risk_ej_vald",
            )
        self._check_owner_within_organ(owner, owner_within_organ)
        self.record(
            self.ControlPlanned,
            stamp,
            number=len(self.controls) + 1,
            risk=risk,
            title=title,
            owner=owner,
            method=method,
            frequency=str(frequency),
        )

    def adopt(self, stamp: Stamp, *, beslut_id: UUID, decided_by: str, delegated: bool) -> None:
        """Adopt the plan by the organ's own decision, once every chosen risk has a control."""
        self._require_draft()
        self._check_organs_own_decision(
            stamp, decided_by, delegated, done="Planen antas", actor_rule="organet_antar"
        )
        chosen = [number for number, is_chosen in self.risks.items() if is_chosen]
        if not chosen:
            raise InvalidState(
                "Planen har ingen risk vald för kontroll; lägg till risker först.",
                field="internkontrollplan",
                rule="risk_kravs",
            )
        uncontrolled = sorted(set(chosen) - {c.risk for c in self.controls.values()})
        if uncontrolled:
            raise InvalidState(
                f"Valda risker utan kontroll: {', '.join(map(str, uncontrolled))}; varje vald risk "
                "ska ha en kontroll innan planen antas.",
                field="internkontrollplan",
                rule="kontroll_for_vald_risk",
            )
        if stamp.effective_on > self.last_day:
            raise InvalidInput(
                f"Beslutet ({stamp.effective_on.isoformat()}) ligger efter planens år {self.year}.",
                field="beslut",
                rule="antagen_efter_aret",
            )
        self.record(self.Adopted, stamp, beslut_id=beslut_id)

    # --- the year -------------------------------------------------------------------

    def record_result(
        self,
        stamp: Stamp,
        *,
        control: int,
        outcome: Utfall,
        comment: str,
        action: str,
        avvikelse_id: UUID | None,
    ) -> None:
        """A control performed by its owner; a brist says what it is and the action proposed."""
        self._require_in_force()
        planned = self._control(control)
        performed_on = stamp.effective_on
        # Whoever owns it on the day it was performed: a hand-over counts from its own day.
        owner = planned.owner_on(performed_on)
        if stamp.actor.position != owner:
            on_day = f" den {performed_on.isoformat()}" if len(planned.owners.changes) > 1 else ""
            raise NotPermitted(
                f"Kontroll {control} utförs{on_day} av {owner}, inte av '{stamp.actor.position}'.",
                field="as",
                rule="kontrollens_agare",
            )
        assert self.adopted_on is not None  # in force means adopted
        if not self.adopted_on <= performed_on <= self.last_day:
            raise InvalidInput(
                f"Kontrollen ska utföras under planens giltighet, {self.adopted_on.isoformat()} till "
                f"{self.year}-12-31, inte {performed_on.isoformat()}.",
                field="date",
                rule="under_planens_ar",
            )
        if (control, performed_on) in self.results:
            raise InvalidState(
                f"Kontroll {control} har redan ett resultat för {performed_on.isoformat()}.",
                field="control",
                rule="resultat_finns",
            )
        if outcome is Utfall.BRIST and not (comment.strip() and action.strip()):
            raise InvalidInput(
                f"En brist ska beskrivas ({field_named('comment')}) och få en åtgärd "
                f"({field_named('action')}).",
                field="comment" if not comment.strip() else "action",
                rule="brist_beskrivs",
            )
        if outcome is Utfall.UTAN_ANMARKNING and action.strip():
            raise InvalidInput(
                "En kontroll utan anmärkning har ingen åtgärd; ange utfallet brist.",
                field="action",
                rule="atgard_kraver_brist",
            )
        self.record(
            self.ResultRecorded,
            stamp,
            control=control,
            outcome=str(outcome),
            comment=comment,
            action=action,
            avvikelse_id=avvikelse_id,
        )

    def hand_over_control(
        self,
        stamp: Stamp,
        *,
        control: int,
        owner: str,
        beslut_id: UUID,
        decided_by: str,
        decided_on: date,
        delegated: bool,
        owner_within_organ: bool,
    ) -> None:
        """Hand a control of the plan in force over to `owner` from the stamp's day, by the organ's own
        decision of `decided_on` (the one that adopts the plan changes it); its earlier owner keeps the
        days before, and records them without a correction: the plan's dates run to the decision's day."""
        self._require_in_force()
        self._check_organs_own_decision(
            stamp, decided_by, delegated, done="En kontroll lämnas över", actor_rule="organet_lamnar_over"
        )
        planned = self._control(control)
        handed_on = stamp.effective_on
        assert self.adopted_on is not None  # in force means adopted
        if not self.adopted_on <= handed_on <= self.last_day:
            raise InvalidInput(
                f"En kontroll lämnas över från en dag under planens giltighet, "
                f"{self.adopted_on.isoformat()} till {self.year}-12-31, inte {handed_on.isoformat()}.",
                field="from",
                rule="overlamnas_under_aret",
            )
        if handed_on < decided_on:
            raise InvalidInput(
                f"{handed_on.isoformat()} ligger före beslutet ({decided_on.isoformat()}); en kontroll "
                "lämnas inte över innan det är beslutat.",
                field="from",
                rule="efter_beslutet",
            )
        self._check_owner_within_organ(owner, owner_within_organ)
        if owner == planned.owner_on(handed_on):
            raise InvalidState(
                f"Kontroll {control} utförs redan av {owner} den {handed_on.isoformat()}; ange en annan "
                "ägare.",
                field="owner",
                rule="samma_agare",
            )
        # A result recorded for a day from the hand-over on was performed by the owner of its day:
        # handed over under it, that result would stand as performed by one who did not own it.
        performed = sorted(day for number, day in self.results if number == control and day >= handed_on)
        if performed:
            raise InvalidState(
                f"Kontroll {control} har redan resultat från {handed_on.isoformat()} och framåt "
                f"({', '.join(day.isoformat() for day in performed)}); lämna över den från en dag efter "
                "det senaste.",
                field="from",
                rule="resultat_efter_overlamningen",
            )
        self.record(
            self.ControlHandedOver,
            stamp,
            ordered_on=decided_on,
            control=control,
            owner=owner,
            beslut_id=beslut_id,
            decided_on=decided_on,
        )

    def report(
        self, stamp: Stamp, *, period: Rapportperiod, reported_to: str, summary: str, not_before: date
    ) -> None:
        """The organ reports its results for `period`, no earlier than `not_before` (when the period ends)."""
        self._require_in_force()
        if stamp.actor.position != self.organ:
            raise NotPermitted(
                f"Planens resultat rapporteras av {self.organ}, inte av '{stamp.actor.position}'.",
                field="as",
                rule="organet_rapporterar",
            )
        if str(period) in self.reported:
            raise InvalidState(
                f"Resultaten för {period} är redan rapporterade ({self.reported[str(period)].isoformat()}).",
                field="period",
                rule="redan_rapporterad",
            )
        if stamp.effective_on < not_before:
            raise InvalidInput(
                f"Perioden {period} är inte slut; rapportera från {not_before.isoformat()}.",
                field="date",
                rule="perioden_pagar",
            )
        self.record(self.Reported, stamp, period=str(period), reported_to=reported_to, summary=summary)

    # --- shared rules ---------------------------------------------------------------

    def _control(self, control: int) -> Control:
        planned = self.controls.get(control)
        if planned is None:
            raise NotFound(
                f"Planen har ingen kontroll {control}; den har {_numbers(self.controls)}.",
                field="control",
                rule="okand_kontroll",
            )
        return planned

    def _check_owner_within_organ(self, owner: str, owner_within_organ: bool) -> None:
        if not owner_within_organ:
            raise NotPermitted(
                f"'{owner}' står inte under {self.organ}; kontrollens ägare är organet eller en "
                "befattning under det.",
                field="owner",
                rule="agare_under_organet",
            )

    def _check_organs_own_decision(
        self, stamp: Stamp, decided_by: str, delegated: bool, *, done: str, actor_rule: str
    ) -> None:
        """What the plan says is the organ's own: recorded as the organ, decided by it, not on
        delegation. `done`: what is done, as the message says it ("Planen antas")."""
        if stamp.actor.position != self.organ:
            raise NotPermitted(
                f"{done} av {self.organ}, inte av '{stamp.actor.position}'.",
                field="as",
                rule=actor_rule,
            )
        check_organs_own_decision(self.organ, decided_by, delegated, done=done)

    # --- states ---------------------------------------------------------------------

    def _require_draft(self) -> None:
        if self.status is not InternkontrollplanStatus.DRAFT:
            raise InvalidState(
                f"Planen är {self.status}; risker och kontroller ändras bara i ett utkast.",
                field="internkontrollplan",
                rule="endast_utkast",
            )

    def _require_in_force(self) -> None:
        if self.status is InternkontrollplanStatus.DRAFT:
            raise InvalidState(
                "Planen är inte antagen ännu.", field="internkontrollplan", rule="inte_antagen"
            )
        if self.status is InternkontrollplanStatus.CLOSED:
            raise InvalidState(
                "Planen är avslutad: årets resultat är rapporterade.",
                field="internkontrollplan",
                rule="plan_avslutad",
            )


def _numbers(numbered: dict[int, Any]) -> str:
    return ", ".join(map(str, sorted(numbered))) or "inga ännu"
