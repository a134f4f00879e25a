"""`lerum-flow demo --styrmodell FIL --ovning ...`: another municipality's mandate period, with the
rehearsals, on the time-skipping server (Östervik: six nämnder, two bolag, budget in November)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporal.temporal_harness import events

from lerum_flow.application import Governance
from lerum_flow.demo import run_simulation
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import load_styrmodell

OSTERVIK = Path(__file__).parent.parent / "fixtures" / "styrmodell" / "sex_namnder.toml"


@pytest.mark.slow
def test_ostervik_lives_through_a_year_with_a_late_budget_a_late_namnd_and_a_deviation_left_lying(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path, styrmodell_path=OSTERVIK)
    summary = run_simulation(settings, years=1, ovningar=["kf-missar-budget", "sen-namnd", "okvitterad"])

    assert summary.kommun == "Österviks kommun"
    (cycle,) = summary.cycles
    assert cycle.problems == []
    governance = Governance(load_styrmodell(OSTERVIK), env=settings.eventsourcing_env("governance"))
    try:
        reported = events(governance, Avvikelse.Reported.TOPIC)
        described = [e.description for e in reported]
        # KF's budget after the election came a week late; Utbildningsnämnden's first delårsrapport too.
        assert any("(nyvalt fullmäktige) har inte beslutats" in d for d in described)
        assert any(d.startswith("Utbildningsnämndens delårsrapport 1") for d in described)
        # Every nämnd adopted its verksamhetsplan, after the budget, and the bolag their reports.
        taken = events(governance, Beslut.Taken.TOPIC)
        plans = {e.decided_by for e in taken if e.kind == "verksamhetsplan"}
        assert plans == {"ks", "un", "son", "sbn", "kfn", "mhn", "tn"}
        assert {e.decided_by for e in taken if e.kind == "arsredovisning"} >= {
            "osterviksbostader",
            "ostervik-energi",
        }
        # Nobody acknowledged the rehearsal's deviation: förvaltningschef, nämnd, KS (its uppsikt), KF.
        (lying,) = [e for e in reported if e.description.endswith("(övning: ingen kvitterar)")]
        path = [
            (e.from_level, e.to_level)
            for e in events(governance, Avvikelse.Escalated.TOPIC)
            if e.originator_id == lying.originator_id
        ]
        assert lying.level == "un-forvaltningschef"
        assert path == [("un-forvaltningschef", "un"), ("un", "ks"), ("ks", "kf")]
    finally:
        governance.close()
