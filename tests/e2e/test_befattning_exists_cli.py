"""As a user types it: a command naming a position on a day it does not exist (established only from a
later day, or discontinued from that day or earlier) is refused in Swedish, exit 1, and the sealed
log is intact with nothing new in it; the same command on a day it exists is recorded."""

from __future__ import annotations

import json

import pytest
from e2e.cli_world import Cli, ks_verksamhetsplan

SECTOR = "vard-och-omsorg"
LATE = "enhetschef-nytt-boende"
GONE = "enhetschef-hemtjanst"


@pytest.fixture
def units(cli: Cli) -> Cli:
    """A unit under the sector from 2027-09-01, and one there from 2027-01-10 and gone from 2027-06-01."""
    for code, established in ((LATE, "2027-09-01"), (GONE, "2027-01-10")):
        cli.record(
            "organisation", "establish", "--as", SECTOR, "--id", code, "--name", "Enhetschef",
            "--kind", "chef", "--parent", SECTOR, "--date", established,
        )  # fmt: skip
    cli.record(
        "organisation", "discontinue", "--as", SECTOR, "--id", GONE, "--reason", "Enheten läggs ned.",
        "--date", "2027-06-01",
    )  # fmt: skip
    return cli


def delegationsordning(cli: Cli) -> str:
    return cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "delegationsordning", "--matter", "delegationsordning",
        "--diarienummer", "KS 2026/451", "--paragraf", "§ 202", "--title", "Delegationsordning",
        "--date", "2026-12-14",
    )  # fmt: skip


def uppdrag_to(code: str, day: str, plan: str) -> list[str]:
    return [
        "uppdrag", "issue", "--as", "ks", "--to", code, "--beslut", plan, "--title", f"Bemanning {day}",
        "--due", "2027-12-31", "--date", day,
    ]  # fmt: skip


def delegering_to(code: str, day: str, ordning: str) -> list[str]:
    return [
        "delegering", "grant", "--as", "ks", "--to", code, "--matter", "upphandling", "--beslut", ordning,
        "--valid-from", day,
    ]  # fmt: skip


def appointment_to(code: str, day: str) -> list[str]:
    return [
        "forordnande", "appoint", "p-ny-01", "--position", code, "--as", SECTOR, "--valid-from", day,
        "--date", day,
    ]  # fmt: skip


def assert_refused_intact(cli: Cli, args: list[str], rule: str, says: str) -> None:
    """Refused with `says` and `rule`, exit 1, as text and as --json; `audit verify` finds the log
    intact, at the same position as before."""
    verified = json.loads(cli("--json", "audit", "verify").stdout)
    as_text = cli(*args)
    as_json = cli("--json", *args)
    after = json.loads(cli("--json", "audit", "verify").stdout)
    assert as_text.exit_code == 1, as_text.output
    assert says in " ".join(as_text.stderr.split())
    assert f"regel: {rule}" in as_text.stderr
    assert as_json.exit_code == 1, as_json.output
    assert json.loads(as_json.stdout)["regel"] == rule
    assert (after["intakt"], after["position"]) == (True, verified["position"])


def test_an_uppdrag_to_a_unit_before_it_is_established_is_refused_and_from_its_first_day_issued(
    units: Cli,
) -> None:
    """To the new unit on 2027-08-31: refused, saying from when it is established; on 2027-09-01, issued."""
    plan = ks_verksamhetsplan(units)

    assert_refused_intact(
        units,
        uppdrag_to(LATE, "2027-08-31", plan),
        "inte_inrattad_an",
        f"Befattningen '{LATE}' fanns inte 2027-08-31: den inrättades först från 2027-09-01.",
    )
    assert units.record(*uppdrag_to(LATE, "2027-09-01", plan))


def test_a_delegering_to_a_unit_before_it_is_established_or_once_discontinued_is_refused(units: Cli) -> None:
    """To the new unit before its first day, and to the closed one from its last: refused in the same
    words; to the new unit from its first day, granted."""
    ordning = delegationsordning(units)

    assert_refused_intact(
        units,
        delegering_to(LATE, "2027-03-01", ordning),
        "inte_inrattad_an",
        f"Befattningen '{LATE}' fanns inte 2027-03-01: den inrättades först från 2027-09-01.",
    )
    assert_refused_intact(
        units,
        delegering_to(GONE, "2027-06-01", ordning),
        "avvecklad",
        f"Befattningen '{GONE}' fanns inte 2027-06-01: den avvecklades från 2027-06-01.",
    )
    assert units.record(*delegering_to(LATE, "2027-09-01", ordning))


def test_no_one_is_appointed_to_a_unit_before_it_is_established(units: Cli) -> None:
    """A förordnande from 2027-03-01 in the new unit is refused; from its first day, recorded."""
    assert_refused_intact(
        units,
        appointment_to(LATE, "2027-03-01"),
        "inte_inrattad_an",
        f"Befattningen '{LATE}' fanns inte 2027-03-01: den inrättades först från 2027-09-01.",
    )
    assert units.record(*appointment_to(LATE, "2027-09-01"))
