"""The use cases of internal control (KL 6 kap. 6 §): plans, results, reports and KS's assessment.

Part of `Governance` (mixed in), in the same order as every use case there:
validate, load, check the rules, record. A brist found by a control opens a
deviation through `Governance.report_avvikelse`, reported by the control's
owner under a command id derived from the result, so a retried result never
opens a second one; the deviation then escalates as any other.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date

from lerum_flow import commands as c
from lerum_flow import internkontroll_commands as ik
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.deviation_report import check_category, check_severity
from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.internkontroll_bedomning import Internkontrollbedomning
from lerum_flow.domain.internkontroll_rules import check_drafter, check_plan_organ
from lerum_flow.domain.values import AvvikelseSubject, Utfall, derive_id
from lerum_flow.recording import Lookup, Outcome, serialised
from lerum_flow.styrmodell.internkontroll import internkontroll_year, risk_scale, styrelse
from lerum_flow.styrmodell.report_policy import avvikelse_category
from lerum_flow.use_cases import UseCases


class InternkontrollCases(UseCases):
    """Records internkontroll plans and their year; `Governance` supplies stamps and deviations."""

    @abstractmethod
    @serialised
    def report_avvikelse(self, cmd: c.ReportAvvikelse) -> Outcome:
        """Report a deviation, which then escalates."""

    @abstractmethod
    def held_level(self, reporter: str, severity: str) -> str:
        """The level a new deviation is held at, refused if it would be gone before it is closed."""

    # --- the plan ------------------------------------------------------------------

    @serialised
    def open_internkontrollplan(self, cmd: ik.OpenInternkontrollplan) -> Outcome:
        stamp = self._stamp(cmd, cmd.opened_on)
        return self._create_once(cmd.plan_id(), stamp, lambda lookup: self._open_plan(cmd, stamp, lookup))

    def _open_plan(self, cmd: ik.OpenInternkontrollplan, stamp: Stamp, lookup: Lookup) -> Outcome:
        organ = self.position_on(cmd.organ, stamp.effective_on, field="organ")
        check_plan_organ(organ, self.styrmodell.internkontroll.antas_av)
        self._check_drafter(stamp, organ.id)
        plan_id = cmd.plan_id()
        return self._create(
            Internkontrollplan,
            plan_id,
            stamp,
            lambda: Internkontrollplan.open(plan_id, stamp, organ=organ.id, year=cmd.year),
            lookup,
        )

    @serialised
    def identify_risk(self, cmd: ik.IdentifyRisk) -> Outcome:
        scale = risk_scale(self.styrmodell)

        def identify(plan: Internkontrollplan, stamp: Stamp) -> None:
            self._check_drafter(stamp, plan.organ)
            plan.identify_risk(
                stamp,
                title=cmd.title,
                probability=cmd.probability,
                consequence=cmd.consequence,
                chosen=cmd.chosen,
                scale=scale,
            )

        return self._update(Internkontrollplan, cmd.plan_id, self._stamp(cmd, cmd.on), identify)

    @serialised
    def plan_control(self, cmd: ik.PlanControl) -> Outcome:
        def plan(plan: Internkontrollplan, stamp: Stamp) -> None:
            # A plan is drafted ahead of its year (in the autumn): the owner performs the control from
            # the year's first day, and may be a position established only from then.
            owner = self._control_owner(plan, cmd.owner, max(stamp.effective_on, plan.first_day))
            self._check_drafter(stamp, plan.organ)
            plan.plan_control(
                stamp,
                risk=cmd.risk,
                title=cmd.title,
                owner=owner,
                method=cmd.method,
                frequency=cmd.frequency,
                owner_within_organ=self._within_organ(plan, owner),
            )

        return self._update(Internkontrollplan, cmd.plan_id, self._stamp(cmd, cmd.on), plan)

    def _control_owner(self, plan: Internkontrollplan, code: str, day: date) -> str:
        """A control's owner from `day` (the hand-over's, or the first the control is performed on): a
        position then (read once stamped: the stamp reads the established positions afresh), not
        discontinued before the plan's year ends."""
        owner = self.position_on(code, day, field="owner")
        # The owner performs the control, and reports its brister, through the plan's year.
        what = f"en kontroll den äger i planen för {plan.year}"
        self.check_not_outlived(owner.id, plan.last_day, what=what, field="owner")
        return owner.id

    def _within_organ(self, plan: Internkontrollplan, owner: str) -> bool:
        return owner == plan.organ or self.is_above(plan.organ, owner)

    @serialised
    def adopt_internkontrollplan(self, cmd: ik.AdoptInternkontrollplan) -> Outcome:
        beslut = self._get(Beslut, cmd.beslut_id, field="beslut")
        return self._update(
            Internkontrollplan,
            cmd.plan_id,
            self._stamp(cmd, beslut.decided_on),
            lambda plan, stamp: plan.adopt(
                stamp,
                beslut_id=cmd.beslut_id,
                decided_by=beslut.decided_by,
                delegated=beslut.delegering_id is not None,
            ),
        )

    @serialised
    def hand_over_control(self, cmd: ik.HandOverControl) -> Outcome:
        """Hand a control of an adopted plan over to another owner from a day, by the organ's decision."""
        beslut = self._get(Beslut, cmd.beslut_id, field="beslut")

        def hand_over(plan: Internkontrollplan, stamp: Stamp) -> None:
            # The stamp's day is the hand-over's: the new owner is a position that day and stands
            # through the rest of the plan's year.
            owner = self._control_owner(plan, cmd.owner, stamp.effective_on)
            plan.hand_over_control(
                stamp,
                control=cmd.control,
                owner=owner,
                beslut_id=cmd.beslut_id,
                decided_by=beslut.decided_by,
                decided_on=beslut.decided_on,
                delegated=beslut.delegering_id is not None,
                owner_within_organ=self._within_organ(plan, owner),
            )

        return self._update(Internkontrollplan, cmd.plan_id, self._stamp(cmd, cmd.handed_over_on), hand_over)

    def _check_drafter(self, stamp: Stamp, organ: str) -> None:
        actor = stamp.actor.position
        check_drafter(actor, organ, actor_under_organ=self.is_above(organ, actor))

    # --- the year ------------------------------------------------------------------

    @serialised
    def record_kontrollresultat(self, cmd: ik.RecordKontrollresultat) -> Outcome:
        """Record a control's result; a brist opens a deviation by the control's owner."""
        stamp = self._stamp(cmd, cmd.performed_on)
        brist = self._brist(cmd) if cmd.outcome is Utfall.BRIST else None
        outcome = self._update(
            Internkontrollplan,
            cmd.plan_id,
            stamp,
            lambda plan, s: plan.record_result(
                s,
                control=cmd.control,
                outcome=cmd.outcome,
                comment=cmd.comment,
                action=cmd.action,
                avvikelse_id=brist.avvikelse_id() if brist is not None else None,
            ),
        )
        # Also when the result was already recorded: a retry after a crash between the two
        # saves opens the deviation then, and otherwise is answered "already recorded" again.
        if brist is not None:
            self.report_avvikelse(brist)
        return outcome

    def _brist(self, cmd: ik.RecordKontrollresultat) -> c.ReportAvvikelse:
        """The deviation a brist opens, checked before anything is recorded, with ids from the result."""
        plan = self._get(Internkontrollplan, cmd.plan_id, field="internkontrollplan")
        severity = cmd.severity or self.styrmodell.severity_codes()[0]
        category = cmd.category or avvikelse_category(self.styrmodell)
        check_severity(severity, self.styrmodell.severity_codes())
        check_category(category, list(self.styrmodell.avvikelsekategorier))
        # Where it would be held is checked here too: the result is saved before the deviation.
        self.held_level(cmd.actor, severity)
        result_key = f"{cmd.plan_id}:{cmd.control}:{cmd.performed_on.isoformat()}"
        return c.ReportAvvikelse(
            actor=cmd.actor,
            person=cmd.person,
            command_id=derive_id("internkontroll-brist", result_key),
            secrecy=cmd.secrecy,
            subject_kind=AvvikelseSubject.HANDELSE,
            subject_ref=f"internkontroll:{cmd.plan_id}:{cmd.control}",
            severity=severity,
            category=category,
            description=f"Brist i intern kontroll {plan.year} ({plan.organ}), kontroll {cmd.control}: "
            f"{cmd.comment}\nFöreslagen åtgärd: {cmd.action}",
            occurred_on=cmd.performed_on,
            key=f"internkontroll:{result_key}",
        )

    @serialised
    def report_internkontroll(self, cmd: ik.ReportInternkontroll) -> Outcome:
        receiver = styrelse(self.styrmodell).id
        return self._update(
            Internkontrollplan,
            cmd.plan_id,
            self._stamp(cmd, cmd.reported_on),
            lambda plan, stamp: plan.report(
                stamp,
                period=cmd.period,
                reported_to=receiver,
                summary=cmd.summary,
                not_before=internkontroll_year(self.styrmodell, plan.year).report_from(cmd.period),
            ),
        )

    @serialised
    def assess_internkontroll(self, cmd: ik.AssessInternkontroll) -> Outcome:
        """KS's assessment of the year's internal control as a whole, by its own decision."""
        beslut = self._get(Beslut, cmd.beslut_id, field="beslut")
        stamp = self._stamp(cmd, beslut.decided_on)
        new_id = cmd.bedomning_id()
        return self._create_once(
            new_id,
            stamp,
            lambda lookup: self._create(
                Internkontrollbedomning,
                new_id,
                stamp,
                lambda: Internkontrollbedomning.assess(
                    new_id,
                    stamp,
                    assessor=self.position(stamp.actor.position, field="as"),
                    year=cmd.year,
                    assessment=cmd.assessment,
                    scale=self.styrmodell.assessment_codes(),
                    text=cmd.text,
                    beslut_id=cmd.beslut_id,
                    decided_by=beslut.decided_by,
                    delegated=beslut.delegering_id is not None,
                ),
                lookup,
            ),
        )
