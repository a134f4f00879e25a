"""The simulated mandate period, one budget year long: the demo's machinery, end to end."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from e2e.cli_world import Cli
from rich.console import Console

from lerum_flow.application import Governance
from lerum_flow.cli.demo_summary import render_summary
from lerum_flow.demo import run_simulation
from lerum_flow.demo.organisation import REVISOR
from lerum_flow.demo.runner import SimulationSummary
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell


@dataclass(frozen=True)
class Simulated:
    summary: SimulationSummary
    output: str
    data_dir: Path


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Simulated:
    """One simulated budget year, its store kept as with `demo --data-dir`; run once for the module."""
    data_dir = tmp_path_factory.mktemp("demo")
    output = io.StringIO()
    console = Console(file=output, width=160)
    summary = run_simulation(Settings(data_dir=data_dir), console, years=1)
    render_summary(summary, console)
    return Simulated(summary, output.getvalue(), data_dir)


def test_a_simulated_budget_year_runs_through_the_cycle_with_a_few_late_reports(simulated: Simulated) -> None:
    """Lerum's 110 units live a budget year: decisions, uppdrag down the chain, reports, discharge."""
    summary = simulated.summary

    (cycle,) = summary.cycles
    assert cycle.budget_year == summary.election_year + 1
    assert cycle.election_year
    assert cycle.problems == []
    assert summary.units == 110
    events = summary.events_by_kind
    assert events["Befattning.Established"] == 110
    # Budget twice, plans, Vilja och mål, discharge; and the two the staffing rests on (KF
    # elects KS, KS appoints its sekreterare and the kommundirektör).
    assert events["Beslut.Taken"] == 6 + 2
    # Who acts holds the position: the kanslienhet in KF and KS, a KS member, the revisor, the
    # director, five sektorschefer and every unit's chef.
    assert events["Forordnande.Appointed"] == 1 + 2 + 1 + 1 + 5 + 110
    # Every uppdrag reached its recipient and was accepted, down to the unit chefs.
    assert events["Uppdrag.Accepted"] == events["Uppdrag.Issued"] > 110
    # The late reports are the cycle's only missed deadlines, each an avvikelse;
    # the simulation adds one ad hoc deviation of its own.
    assert 1 <= cycle.tally.reports_missing == cycle.tally.deadlines_missed == cycle.tally.avvikelser
    assert events["Avvikelse.Reported"] == cycle.tally.avvikelser + 1
    assert events["Uppdrag.Completed"] == 1  # KF's budget uppdrag, at the discharge
    assert summary.mandatperiod.goal_uppdrag_id is not None
    text = simulated.output
    assert "Nekat" not in text  # nobody in the simulation was refused anything
    assert "Årshjulet för budgetår" in text
    assert "avslutat" in text


def test_after_the_simulated_demo_its_revisor_holds_revisorer_and_reads_the_store_as_an_auditor(
    simulated: Simulated,
) -> None:
    """KF elected the revisorer with KS, so a kept demo store can be opened as a revisor too."""
    election = simulated.summary.election_year
    # The first budget year's discharge lies in the mandate period the revisor was elected for.
    day = default_styrmodell().kalender.mandatperiod_borjar.in_year(election)
    cli = Cli(data_dir=simulated.data_dir, env={"LERUM_FLOW_PERSON": REVISOR})

    listed = cli("--json", "forordnande", "list", "--position", "revisorer", "--date", day.isoformat())
    assert listed.exit_code == 0, listed.output
    assert [f["person"] for f in json.loads(listed.stdout)["forordnanden"]] == [REVISOR]
    governance = Governance(env=Settings(data_dir=simulated.data_dir).eventsourcing_env("governance"))
    try:
        assert [h.position for h in governance.held_by(REVISOR, day)] == ["revisorer"]
    finally:
        governance.close()
    as_of = cli("audit", "as-of", date(election + 1, 6, 30).isoformat())
    assert as_of.exit_code == 0, as_of.output
