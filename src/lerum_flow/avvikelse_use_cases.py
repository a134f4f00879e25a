"""The use cases on deviations (avvikelser): report, assess, acknowledge, escalate, decide an action
and close, and the escalation process's own two steps; `Governance` has them from here.

A deviation starts at the first level of the reporter's chain that the severity calls for
(`domain.escalation_route`); a level that lets its acknowledgement deadline pass hands it one
level up, and a level above the holder may be informed without taking it over.
"""

from __future__ import annotations

from collections.abc import Callable

from lerum_flow import commands as c
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.deviation_report import check_category, check_severity, uppdrag_reference
from lerum_flow.domain.escalation_route import check_informable, escalation_target, first_level, next_level
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import AvvikelseSubject
from lerum_flow.municipal_time import business_day
from lerum_flow.recording import Lookup, Outcome, serialised
from lerum_flow.use_cases import UseCases


class AvvikelseUseCases(UseCases):
    """Deviations: reported at a level, handled there or escalated (see `Governance`)."""

    @serialised
    def report_avvikelse(self, cmd: c.ReportAvvikelse) -> Outcome:
        stamp = self._stamp(cmd, cmd.occurred_on)
        return self._create_once(
            cmd.avvikelse_id(), stamp, lambda lookup: self._report_avvikelse(cmd, stamp, lookup)
        )

    def _report_avvikelse(self, cmd: c.ReportAvvikelse, stamp: Stamp, lookup: Lookup) -> Outcome:
        check_severity(cmd.severity, self.styrmodell.severity_codes())
        check_category(cmd.category, list(self.styrmodell.avvikelsekategorier))
        if cmd.subject_kind is AvvikelseSubject.UPPDRAG:
            self._get(Uppdrag, uppdrag_reference(cmd.subject_ref), field="ref")
        level = self.held_level(stamp.actor.position, cmd.severity)
        avvikelse_id = cmd.avvikelse_id()
        return self._create(
            Avvikelse,
            avvikelse_id,
            stamp,
            lambda: Avvikelse.report(
                avvikelse_id,
                stamp,
                subject_kind=str(cmd.subject_kind),
                subject_ref=cmd.subject_ref,
                severity=cmd.severity,
                category=cmd.category,
                description=cmd.description,
                level=level,
            ),
            lookup,
        )

    @serialised
    def assess_avvikelse(self, cmd: c.AssessAvvikelse) -> Outcome:
        return self._on_avvikelse(
            cmd,
            lambda a, s: a.assess(
                s, severity=cmd.severity, reason=cmd.reason, scale=self.styrmodell.severity_codes()
            ),
        )

    @serialised
    def acknowledge_avvikelse(self, cmd: c.AcknowledgeAvvikelse) -> Outcome:
        return self._on_avvikelse(cmd, lambda a, s: a.acknowledge(s))

    @serialised
    def escalate_avvikelse(self, cmd: c.EscalateAvvikelse) -> Outcome:
        def escalate(a: Avvikelse, s: Stamp) -> None:
            target, skipped = escalation_target(a.level, self.deviation_chain(a.level), cmd.to_level)
            self._check_held_while_open(target, field="to")
            a.escalate(s, to_level=target, skipped=skipped, reason=cmd.reason)

        return self._on_avvikelse(cmd, escalate)

    def held_level(self, reporter: str, severity: str) -> str:
        """The level a new deviation of `severity` (a code of the model's scale) reported in the
        position `reporter` is held at; refused if that level is discontinued from a later day."""
        found = self.styrmodell.allvarlighetsgrad(severity)
        assert found is not None  # check_severity refused every other code
        position = self.position(reporter, field="as")
        level = first_level(position, self.deviation_chain(position.id), found)
        self._check_held_while_open(level, field="severity")
        return level

    def _check_held_while_open(self, level: str, *, field: str) -> None:
        """An avvikelse is held at its level until closed or escalated, on no known last day: a level
        discontinued from a later day would be gone while it waited there."""
        self.check_not_outlived(level, None, what="en öppen avvikelse på dess nivå", field=field)

    @serialised
    def decide_action(self, cmd: c.DecideAction) -> Outcome:
        return self._on_avvikelse(cmd, lambda a, s: a.decide_action(s, action=cmd.action))

    @serialised
    def close_avvikelse(self, cmd: c.CloseAvvikelse) -> Outcome:
        return self._on_avvikelse(cmd, lambda a, s: a.close(s, resolution=cmd.resolution))

    def _on_avvikelse(self, cmd: c.AvvikelseCommand, change: Callable[[Avvikelse, Stamp], None]) -> Outcome:
        return self._update(Avvikelse, cmd.avvikelse_id, self._stamp(cmd, cmd.on), change)

    # --- the escalation process ----------------------------------------------------

    @serialised
    def miss_acknowledgement_deadline(self, cmd: c.MissAcknowledgementDeadline) -> Outcome:
        """The level let its deadline pass: record it and hand the deviation one level up."""
        # The business date is the Swedish day the deadline fell on, not its UTC date
        # (a deadline at 00:30 Swedish time is 23:30 UTC the day before).
        stamp = self._process_stamp(cmd, business_day(cmd.deadline))
        escalate_to = next_level(self.deviation_chain(cmd.level))
        return self._update(
            Avvikelse,
            cmd.avvikelse_id,
            stamp,
            lambda a, s: a.miss_deadline(s, level=cmd.level, deadline=cmd.deadline, escalate_to=escalate_to),
        )

    @serialised
    def inform_level(self, cmd: c.InformLevel) -> Outcome:
        """A level above the holder is informed (KF of a större avvikelse), without taking it over."""

        def inform(a: Avvikelse, s: Stamp) -> None:
            check_informable(cmd.level, a.level, self.deviation_chain(a.level))
            a.inform(s, level=cmd.level)

        return self._update(Avvikelse, cmd.avvikelse_id, self._process_stamp(cmd, cmd.on), inform)
