"""The escalation benchmark's pieces that need no server: short deadlines, and the figures of a run."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from lerum_flow.application import utc_now
from lerum_flow.benchmarks.bench_escalation import STAGES, EscalationRun, Sample, figures
from lerum_flow.benchmarks.short_deadlines import late_clock, one_hour_styrmodell
from lerum_flow.styrmodell import default_styrmodell, load_styrmodell


def hours_by_kind(path: Path | None = None) -> dict[str, int]:
    styrmodell = default_styrmodell() if path is None else load_styrmodell(path)
    return {str(rule.slag): rule.kvittens_timmar for rule in styrmodell.eskalering}


def test_one_hour_styrmodell_gives_every_level_one_hour(tmp_path: Path) -> None:
    assert set(hours_by_kind(one_hour_styrmodell(tmp_path)).values()) == {1}


def test_one_hour_styrmodell_shortens_only_the_kinds_asked_for(tmp_path: Path) -> None:
    shipped = hours_by_kind()
    assert shipped["sektorschef"] != 1
    assert hours_by_kind(one_hour_styrmodell(tmp_path, kinds=["sektorschef"])) == shipped | {"sektorschef": 1}


def test_one_hour_styrmodell_refuses_a_kind_without_a_rule(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="finns-inte"):
        one_hour_styrmodell(tmp_path, kinds=["finns-inte"])


def test_late_clock_runs_behind_the_real_one() -> None:
    before = utc_now()
    late = late_clock(timedelta(hours=1))()
    after = utc_now()
    assert before - timedelta(hours=1) <= late <= after - timedelta(hours=1)


def run(relay_share: float) -> EscalationRun:
    """Ten samples of 100..1000 ms; the relay's stage takes `relay_share` of each."""
    spaced = [Sample(uuid.uuid4(), 0.0, n / 10) for n in range(1, 11)]
    rest = (1 - relay_share) / (len(STAGES) - 1)
    stages = {
        stage: [s.latency * (relay_share if stage == "rela" else rest) for s in spaced] for stage in STAGES
    }
    burst = [Sample(uuid.uuid4(), 0.0, 2.0)]
    return EscalationRun("larande", "kommundirektor", spaced, burst, [0.001], stages)


def test_figures_put_each_percentile_beside_the_same_percentile_of_the_round_trips() -> None:
    p50, p99 = figures(run(0.6), [0.01 * n for n in range(1, 101)])
    assert (p50.id, p50.value, p50.baseline) == ("escalation_p50", pytest.approx(500), pytest.approx(500))
    assert (p99.id, p99.value, p99.baseline) == ("escalation_p99", pytest.approx(1000), pytest.approx(990))
    assert p99.goal is not None
    assert p99.met is True
    assert p50.details["avvikelser"] == 10
    assert p50.details["skur"]["avvikelser"] == 1
    assert p50.details["storsta_steg"] == "rela"
    assert "Reläet" in p50.details["anmarkning"]


def test_figures_blame_the_relay_only_when_its_stage_is_the_largest() -> None:
    details = figures(run(0.1), [0.01])[0].details
    assert details["storsta_steg"] != "rela"
    assert "anmarkning" not in details
