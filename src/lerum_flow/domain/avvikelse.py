"""Avvikelse: a deviation reported upward and held by one level of the styrkedja at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.deviation_report import check_severity
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.values import AvvikelseStatus

Status = AvvikelseStatus


class Avvikelse(GovernanceAggregate):
    TOPIC = "lerum_flow:Avvikelse"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Avvikelse.Event"

    class Reported(Event, Aggregate.Created):
        """Reported by `actor`, delivered to `level`; `effective_on` is when it occurred."""

        TOPIC = "lerum_flow:Avvikelse.Reported"
        subject_kind: str
        subject_ref: str
        severity: str
        category: str
        description: str
        level: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.reporter = self.actor
            aggregate.severity = self.severity
            aggregate.level = self.level
            aggregate.status = Status.REPORTED
            aggregate.acknowledged_by = None

    class Assessed(Event):
        """A person's judgment of the severity, with the reason for it."""

        TOPIC = "lerum_flow:Avvikelse.Assessed"
        severity: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.severity = self.severity

    class Acknowledged(Event):
        TOPIC = "lerum_flow:Avvikelse.Acknowledged"
        level: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.ACKNOWLEDGED
            aggregate.acknowledged_by = self.person

    class Escalated(Event):
        """Sent on from `from_level` to `to_level`; skipped levels need a reason."""

        TOPIC = "lerum_flow:Avvikelse.Escalated"
        from_level: str
        to_level: str
        skipped: list[str]
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.level = self.to_level
            aggregate.status = Status.REPORTED
            aggregate.acknowledged_by = None

    class DeadlineMissed(Event):
        """The level holding it did not acknowledge it by `deadline`."""

        TOPIC = "lerum_flow:Avvikelse.DeadlineMissed"
        level: str
        deadline: datetime

    class Informed(Event):
        """A level above was informed, without taking the deviation over (KF of a större)."""

        TOPIC = "lerum_flow:Avvikelse.Informed"
        level: str

    class ActionDecided(Event):
        TOPIC = "lerum_flow:Avvikelse.ActionDecided"
        action: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.ACTION_DECIDED

    class Closed(Event):
        TOPIC = "lerum_flow:Avvikelse.Closed"
        resolution: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.CLOSED

    def __init__(self) -> None:
        super().__init__()
        self.reporter = ""
        self.severity = ""
        self.level = ""
        self.status = Status.REPORTED
        self.acknowledged_by: str | None = None

    @classmethod
    def report(
        cls,
        avvikelse_id: UUID,
        stamp: Stamp,
        *,
        subject_kind: str,
        subject_ref: str,
        severity: str,
        category: str,
        description: str,
        level: str,
    ) -> Avvikelse:
        if not description.strip():
            raise InvalidInput("Beskriv vad som avviker.", field="description", rule="beskrivning_kravs")
        return cls.start(
            cls.Reported,
            avvikelse_id,
            stamp,
            subject_kind=subject_kind,
            subject_ref=subject_ref,
            severity=severity,
            category=category,
            description=description,
            level=level,
        )

    @property
    def is_open(self) -> bool:
        return self.status is not Status.CLOSED

    def assess(self, stamp: Stamp, *, severity: str, reason: str, scale: list[str]) -> None:
        self._require_holder(stamp)
        self._require_open()
        check_severity(severity, scale)
        if not reason.strip():
            raise InvalidInput("En bedömning ska motiveras.", field="reason", rule="skal_kravs")
        self.record(self.Assessed, stamp, severity=severity, reason=reason)

    def acknowledge(self, stamp: Stamp) -> None:
        # Closed first: to anyone, a closed deviation is "closed", not "held by another level".
        self._require_open()
        self._require_holder(stamp)
        if self.status is not Status.REPORTED:
            raise InvalidState(
                f"Avvikelsen är redan kvitterad på nivån {self.level} av {self.acknowledged_by}.",
                field="avvikelse",
                rule="redan_kvitterad",
            )
        self.record(self.Acknowledged, stamp, level=self.level)

    def escalate(self, stamp: Stamp, *, to_level: str, skipped: list[str], reason: str) -> None:
        self._require_holder(stamp)
        self._require_open()
        if skipped and not reason.strip():
            raise InvalidInput(
                f"Att hoppa över {', '.join(skipped)} kräver ett skäl (t.ex. frånvaro eller jäv).",
                field="reason",
                rule="overhoppad_niva_kraver_skal",
            )
        self.record(
            self.Escalated, stamp, from_level=self.level, to_level=to_level, skipped=skipped, reason=reason
        )

    def miss_deadline(self, stamp: Stamp, *, level: str, deadline: datetime, escalate_to: str | None) -> None:
        """Record that `level` let its deadline pass, and move the deviation up a level.

        Recorded by the escalation process, not by a person; `escalate_to` is None
        at the top of the chain, where there is nobody further up to send it to.
        """
        self._require_open()
        if level != self.level or self.status is not Status.REPORTED:
            raise InvalidState(
                f"Avvikelsen väntar inte på kvittens från {level} (den ligger hos {self.level} "
                f"med status '{self.status}').",
                field="level",
                rule="vantar_inte_pa_kvittens",
            )
        self.record(self.DeadlineMissed, stamp, level=level, deadline=deadline)
        if escalate_to is not None:
            self.record(
                self.Escalated,
                stamp,
                from_level=level,
                to_level=escalate_to,
                skipped=[],
                reason=f"{level} kvitterade inte före {deadline.isoformat()}",
            )

    def inform(self, stamp: Stamp, *, level: str) -> None:
        self._require_open()
        self.record(self.Informed, stamp, level=level)

    def decide_action(self, stamp: Stamp, *, action: str) -> None:
        self._require_holder(stamp)
        if self.status is not Status.ACKNOWLEDGED:
            raise InvalidState(
                f"Avvikelsen har status '{self.status}'; den ska kvitteras innan åtgärd beslutas.",
                field="avvikelse",
                rule="kvittera_forst",
            )
        if not action.strip():
            raise InvalidInput("Beskriv åtgärden.", field="action", rule="atgard_kravs")
        self.record(self.ActionDecided, stamp, action=action)

    def close(self, stamp: Stamp, *, resolution: str) -> None:
        self._require_holder(stamp)
        if self.status not in (Status.ACKNOWLEDGED, Status.ACTION_DECIDED):
            raise InvalidState(
                f"Avvikelsen har status '{self.status}' och kan inte stängas; den ska kvitteras först.",
                field="avvikelse",
                rule="kvittera_forst",
            )
        if not resolution.strip():
            raise InvalidInput("Ange hur avvikelsen avslutades.", field="description", rule="skal_kravs")
        self.record(self.Closed, stamp, resolution=resolution)

    def _require_holder(self, stamp: Stamp) -> None:
        if stamp.actor.position != self.level:
            raise NotPermitted(
                f"Avvikelsen ligger hos {self.level}, inte hos '{stamp.actor.position}'.",
                field="as",
                rule="nivan_som_har_avvikelsen",
            )

    def _require_open(self) -> None:
        if self.status is Status.CLOSED:
            raise InvalidState("Avvikelsen är stängd.", field="avvikelse", rule="stangd")
