"""`lerum-flow arshjul plan YEAR`: every dated step of a budget year, for any municipality's styrmodell."""

from __future__ import annotations

import json

from e2e.cli_world import Cli

from lerum_flow.styrmodell import load_styrmodell, shipped_styrmodell_path
from lerum_flow.workflows.starter import plan_of_budget_year

WIDTH = {"COLUMNS": "80"}


def test_lerums_plan_lists_budget_plans_follow_ups_reports_and_discharge_in_80_columns(cli: Cli) -> None:
    shown = cli("arshjul", "plan", "2028", env=WIDTH)

    assert shown.exit_code == 0, shown.output
    assert "Lerums kommun" in shown.stdout
    assert all(len(line) <= 80 for line in shown.stdout.splitlines())
    for expected in ("2027-06-30", "Budget 2028", "Delårsrapport 2028", "2028-10-31", "Årsredovisning 2028"):
        assert expected in shown.stdout
    assert "Ansvarsfrihet för 2028" in shown.stdout
    assert "kommundirektor" in shown.stdout


def test_norrviks_plan_has_both_delarsrapporter_and_its_own_report_days(cli: Cli) -> None:
    """Given with --styrmodell: Norrvik's two interim reports and its nämnder's report day, the 8th."""
    path = str(shipped_styrmodell_path("norrvik"))
    as_json = cli("--json", "--styrmodell", path, "arshjul", "plan", "2028")

    assert as_json.exit_code == 0, as_json.output
    listed = json.loads(as_json.stdout)
    assert (listed["kommunkod"], listed["budgetar"]) == ("9999", 2028)
    reports = [(s["vad"], s["vem"], s["till"], s["senast"]) for s in listed["steg"] if s["slag"] == "rapport"]
    assert reports == [
        ("Delårsrapport 1 2028", "ks", "kf", "2028-05-31"),
        ("Delårsrapport 2 2028", "ks", "kf", "2028-10-15"),
        ("Årsredovisning 2028", "ks", "kf", "2029-04-15"),
    ]
    assert "2028-02-08" in {s["senast"] for s in listed["steg"] if s["slag"] == "uppfoljning"}


def test_the_listed_steps_are_the_steps_the_cycle_plans(cli: Cli) -> None:
    """One calendar: the list is the plan the årshjul's plan activity computes, step for step."""
    path = shipped_styrmodell_path("norrvik")
    listed = json.loads(cli("--json", "--styrmodell", str(path), "arshjul", "plan", "2027").stdout)["steg"]
    plan = plan_of_budget_year(load_styrmodell(path), 2027)
    planned = len(plan.decisions) + 1 + len(plan.follow_ups) + len(plan.reports)
    assert len(listed) == planned
    assert [s["senast"] for s in listed] == sorted(s["senast"] for s in listed)


def test_a_year_out_of_range_is_refused_in_swedish(cli: Cli) -> None:
    refused = cli("arshjul", "plan", "1850")

    assert refused.exit_code == 1
    assert "Budgetåret 1850 är orimligt" in refused.stderr
