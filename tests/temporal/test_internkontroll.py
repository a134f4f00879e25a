"""The internkontroll year on the time-skipping server: plans, controls, reports and KS's assessment on
the styrmodell's dates, a brist escalating as a deviation, and what is missing becoming one."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from e2e.cli_world import Cli
from temporal.temporal_harness import DEV_SERVER_STARTUP, PERSON, Harness, PromptPeople, binary, time_skipping
from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow import commands as c
from lerum_flow import internkontroll_commands as ik
from lerum_flow.application import Governance
from lerum_flow.demo.clock import temporal_today
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.internkontroll import Internkontrollplan, internkontrollplan_id
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.notifications import Notice, NoticeKind
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.styrmodell import Styrmodell, default_styrmodell, load_styrmodell, shipped_styrmodell_path
from lerum_flow.styrmodell.internkontroll import internkontroll_year
from lerum_flow.workflows.eskalering.models import EskaleringResult
from lerum_flow.workflows.internkontroll.models import InternkontrollResult, internkontroll_workflow_id
from lerum_flow.workflows.internkontroll.starter import start_internkontroll
from lerum_flow.workflows.worker import ProcessActivities, RelayAfterActivities, build_worker

# Far enough ahead that every deadline of the year is still to come on the test server's clock.
YEAR = municipal_today().year + 2


@dataclass
class ControlPeople:
    """The organs and their förvaltningar as a test double, acting on the day they are reminded:
    the plan drafted and adopted, the controls performed (control 2 finds a brist) and the results
    reported with the delår; the year reported after it; KS assessing the whole. Organs in `silent`
    do nothing; deviations are handled as `PromptPeople` handles them."""

    governance: Governance
    styrmodell: Styrmodell
    people: PromptPeople
    silent: set[str] = field(default_factory=set)
    reminded: list[tuple[str, date]] = field(default_factory=list)
    # Owners reminded of a control still owed a result: (organ/control, owner, day).
    controls_reminded: list[tuple[str, str, date]] = field(default_factory=list)

    def notify(self, notice: Notice) -> None:
        if notice.kind is not NoticeKind.PAMINNELSE:
            self.people.notify(notice)
            return
        if "/kontroll/" in notice.key:
            organ, number, _ = notice.key.partition("/kontroll/")[2].split("/")
            self.controls_reminded.append((f"{organ}/{number}", notice.recipient, temporal_today()))
            return
        step = notice.key.rpartition("/")[2]
        kind, _, organ = step.partition(":")
        today = temporal_today()
        self.reminded.append((step, today))
        if organ in self.silent:
            return
        act: dict[str, Callable[[str, date], None]] = {
            "plan": self.adopt_plan,
            "delar": self.perform_and_report,
            "helar": self.report_year,
            "bedomning": self.assess,
        }
        act[kind](organ, today)

    def adopt_plan(self, organ: str, today: date) -> None:
        plan_id = internkontrollplan_id(organ, YEAR)
        owner = self.owner(organ)
        self.act(
            ik.OpenInternkontrollplan,
            "open_internkontrollplan",
            organ,
            organ=organ,
            year=YEAR,
            opened_on=today,
        )
        for title, probability, consequence in (
            ("Felaktiga utbetalningar", 3, 4),
            ("Jäv vid upphandling", 2, 3),
        ):
            self.act(
                ik.IdentifyRisk,
                "identify_risk",
                organ,
                plan_id=plan_id,
                title=title,
                probability=probability,
                consequence=consequence,
                on=today,
            )
        for risk in (1, 2):
            self.act(
                ik.PlanControl,
                "plan_control",
                organ,
                plan_id=plan_id,
                risk=risk,
                title=f"Kontroll av risk {risk}",
                owner=owner,
                method="Stickprov",
                frequency="halvar",
                on=today,
            )
        beslut = self.decide(organ, today, f"Internkontrollplan {YEAR}")
        self.act(
            ik.AdoptInternkontrollplan, "adopt_internkontrollplan", organ, plan_id=plan_id, beslut_id=beslut
        )

    def perform_and_report(self, organ: str, today: date) -> None:
        plan_id = internkontrollplan_id(organ, YEAR)
        owner = self.owner(organ)
        self.act(
            ik.RecordKontrollresultat,
            "record_kontrollresultat",
            owner,
            plan_id=plan_id,
            control=1,
            outcome="utan_anmarkning",
            performed_on=today,
        )
        self.act(
            ik.RecordKontrollresultat,
            "record_kontrollresultat",
            owner,
            plan_id=plan_id,
            control=2,
            outcome="brist",
            comment="Jävsdeklarationer saknas.",
            action="Inför deklaration vid varje upphandling.",
            performed_on=today,
        )
        self.act(
            ik.ReportInternkontroll,
            "report_internkontroll",
            organ,
            plan_id=plan_id,
            period="delar",
            summary="En brist; åtgärd beslutad.",
            reported_on=today,
        )

    def report_year(self, organ: str, today: date) -> None:
        self.act(
            ik.ReportInternkontroll,
            "report_internkontroll",
            organ,
            plan_id=internkontrollplan_id(organ, YEAR),
            period="helar",
            summary="Kontrollerna utförda; bristen åtgärdad.",
            reported_on=today,
        )

    def assess(self, organ: str, today: date) -> None:
        beslut = self.decide(organ, today, f"Bedömning av den interna kontrollen {YEAR}")
        self.act(
            ik.AssessInternkontroll,
            "assess_internkontroll",
            organ,
            year=YEAR,
            assessment=self.styrmodell.assessment_codes()[0],
            text="Tillräcklig intern kontroll.",
            beslut_id=beslut,
        )

    def decide(self, organ: str, on: date, title: str) -> uuid.UUID:
        outcome = self.governance.take_beslut(
            c.TakeBeslut(
                actor=organ,
                person=PERSON,
                decided_by=organ,
                kind=BeslutKind.OVRIGT,
                diarienummer=f"{organ.upper()} {on.year}/{title}"[:80],
                paragraf="§ 1",
                title=title,
                decided_on=on,
            )
        )
        return outcome.id

    def owner(self, organ: str) -> str:
        """The deepest of the first officials under the organ (its förvaltning), or the organ itself."""
        chain, owner = self.styrmodell.styrkedja(), organ
        while under := [p.id for p in chain.children(owner) if p.is_official]:
            owner = under[0]
        return owner

    def act(self, command_class: type[Any], use_case: str, actor: str, **fields: Any) -> None:
        getattr(self.governance, use_case)(
            c.parse_command(command_class, actor=actor, person=PERSON, **fields)
        )


@asynccontextmanager
async def internkontroll_world(
    tmp_path: Path, styrmodell: Styrmodell, *, silent: set[str], handle_at: dict[str, str]
) -> AsyncIterator[tuple[Harness, ControlPeople]]:
    """The harness with a worker whose notices reach the people of the year (the cycle's reminders the
    harness's people), the relay acting after each activity."""
    async with time_skipping(tmp_path, with_worker=False, styrmodell=styrmodell, handle_at=handle_at) as h:
        people = ControlPeople(h.governance, styrmodell, h.people, silent)
        async with build_worker(
            h.client,
            h.task_queue,
            ProcessActivities.on(h.governance, notifier=people, reminders=h.people),
            interceptors=[RelayAfterActivities(h.relay)],
        ):
            yield h, people


def avvikelser(h: Harness) -> list[Avvikelse.Reported]:
    return [e for e in h.events(Avvikelse.Reported.TOPIC) if isinstance(e, Avvikelse.Reported)]


def test_an_internkontroll_year_runs_from_the_plan_to_ks_assessment_with_a_brist_escalating(
    tmp_path: Path,
) -> None:
    """KS adopts its plan, a control finds a brist that escalates to KS and is closed there, the results
    reach KS with the delår and after the year, KS assesses the whole: every deadline met on its date."""

    async def scenario() -> None:
        styrmodell = default_styrmodell()
        deadlines = internkontroll_year(styrmodell, YEAR)
        async with internkontroll_world(tmp_path, styrmodell, silent=set(), handle_at={"ks": "close"}) as (
            h,
            people,
        ):
            started = await start_internkontroll(h.client, h.task_queue, "1441", YEAR)
            result = await h.result(started.workflow_id, InternkontrollResult)

            assert result.problems == []
            assert result.tally.deadlines_met == 4
            assert result.tally.reports_on_time == 2
            assert (result.tally.deadlines_missed, result.tally.avvikelser) == (0, 0)
            # Each step was taken on the day it was reminded of, two weeks before its deadline.
            assert [step for step, _ in people.reminded] == [
                "plan:ks",
                "delar:ks",
                "helar:ks",
                "bedomning:ks",
            ]
            assert [day for _, day in people.reminded] == [
                by - timedelta(days=14)
                for by in (deadlines.plan_by, deadlines.delar_by, deadlines.helar_by, deadlines.assessment_by)
            ]
            plan = h.governance.get_record(internkontrollplan_id("ks", YEAR))
            assert isinstance(plan, Internkontrollplan)
            assert plan.reported == {"delar": people.reminded[1][1], "helar": people.reminded[2][1]}
            # The half-yearly controls had no result by mid-June: their owner was reminded of both,
            # two weeks before the half year ended; performed in the autumn, December owed nothing.
            owner = people.owner("ks")
            assert people.controls_reminded == [
                ("ks/1", owner, date(YEAR, 6, 16)),
                ("ks/2", owner, date(YEAR, 6, 16)),
            ]

            # The brist opened one deviation, by the control's owner (a sektorschef), which went unanswered
            # at the kommundirektör, climbed to KS and was closed there.
            [brist] = avvikelser(h)
            [result_event] = [
                e
                for e in h.governance.events_of(plan.id)
                if isinstance(e, Internkontrollplan.ResultRecorded) and e.outcome == "brist"
            ]
            assert result_event.avvikelse_id == brist.originator_id
            assert (brist.actor, brist.level) == ("larande", "kommundirektor")
            escalation = await h.result(eskalering_workflow_id(brist.originator_id), EskaleringResult)
            assert (escalation.outcome, escalation.level, escalation.missed) == (
                "stangd",
                "ks",
                ["kommundirektor"],
            )

    asyncio.run(scenario())


def test_what_is_missing_at_a_deadline_becomes_a_deviation_of_the_organ_that_owed_it(tmp_path: Path) -> None:
    """In Norrvik the bolag adopts a plan too; a nämnd that never adopts one opens one deviation, and its
    reports, with no plan to report on, only problems; the other organs meet every deadline."""

    async def scenario() -> None:
        styrmodell = load_styrmodell(shipped_styrmodell_path("norrvik"))
        async with internkontroll_world(tmp_path, styrmodell, silent={"bun"}, handle_at={"kf": "close"}) as (
            h,
            _,
        ):
            started = await start_internkontroll(h.client, h.task_queue, "9999", YEAR)
            again = await start_internkontroll(h.client, h.task_queue, "9999", YEAR)
            result = await h.result(started.workflow_id, InternkontrollResult)

            assert started.workflow_id == internkontroll_workflow_id("9999", YEAR)
            assert not again.started
            organs = ["ks", "bun", "son", "byn", "norrviksbostader"]
            assert result.tally.deadlines_met == 3 * (len(organs) - 1) + 1
            assert (result.tally.deadlines_missed, result.tally.avvikelser) == (1, 1)
            assert len(result.problems) == 2
            assert all("ingen antagen plan" in p for p in result.problems)
            [missing] = [e for e in avvikelser(h) if e.actor == "bun"]
            assert missing.subject_ref == f"{started.workflow_id}:plan:bun"
            assert missing.effective_on == internkontroll_year(styrmodell, YEAR).plan_by + timedelta(days=1)
            # One deviation per brist of the four organs that adopted, and the missing plan's.
            assert len(avvikelser(h)) == len(organs) - 1 + 1

    asyncio.run(scenario())


def test_starting_a_budget_years_arshjul_starts_its_internkontroll_year_too(tmp_path: Path) -> None:
    """`arshjul start` on the dev server: the year's cycle and its internal control, each once."""

    async def scenario() -> None:
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=binary("temporal"),
            data_converter=pydantic_data_converter,
            dev_server_startup_timeout=DEV_SERVER_STARTUP,
        )
        try:
            cli = Cli(
                data_dir=tmp_path,
                env={
                    "LERUM_FLOW_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
                    "LERUM_FLOW_TEMPORAL_TASK_QUEUE": f"start-{uuid.uuid4()}",
                },
            )
            first = await asyncio.to_thread(cli, "--json", "arshjul", "start", str(YEAR))
            again = await asyncio.to_thread(cli, "--json", "arshjul", "start", str(YEAR))
            described = await env.client.get_workflow_handle(
                internkontroll_workflow_id("1441", YEAR)
            ).describe()
        finally:
            await env.shutdown()
        assert first.exit_code == 0, first.output
        started = json.loads(first.stdout)["startade"]
        assert [(s["arbetsflode_id"], s["nystartad"]) for s in started] == [
            (f"arshjul-1441-{YEAR}", True),
            (internkontroll_workflow_id("1441", YEAR), True),
        ]
        assert [s["nystartad"] for s in json.loads(again.stdout)["startade"]] == [False, False]
        assert described.status is WorkflowExecutionStatus.RUNNING

    asyncio.run(scenario())
