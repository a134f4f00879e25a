"""The simulated mandate period, one budget year long: the demo's machinery, end to end."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from lerum_flow.cli.demo_summary import render_summary
from lerum_flow.demo import run_simulation
from lerum_flow.settings import Settings


def test_a_simulated_budget_year_runs_through_the_cycle_with_a_few_late_reports(tmp_path: Path) -> None:
    """Lerum's 110 units live a budget year: decisions, uppdrag down the chain, reports, discharge."""
    output = io.StringIO()
    console = Console(file=output, width=160)

    summary = run_simulation(Settings(data_dir=tmp_path), console, years=1)
    render_summary(summary, console)

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
    # Who acts holds the position: the kanslienhet in KF and KS, a KS member, the director,
    # five sektorschefer and every unit's chef.
    assert events["Forordnande.Appointed"] == 1 + 2 + 1 + 5 + 110
    # Every uppdrag reached its recipient and was accepted, down to the unit chefs.
    assert events["Uppdrag.Accepted"] == events["Uppdrag.Issued"] > 110
    # The late reports are the cycle's only missed deadlines, each an avvikelse;
    # the simulation adds one ad hoc deviation of its own.
    assert 1 <= cycle.tally.reports_missing == cycle.tally.deadlines_missed == cycle.tally.avvikelser
    assert events["Avvikelse.Reported"] == cycle.tally.avvikelser + 1
    assert events["Uppdrag.Completed"] == 1  # KF's budget uppdrag, at the discharge
    assert summary.mandatperiod.goal_uppdrag_id is not None
    text = output.getvalue()
    assert "Nekat" not in text  # nobody in the simulation was refused anything
    assert "Årshjulet för budgetår" in text
    assert "avslutat" in text
