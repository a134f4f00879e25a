"""The årshjul makes each report's draft from the record when it reaches the report step."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

from e2e.cli_world import Cli
from temporal.temporal_harness import PERSON, decide, ordinary_budget_year, staffed, time_skipping
from temporal.test_arshjul import decide_the_year
from temporalio.testing import ActivityEnvironment

from lerum_flow.application import Governance
from lerum_flow.domain.rapportutkast import Rapportutkast
from lerum_flow.domain.values import BeslutKind
from lerum_flow.municipal_time import municipal_today
from lerum_flow.reports.drafting import ReportDrafts
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell, load_styrmodell, shipped_styrmodell_path
from lerum_flow.workflows.arshjul.activities import ArshjulActivities
from lerum_flow.workflows.arshjul.models import ArshjulResult, DraftInput
from lerum_flow.workflows.governance_steps import GovernanceSteps
from lerum_flow.workflows.planning import plan_cycle
from lerum_flow.workflows.starter import start_arshjul

ARGS = {"delar": ("--period", "1"), "arsredovisning": ()}
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")  # fmt: skip


def test_the_arshjul_records_each_report_draft_once_with_the_digest_the_report_command_gives_again(
    tmp_path: Path,
) -> None:
    """At the delårsrapport and the årsredovisning the cycle records one draft each, made the day after
    the period ends; `rapport` with the draft's as-of and position makes the same bytes, and the
    decision adopting the report names that digest, as the auditor reads."""

    async def scenario() -> None:
        styrmodell = default_styrmodell()
        year = ordinary_budget_year(styrmodell, municipal_today())
        plan = plan_cycle(styrmodell, year)
        async with time_skipping(tmp_path, with_worker=False) as h:
            decide_the_year(h, year)
            async with h.worker(drafts=ReportDrafts(h.governance, styrmodell)):
                started = await start_arshjul(h.client, h.task_queue, "1441", year)
                result = await h.result(started.workflow_id, ArshjulResult)
            drafts = h.events(Rapportutkast.Made.TOPIC)

        assert result.problems == []
        monthly = [e for e in drafts if e.report == "manad"]
        made = [e for e in drafts if e.report != "manad"]
        # The kommundirektör's report to KS, each follow-up month, as of that follow-up's deadline.
        to_ks = [f for f in plan.follow_ups if f.led == "forvaltningschef"]
        assert [(e.title, e.as_of, e.actor) for e in monthly] == [
            (f"Månadsuppföljning {MONTHS[int(f.period[5:]) - 1]} {year}", f.deadline.on, "kommundirektor")
            for f in to_ks
        ]
        assert [(e.report, e.title) for e in made] == [
            ("delar", f"Delårsrapport {year} (till {year}-08-31)"),
            ("arsredovisning", f"Årsredovisning {year}"),
        ]
        assert [e.effective_on for e in made] == [step.request.on for step in plan.reports]
        assert {e.process for e in made} == {started.workflow_id}
        assert [e.as_of for e in made] == [date(year, 8, 31), date(year, 12, 31)]
        # The harness's kanslienhet records for the organs.
        cli = Cli(tmp_path, env={"LERUM_FLOW_PERSON": PERSON})
        march = next(e for e in monthly if e.title.startswith("Månadsuppföljning mars"))
        args = (
            "manad",
            "--ar",
            str(year),
            "--manad",
            "3",
            "--niva",
            "ks",
            "--as-of",
            march.as_of.isoformat(),
        )
        again = cli(
            "--json",
            "rapport",
            *args,
            "--position",
            str(march.log_position),
            "--ut",
            str(tmp_path / "m.html"),
        )
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["sha256"] == march.digest
        for event in made:
            again = cli(
                "--json", "rapport", event.report, "--ar", str(year), *ARGS[event.report],
                "--as-of", event.as_of.isoformat(), "--position", str(event.log_position),
                "--ut", str(tmp_path / f"{event.report}.html"),
            )  # fmt: skip
            assert again.exit_code == 0, again.output
            assert json.loads(again.stdout)["sha256"] == event.digest
        annual = made[-1]
        adopted = cli.record(
            "beslut", "take", "--organ", "kf", "--kind", "arsredovisning",
            "--diarienummer", f"KF {year + 1}/9",
            "--paragraf", "§ 30", "--title", f"Årsredovisning {year}", "--date", f"{year + 1}-04-20",
            "--rapport-digest", annual.digest,
        )  # fmt: skip
        shown = cli("audit", "history", adopted)
        assert shown.exit_code == 0, shown.output
        assert annual.digest[:16] in shown.output
        # And the draft's own history: what it was made from, in Swedish.
        drafted = cli("audit", "history", str(annual.originator_id))
        assert drafted.exit_code == 0, drafted.output
        assert f"loggposition: {annual.log_position}" in drafted.output
        assert f"per dag: {year}-12-31" in drafted.output

    asyncio.run(scenario())


def test_norrviks_cycle_drafts_both_interim_reports_and_the_arsredovisning(tmp_path: Path) -> None:
    """A model with two interim periods: a draft of each, named by its period, made again by `rapport`."""
    norrvik = load_styrmodell(shipped_styrmodell_path("norrvik"))

    async def scenario() -> None:
        year = ordinary_budget_year(norrvik, municipal_today())
        async with time_skipping(tmp_path, styrmodell=norrvik, with_worker=False) as h:
            decide(h.governance, "kf", BeslutKind.BUDGET, date(year - 1, 11, 16), f"Budget {year}")
            decide(h.governance, "ks", BeslutKind.VERKSAMHETSPLAN, date(year - 1, 11, 25), f"Plan {year}")
            decide(h.governance, "ks", BeslutKind.UPPFOLJNINGSPLAN, date(year - 1, 11, 25), f"Uppf {year}")
            async with h.worker(drafts=ReportDrafts(h.governance, norrvik)):
                started = await start_arshjul(h.client, h.task_queue, norrvik.kommun.kod, year)
                await h.result(started.workflow_id, ArshjulResult)
            made = h.events(Rapportutkast.Made.TOPIC)

        # Norrvik's förvaltningschef for the whole (its kommundirektör) reports to KS monthly too:
        # each of those months is drafted once, beside the cycle's own reports.
        monthly = [e for e in made if e.report == "manad"]
        assert len(monthly) == len({e.title for e in monthly}) > 0
        cycle = [e for e in made if e.report != "manad"]
        assert [e.report for e in cycle] == ["delar", "delar", "arsredovisning"]
        assert cycle[0].title.startswith(f"Delårsrapport 1 {year}")
        assert cycle[1].title.startswith(f"Delårsrapport 2 {year}")
        second = cycle[1]
        again = Cli(tmp_path)(
            "--json", "rapport", "delar", "--ar", str(year), "--period", "2",
            "--as-of", second.as_of.isoformat(), "--position", str(second.log_position),
            "--ut", str(tmp_path / "delar-2.html"),
        )  # fmt: skip
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["sha256"] == second.digest

    asyncio.run(scenario())


def test_a_retried_draft_activity_records_the_draft_once(tmp_path: Path) -> None:
    """Temporal runs an activity again after a crash: the position fixed before makes the same draft."""
    styrmodell = default_styrmodell()
    settings = Settings(data_dir=tmp_path)
    governance = Governance(styrmodell, env=settings.eventsourcing_env())
    try:
        staffed(governance, settings)
        activities = ArshjulActivities(GovernanceSteps(governance), ReportDrafts(governance, styrmodell))
        env = ActivityEnvironment()
        upto = asyncio.run(env.run(activities.draft_position, "1441"))
        assert upto is not None
        request = DraftInput(
            command_key="arshjul-1441-2027/utkast/arsredovisning",
            person="temporal:arshjul-1441-2027",
            actor="ks",
            report="arsredovisning",
            year=2027,
            upto=upto,
            made_on=date(2028, 1, 1),
        )
        first = asyncio.run(env.run(activities.make_draft, request))
        # Something is recorded between the attempts: the draft is still read to the same position.
        second = asyncio.run(env.run(activities.make_draft, request))
        assert first is not None
        assert second is not None
        assert (first.recorded, second.recorded) == (True, False)
        assert first.digest == second.digest
        made = [
            governance.to_event(n)
            for page in governance.pages(topics=[Rapportutkast.Made.TOPIC])
            for n in page.notifications
        ]
        assert len(made) == 1
    finally:
        governance.close()
