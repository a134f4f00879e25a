"""`beslut take` for a budget: its budget year and whether it is a tilläggsbudget, as a user types them."""

from __future__ import annotations

from e2e.cli_world import Cli

BUDGET = (
    "beslut", "take", "--organ", "kf", "--kind", "budget", "--diarienummer", "KF 2026/30",
    "--paragraf", "§ 21", "--date", "2026-03-20",
)  # fmt: skip


def test_a_tillaggsbudget_names_its_year_and_kind_in_the_record_and_the_message(cli: Cli) -> None:
    beslut_id = cli.record(
        *BUDGET, "--title", "Tilläggsbudget 2026", "--budgetar", "2026", "--tillaggsbudget"
    )
    again = cli(*BUDGET, "--title", "Tilläggsbudget 2026", "--budgetar", "2026", "--tillaggsbudget")

    assert "tilläggsbudget för 2026" in again.stdout
    facts = cli.history(beslut_id)[0]["uppgifter"]
    assert (facts["budgetar"], facts["budgettyp"]) == (2026, "tillaggsbudget")


def test_a_budget_that_says_nothing_is_the_annual_budget_for_the_year_after(cli: Cli) -> None:
    taken = cli(*BUDGET, "--title", "Budget 2027")

    assert taken.exit_code == 0, taken.output
    assert "årsbudget för 2027" in taken.stdout


def test_a_budget_year_on_another_kind_of_decision_is_refused_and_records_nothing(cli: Cli) -> None:
    before = cli.event_count()
    refused = cli(
        "beslut", "take", "--organ", "kf", "--kind", "ansvarsfrihet", "--diarienummer", "KF 2027/5",
        "--paragraf", "§ 3", "--title", "Ansvarsfrihet", "--date", "2027-05-20", "--tillaggsbudget",
    )  # fmt: skip

    assert refused.exit_code == 1
    assert "bara beslut av slaget budget" in refused.stderr
    assert "Inget registrerades." in refused.stderr
    assert cli.event_count() == before
