"""Deviations through the command line: where they lie and until when, who acknowledged first, bad input.

The escalation workflow is not running here: a person's commands never need
Temporal (docs/arkitektur.md, "How data flows"); the board shows the deadlines the
workflow keeps.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from e2e.cli_world import Cli, run_process

SECTOR = "vard-och-omsorg"
CHEF = "enhetschef-solgarden"
DAY = "2027-03-14"


@pytest.fixture
def unit(cli: Cli) -> Cli:
    """A chef under the sector, whose deviations go to the sektorschef."""
    cli.record(
        "organisation", "establish", "--as", SECTOR, "--id", CHEF, "--name", "Enhetschef, Solgården",
        "--kind", "chef", "--parent", SECTOR, "--date", "2027-01-10",
    )  # fmt: skip
    cli.appoint(CHEF, by=SECTOR, on="2027-01-10")
    return cli


def report(
    cli: Cli, *, severity: str = "avvikelse", description: str = "Nattbemanningen räcker inte."
) -> str:
    return cli.record(
        "avvikelse", "report", "--as", CHEF, "--about", "handelse", "--ref", "nattbemanning",
        "--severity", severity, "--category", "verksamhet", "--description", description, "--date", DAY,
    )  # fmt: skip


def refused(cli: Cli, *args: str) -> str:
    """Run a command that must be refused; its stderr."""
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert "Inget registrerades." in result.stderr
    return result.stderr


def test_a_report_says_where_the_deviation_lies_and_until_when(unit: Cli) -> None:
    """The sektorschef holds it and has 24 hours, by the styrmodell, to acknowledge it."""
    result = unit(
        "avvikelse", "report", "--as", CHEF, "--about", "handelse", "--ref", "larm",
        "--severity", "avvikelse", "--category", "verksamhet", "--description", "Larmet fungerar inte.",
        "--date", DAY,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert f"Ligger hos Sektorschef, sektor vård och omsorg ({SECTOR}); kvittens senast" in result.stdout


@pytest.mark.slow
def test_two_people_acknowledging_at_once_one_wins_and_the_other_is_told_who(unit: Cli) -> None:
    """Two processes acknowledge at the same level at the same moment: one is recorded, the other names it."""
    avvikelse = report(unit)
    unit.appoint_another(SECTOR, "p-anna")
    unit.appoint_another(SECTOR, "p-bo", role="tillforordnad")
    assert unit("katalog", "set", "p-anna", "--name", "Anna Berg").exit_code == 0
    assert unit("katalog", "set", "p-bo", "--name", "Bo Ek").exit_code == 0
    # No --json: the person reads this, and it must be clear to a person.
    command = ("avvikelse", "acknowledge", avvikelse, "--as", SECTOR, "--date", DAY)

    def acknowledge(person: str) -> subprocess.CompletedProcess[str]:
        return run_process(*command, "--person", person, data_dir=unit.data_dir)

    with ThreadPoolExecutor(max_workers=2) as pool:
        anna, bo = pool.map(acknowledge, ["p-anna", "p-bo"])

    assert sorted([anna.returncode, bo.returncode]) == [0, 1], (anna, bo)
    (winner, name), loser = (
        (("p-anna", "Anna Berg"), bo) if anna.returncode == 0 else (("p-bo", "Bo Ek"), anna)
    )
    assert f"{name} ({winner}) kvitterade först" in loser.stderr, loser.stderr
    assert "Din kvittens behövs inte och registrerades inte." in loser.stderr
    acknowledged = [e for e in unit.history(avvikelse) if e["handelse"] == "Avvikelse.Acknowledged"]
    assert [e["person"] for e in acknowledged] == [winner]


def test_acknowledging_an_unknown_deviation_is_refused_and_records_nothing(unit: Cli) -> None:
    stderr = refused(
        unit,
        "avvikelse",
        "acknowledge",
        "6f1c2d3e-0000-4000-8000-000000000000",
        "--as",
        SECTOR,
        "--date",
        DAY,
    )
    assert "Det finns ingen avvikelse med id 6f1c2d3e-0000-4000-8000-000000000000." in stderr

    stderr = refused(unit, "avvikelse", "acknowledge", "inte-ett-id", "--as", SECTOR, "--date", DAY)
    assert "avvikelse" in stderr


def test_acknowledging_at_a_level_that_does_not_hold_it_is_refused_and_records_nothing(unit: Cli) -> None:
    avvikelse = report(unit)
    before = unit.events(avvikelse)

    stderr = refused(unit, "avvikelse", "acknowledge", avvikelse, "--as", "kommundirektor", "--date", DAY)

    assert f"Avvikelsen ligger hos {SECTOR}, inte hos 'kommundirektor'." in stderr
    assert unit.events(avvikelse) == before


def test_acknowledging_a_closed_deviation_is_refused_and_records_nothing(unit: Cli) -> None:
    avvikelse = report(unit)
    for args in (
        ("acknowledge", avvikelse),
        ("decide", avvikelse, "--action", "Inhyrd personal."),
        ("close", avvikelse, "--description", "Bemanningen löst."),
    ):
        unit.record("avvikelse", *args, "--as", SECTOR, "--date", DAY)
    unit.appoint_another(SECTOR, "p-other", role="tillforordnad")
    before = unit.events(avvikelse)

    # Another person: the same person's same acknowledgement again would be taken as a retry.
    stderr = refused(
        unit, "avvikelse", "acknowledge", avvikelse, "--as", SECTOR, "--person", "p-other", "--date", DAY
    )

    assert "Avvikelsen är stängd." in stderr
    # Another level is told the same: it is closed, wherever it last lay.
    stderr = refused(unit, "avvikelse", "acknowledge", avvikelse, "--as", "kommundirektor", "--date", DAY)
    assert "Avvikelsen är stängd." in stderr
    assert unit.events(avvikelse) == before


def board(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("--json", "avvikelse", "board", *args)
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_the_board_shows_each_levels_deadline_most_urgent_first_and_filters_by_level(unit: Cli) -> None:
    """The sektorschef's 24 hours end before KS's 72; an acknowledged one has no deadline and comes last."""
    routine = report(unit, description="Vikarie saknas.")
    grave = report(unit, severity="storre", description="Brand i köket.")
    handled = report(unit, description="Trasig dörr.")
    unit.record("avvikelse", "acknowledge", handled, "--as", SECTOR, "--date", DAY)

    found = board(unit)

    assert found["ordning"] == [SECTOR, "ks"]
    at_sector = found["nivaer"][SECTOR]
    assert [a["id"] for a in at_sector] == [routine, handled]
    deadline = datetime.fromisoformat(at_sector[0]["kvittens_senast"])
    assert deadline - datetime.fromisoformat(at_sector[0]["pa_nivan_sedan"]) == timedelta(hours=24)
    assert at_sector[1]["kvittens_senast"] is None
    (at_ks,) = found["nivaer"]["ks"]
    assert at_ks["id"] == grave
    assert datetime.fromisoformat(at_ks["kvittens_senast"]) - datetime.fromisoformat(
        at_ks["pa_nivan_sedan"]
    ) == timedelta(hours=72)
    assert not any(a["kvittens_forsenad"] for lvl in found["nivaer"].values() for a in lvl)

    only_ks = board(unit, "--level", "ks")
    assert (only_ks["ordning"], [a["id"] for a in only_ks["nivaer"]["ks"]]) == (["ks"], [grave])

    text = unit("avvikelse", "board", "--level", "ks")
    assert text.exit_code == 0, text.output
    assert "Kvittens senast" in text.stdout
    assert grave[:8] in text.stdout  # the short id; the full one with --full-ids or --json
