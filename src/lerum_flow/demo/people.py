"""The simulated people of Lerum: they react to what the log says reached them, like people would.

A route of the relay: an uppdrag reaching a position is accepted at once and
broken down further down the chain (KF's budget → KS → kommundirektör →
sectors → unit chefs); a monthly report is handed in on a later day (a
`SimuleradHandling` workflow waits for it), now and then after the reminder,
once or twice a year too late; a report is accepted by its giver; a
deviation is acknowledged where it lands. The same object is the notifier
(KS hands in the delårsrapport and årsredovisning when reminded) and the
activity through which the kanslienhet's and the reporters' acts are done.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.acting import ACT_ACTIVITY, SimuleradHandling
from lerum_flow.demo.clock import temporal_today
from lerum_flow.demo.models import Act, Acts
from lerum_flow.demo.narration import Narrator
from lerum_flow.demo.organisation import Organisation
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import AvvikelseSubject, BeslutKind, UppdragKind
from lerum_flow.styrmodell.report_policy import MONTHLY_REMINDER_DAYS
from lerum_flow.workflows.clock import start_of
from lerum_flow.workflows.models import Reminder
from lerum_flow.workflows.planning import plan_cycle
from lerum_flow.workflows.starter import start_arshjul, start_mandatperiod

OFFICE_HOURS = timedelta(hours=9)

TCommand = TypeVar("TCommand", bound=c.Command)
P = ParamSpec("P")


@dataclass
class Behaviour:
    """Which monthly reports come late: one or two a year, chosen the same way on every run."""

    late: set[tuple[str, str]] = field(default_factory=set)
    # Deviations (by their description) nobody acknowledges: a rehearsal's.
    unacknowledged: set[str] = field(default_factory=set)

    @classmethod
    def for_years(
        cls, governance: Governance, years: Sequence[int], *, unacknowledged: Iterable[str] = ()
    ) -> Behaviour:
        late: set[tuple[str, str]] = set()
        for year in years:
            rng = random.Random(year)  # noqa: S311 - a repeatable simulation, not a secret
            steps = plan_cycle(governance.styrmodell, year).follow_ups
            # The edge furthest down the chain (the plan lists it first each month): the sectors'
            # reports in Lerum, the förvaltningar's to their nämnder in a nämnd-based model.
            lowest = steps[0].led if steps else ""
            requests = [(r.recipient, r.title) for step in steps if step.led == lowest for r in step.requests]
            late.update(rng.sample(requests, k=min(len(requests), 1 + year % 2)))
        return cls(late=late, unacknowledged=set(unacknowledged))

    def report_day(self, uppdrag_id: UUID, recipient: str, title: str, issued_on: date, due: date) -> date:
        if (recipient, title) in self.late:
            return due + timedelta(days=5)
        spread = uppdrag_id.int % 10
        if spread == 0:  # about one in ten waits for the reminder
            return due - timedelta(days=MONTHLY_REMINDER_DAYS - 1)
        latest = due - timedelta(days=MONTHLY_REMINDER_DAYS + 1)
        return min(issued_on + timedelta(days=1 + spread % 5), latest)


class SimulatedPeople:
    """Route, notifier and act activity of the simulation."""

    topics: Sequence[str] = ()  # every event: the people react to some and the narrator tells of others

    def __init__(
        self,
        governance: Governance,
        organisation: Organisation,
        client: Client,
        task_queue: str,
        narrator: Narrator,
        behaviour: Behaviour,
    ) -> None:
        self.governance = governance
        self.organisation = organisation
        self.client = client
        self.task_queue = task_queue
        self.narrator = narrator
        self.behaviour = behaviour
        self.reminders = 0
        self._months_told: set[str] = set()
        # KF's budget uppdrag per budget year, completed by KF at its discharge.
        self._budget_uppdrag: dict[int, UUID] = {}

    # --- the route ------------------------------------------------------------------

    async def __call__(self, event: Any, notification_id: int) -> None:
        later = await asyncio.to_thread(self._react, event)
        for workflow_id, acts in later:
            # Already planned if the relay delivered this event before (it resumes after a crash).
            with contextlib.suppress(WorkflowAlreadyStartedError):
                await self.client.start_workflow(
                    SimuleradHandling.run, Acts(acts=acts), id=workflow_id, task_queue=self.task_queue
                )

    def _react(self, event: Any) -> list[tuple[str, list[Act]]]:
        today = temporal_today()
        if isinstance(event, Beslut.Taken):
            organ = self.governance.position(event.decided_by)
            self.narrator.say(today, f"{organ.name} beslutar: {event.title}", "bold")
            if event.kind == str(BeslutKind.ANSVARSFRIHET):
                self._discharge(event, today)
            elif (
                event.kind == str(BeslutKind.VERKSAMHETSPLAN)
                and event.decided_by in self.organisation.namnder
            ):
                self._namnd_plan(event, today)
        elif isinstance(event, Uppdrag.Issued):
            return self._received(event, today)
        elif isinstance(event, Uppdrag.Reported):
            self._report_received(event, today)
        elif isinstance(event, Avvikelse.Reported):
            level = self.governance.position(event.level)
            self.narrator.say(today, f"Avvikelse till {level.name}: {event.description}", "red")
            if event.description not in self.behaviour.unacknowledged:
                self._do(
                    c.AcknowledgeAvvikelse,
                    self.governance.acknowledge_avvikelse,
                    **self.by(event.level),
                    avvikelse_id=event.originator_id,
                    on=today,
                )
        elif isinstance(event, Avvikelse.DeadlineMissed):
            level = self.governance.position(event.level)
            self.narrator.say(today, f"{level.name} kvitterade inte avvikelsen i tid", "red")
        elif isinstance(event, Avvikelse.Escalated):
            level = self.governance.position(event.to_level)
            self.narrator.say(today, f"Avvikelsen går vidare till {level.name}", "red")
        return []

    def _received(self, event: Uppdrag.Issued, today: date) -> list[tuple[str, list[Act]]]:
        self._do(
            c.AcceptUppdrag,
            self.governance.accept_uppdrag,
            **self.by(event.recipient),
            uppdrag_id=event.originator_id,
            on=today,
        )
        if event.title.startswith("Månadsrapport"):
            period = event.title.rsplit(" ", 1)[1]
            if period not in self._months_told:
                self._months_told.add(period)
                self.narrator.say(
                    today, f"Månadsuppföljning {period}: rapporter begärs enligt uppföljningsplanen"
                )
            assert event.due is not None
            day = self.behaviour.report_day(
                event.originator_id, event.recipient, event.title, today, event.due
            )
            act = Act(
                at=start_of(day) + OFFICE_HOURS,
                what="rapport",
                actor=event.recipient,
                title=event.title,
                uppdrag_id=event.originator_id,
            )
            return [(f"sim-rapport-{event.originator_id}", [act])]
        if event.kind == str(UppdragKind.MAL):
            self.narrator.say(today, f"{event.recipient.upper()} tar emot målen: {event.title}")
        elif event.giver == "kf" and event.title.startswith("Budget"):
            self._budget_uppdrag[int(event.title.split(" ")[1])] = event.originator_id
            self.narrator.say(today, f"KF:s {event.title} blir KS uppdrag; det bryts ned längs styrkedjan")
            director = self.organisation.director
            self._break_down(event, director, f"Verkställ {event.title.lower()}", today)
        elif event.recipient == self.organisation.director and event.title.startswith("Verkställ budget"):
            year = event.title.rsplit(" ", 1)[1]
            for sector in self.organisation.sectors_under(self.organisation.director):
                self._break_down(event, sector, f"Budget {year} för {self._sector_name(sector)}", today)
        elif event.recipient in self.organisation.sectors and event.title.startswith("Budget"):
            year = event.title.split(" ")[1]
            for unit in self.organisation.units_of(event.recipient):
                self._break_down(event, unit, f"Enhetsplan {year}, {unit}", today)
        return []

    def _namnd_plan(self, event: Beslut.Taken, today: date) -> None:
        """A nämnd's verksamhetsplan (after KF's budget) is its uppdrag to its förvaltning."""
        year = int(event.title.rsplit(" ", 1)[1])
        for sector in self.organisation.sectors_under(event.decided_by):
            self._do(
                c.IssueUppdrag,
                self.governance.issue_uppdrag,
                **self.by(event.decided_by),
                recipient=sector,
                title=f"Budget {year} för {self._sector_name(sector)}",
                due=date(year, 12, 31),
                origin_beslut_id=event.originator_id,
                issued_on=today,
            )

    def _sector_name(self, sector: str) -> str:
        name = self.governance.position(sector).name
        return name.removeprefix("Sektorschef, ").removeprefix("Förvaltningschef, ")

    def _discharge(self, event: Beslut.Taken, today: date) -> None:
        """With ansvarsfrihet granted, KF considers its budget uppdrag to KS done."""
        uppdrag_id = self._budget_uppdrag.get(event.effective_on.year - 1)
        if uppdrag_id is not None:
            self._do(
                c.CompleteUppdrag,
                self.governance.complete_uppdrag,
                **self.by("kf"),
                uppdrag_id=uppdrag_id,
                on=today,
                comment=f"Ansvarsfrihet beviljad ({event.title}).",
            )

    def _break_down(self, parent: Uppdrag.Issued, recipient: str, title: str, today: date) -> None:
        self._do(
            c.IssueUppdrag,
            self.governance.issue_uppdrag,
            **self.by(parent.recipient),
            recipient=recipient,
            title=title,
            due=parent.due,
            parent_id=parent.originator_id,
            issued_on=today,
        )

    def _report_received(self, event: Uppdrag.Reported, today: date) -> None:
        uppdrag = self.governance.get_record(event.originator_id)
        assert isinstance(uppdrag, Uppdrag)
        if uppdrag.giver == "kf":
            self.narrator.say(today, f"KS lämnar {event.period} till KF och revisorerna", "green")
        self._do(
            c.AcceptReport,
            self.governance.accept_report,
            **self.by(uppdrag.giver),
            uppdrag_id=event.originator_id,
            on=today,
        )

    # --- the notifier ----------------------------------------------------------------

    def remind(self, reminder: Reminder, *, workflow_id: str) -> None:
        self.reminders += 1
        if not reminder.title.startswith("Månadsrapport"):
            # KS hands in its report to KF when the kanslienhet reminds it.
            self._do(
                c.ReportUppdrag,
                self.governance.report_uppdrag,
                **self.by(reminder.recipient),
                uppdrag_id=reminder.uppdrag_id,
                on=temporal_today(),
                # The scale's second step ('delvis' in Lerum's three, 'i huvudsak' in a four-step one).
                assessment=self.governance.styrmodell.assessment_codes()[1],
                text=f"{reminder.title}: i huvudsak enligt budget.",
                period=reminder.title,
            )

    # --- the acts ----------------------------------------------------------------------

    @activity.defn(name=ACT_ACTIVITY)
    async def act(self, act: Act) -> None:
        today = temporal_today()
        kod = self.governance.styrmodell.kommun.kod
        if act.what == "starta_arshjul":
            started = await start_arshjul(self.client, self.task_queue, kod, act.year)
            if started.started:
                self.narrator.say(today, f"Kanslienheten startar årshjulet för budgetår {act.year}", "cyan")
        elif act.what == "starta_mandatperiod":
            await start_mandatperiod(self.client, self.task_queue, kod, act.year)
            self.narrator.say(today, f"Ny mandatperiod från {today.isoformat()}: nyvalt fullmäktige", "cyan")
        else:
            await asyncio.to_thread(self._act_now, act, today)

    def _act_now(self, act: Act, today: date) -> None:
        if act.what == "beslut":
            self._do(
                c.TakeBeslut,
                self.governance.take_beslut,
                **self.by(act.actor),
                decided_by=act.actor,
                kind=BeslutKind(act.kind),
                diarienummer=f"{act.actor.upper()} {today.year}/{act.kind}",
                paragraf=f"§ {today.timetuple().tm_yday}",
                title=act.title,
                decided_on=today,
            )
        elif act.what == "rapport" and act.uppdrag_id is not None:
            uppdrag = self.governance.get_record(act.uppdrag_id)
            assert isinstance(uppdrag, Uppdrag)
            if uppdrag.due is not None and today > uppdrag.due:
                self.narrator.say(today, f"{act.actor} lämnar {act.title} för sent", "yellow")
            self._do(
                c.ReportUppdrag,
                self.governance.report_uppdrag,
                **self.by(act.actor),
                uppdrag_id=act.uppdrag_id,
                on=today,
                assessment=self.governance.styrmodell.assessment_codes()[0],
                text="Enligt plan.",
                period=act.title.rsplit(" ", 1)[1],
            )
        elif act.what == "avvikelse":
            self._do(
                c.ReportAvvikelse,
                self.governance.report_avvikelse,
                **self.by(act.actor),
                subject_kind=AvvikelseSubject.HANDELSE,
                subject_ref=act.actor,
                severity=act.severity,
                category="verksamhet",
                description=act.title,
                occurred_on=today,
            )

    def _do(
        self,
        command_class: Callable[P, TCommand],
        handle: Callable[[TCommand], object],
        *args: P.args,
        **fields: P.kwargs,
    ) -> None:
        """Record a person's command; a refusal is told, not raised (people make mistakes)."""
        try:
            handle(c.parse_command(command_class, *args, **fields))
        except Refusal as refusal:
            self.narrator.say(temporal_today(), f"Nekat för {fields['actor']}: {refusal.message}", "magenta")

    def by(self, position: str) -> c.Acting:
        """Who acts in `position`, for a command's typed constructor: `**self.by(position)`."""
        return {"actor": position, "person": self.person(position)}

    def person(self, position: str) -> str:
        return self.organisation.person(position)
