"""`lerum-flow forordnande` as the kanslienhet types it: the register taken into use, the chain staffed
down from KF, and every command by a person checked against it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from e2e.cli_world import Cli

KANSLI = "p-kansli"

BUDGET = (
    "beslut", "take", "--organ", "kf", "--kind", "budget", "--diarienummer", "KS 2027/100",
    "--paragraf", "§ 55", "--title", "Budget 2028", "--date", "2027-06-15",
)  # fmt: skip


@pytest.fixture
def fresh(tmp_path: Path) -> Cli:
    """The CLI on an empty store, acting as the kanslienhet."""
    return Cli(data_dir=tmp_path / "data", env={"LERUM_FLOW_PERSON": KANSLI})


def decision(cli: Cli, organ: str, diarienummer: str, day: str, *more: str) -> str:
    return cli.record(
        "beslut", "take", "--organ", organ, "--kind", "ovrigt", "--diarienummer", diarienummer,
        "--paragraf", "§ 1", "--title", "Val och förordnanden", "--date", day, *more,
    )  # fmt: skip


def refused(cli: Cli, *args: str) -> dict[str, Any]:
    """Run a command that must be refused: its JSON refusal, with nothing recorded."""
    before = cli.event_count()
    result = cli("--json", *args)
    assert result.exit_code == 1, result.output
    assert cli.event_count() == before
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def staffed_to_ks(cli: Cli) -> str:
    """The register introduced, KF's decision electing p-ks to KS; that decision's id."""
    cli.record("forordnande", "introduce", KANSLI, "--valid-from", "2026-10-15")
    val = decision(cli, "kf", "KS 2026/300", "2026-10-20")
    cli.record(
        "forordnande", "appoint", "p-ks", "--position", "ks", "--as", "kf", "--beslut", val,
        "--valid-from", "2026-10-20", "--valid-until", "2030-12-31", "--date", "2026-10-20",
    )  # fmt: skip
    return val


def test_before_the_register_is_introduced_nobody_acts_and_afterwards_its_sekreterare_does(
    fresh: Cli,
) -> None:
    """A fresh store refuses everyone; `introduce` makes KF's first sekreterare, once."""
    answer = refused(fresh, *BUDGET)
    assert (answer["fel"], answer["falt"], answer["regel"]) == ("ej_behorig", "person", "ej_forordnad")
    assert "p-kansli har inget förordnande som 'kf'" in answer["meddelande"]

    fresh.record("forordnande", "introduce", KANSLI, "--valid-from", "2026-10-15")
    fresh.record(*BUDGET)
    again = refused(fresh, "forordnande", "introduce", "p-annan", "--valid-from", "2026-10-15")

    assert again["regel"] == "redan_infort"


def test_kf_elects_ks_by_decision_and_the_elected_member_acts_within_the_term(fresh: Cli) -> None:
    """The member acts as KS in the term; a decision of KS's own cannot elect KS's members."""
    staffed_to_ks(fresh)
    own = decision(fresh, "ks", "KS 2026/310", "2026-11-02", "--person", "p-ks")

    refusal = refused(
        fresh, "forordnande", "appoint", "p-annan", "--position", "ks", "--as", "ks", "--beslut", own,
        "--valid-from", "2026-11-02", "--valid-until", "2030-12-31", "--date", "2026-11-02",
        "--person", "p-ks",
    )  # fmt: skip
    late = refused(
        fresh, "beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", "KS 2031/1",
        "--paragraf", "§ 1", "--title", "Policy", "--date", "2031-01-02", "--person", "p-ks",
    )  # fmt: skip

    assert (refusal["regel"], refusal["falt"]) == ("tillsatts_av", "as")
    assert "görs av 'kf'" in refusal["meddelande"]
    assert late["regel"] == "ej_forordnad"
    assert "till och med 2030-12-31" in late["meddelande"]


def test_kf_members_are_recorded_from_the_bevis_and_an_elected_member_needs_a_last_day(fresh: Cli) -> None:
    """Länsstyrelsen's bevis carries KF's members; without it, or without a term, nothing is recorded."""
    fresh.record("forordnande", "introduce", KANSLI, "--valid-from", "2026-10-15")
    common = ("forordnande", "appoint", "p-0101", "--position", "kf", "--as", "kf",
              "--valid-from", "2026-10-15",
              "--date", "2026-10-15")  # fmt: skip

    without_bevis = refused(fresh, *common, "--valid-until", "2030-10-14")
    without_term = refused(fresh, *common, "--bevis", "Lst 2026-10-01 nr 7")
    fresh.record(*common, "--bevis", "Lst 2026-10-01 nr 7", "--valid-until", "2030-10-14")

    assert (without_bevis["regel"], without_bevis["falt"]) == ("bevis_kravs", "bevis")
    assert (without_term["regel"], without_term["falt"]) == ("mandattid_kravs", "valid-until")


def test_an_ended_forordnande_no_longer_lets_its_holder_act(fresh: Cli) -> None:
    """KF releases the member by decision; from the day after the last, KS refuses the person."""
    val = staffed_to_ks(fresh)
    fresh.record(
        "forordnande", "end", "p-ks", "--position", "ks", "--as", "kf", "--beslut", val,
        "--valid-until", "2027-03-31", "--reason", "Avsägelse", "--date", "2027-03-20",
    )  # fmt: skip

    late = refused(
        fresh, "beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", "KS 2027/40",
        "--paragraf", "§ 3", "--title", "Policy", "--date", "2027-04-01", "--person", "p-ks",
    )  # fmt: skip
    listed = json.loads(fresh("--json", "forordnande", "list", "--position", "ks", "--all").stdout)

    assert "till och med 2027-03-31" in late["meddelande"]
    assert [(f["person"], f["giltig_till"]) for f in listed["forordnanden"]] == [("p-ks", "2027-03-31")]


def test_a_process_person_id_cannot_be_given_on_the_command_line(fresh: Cli) -> None:
    """Workflows act as `temporal:…` and hold no förordnande; a person may not pass as one."""
    answer = refused(fresh, *BUDGET, "--person", "temporal:Arshjul-1441-2028")
    assert (answer["falt"], answer["regel"]) == ("person", "processens_id")


def test_history_and_authority_show_the_person_with_the_capacity_and_the_directorys_name(fresh: Cli) -> None:
    """Who acted, in what capacity and, where the directory has it, their name: never more."""
    staffed_to_ks(fresh)
    ks_decision = decision(fresh, "ks", "KS 2026/310", "2026-11-02", "--person", "p-ks")
    fresh.record(
        "forordnande", "appoint", "p-kd", "--position", "kommundirektor", "--as", "ks",
        "--beslut", ks_decision,
        "--valid-from", "2026-11-02", "--date", "2026-11-02", "--person", "p-ks",
    )  # fmt: skip
    assert fresh("katalog", "set", "p-kd", "--name", "Kim Direktör").exit_code == 0

    (entry,) = fresh.history(ks_decision)
    authority = json.loads(
        fresh("--json", "audit", "authority", "kommundirektor", "--as-of", "2027-01-01").stdout
    )
    text = fresh("audit", "authority", "kommundirektor", "--as-of", "2027-01-01").stdout
    listing = fresh("forordnande", "list", "--date", "2027-01-01").stdout

    assert (entry["som"], entry["person"], entry["roll"]) == ("ks", "p-ks", "ledamot")
    assert [(f["person"], f["namn"], f["roll"]) for f in authority["forordnade"]] == [
        ("p-kd", "Kim Direktör", "anstalld")
    ]
    assert "Innehades av: p-kd (Kim Direktör), anställd 2026-11-02" in text
    assert "p-kd (Kim Direktör)" in listing
    assert "p-kansli" in listing


def test_a_term_ended_ahead_is_ended_earlier_by_a_later_decision_without_a_correction(fresh: Cli) -> None:
    """KF decides on 2027-03-01 that the member leaves after 2027-12-31, then on 2027-06-01 after
    2027-09-30: recorded as it is (the record's dates have run to 2027-03-01 only), the member acts
    up to 2027-09-30; a decision of 2027-02-01, before the first, is a correction."""
    val = staffed_to_ks(fresh)
    end = ("forordnande", "end", "p-ks", "--position", "ks", "--as", "kf", "--beslut", val)
    fresh.record(*end, "--valid-until", "2027-12-31", "--reason", "Avsägelse", "--date", "2027-03-01")

    fresh.record(
        *end, "--valid-until", "2027-09-30", "--reason", "Avsägelse tidigare", "--date", "2027-06-01"
    )
    earlier = refused(
        fresh, *end, "--valid-until", "2027-08-31", "--reason", "Avsägelse", "--date", "2027-02-01"
    )

    listed = json.loads(fresh("--json", "forordnande", "list", "--position", "ks", "--all").stdout)
    assert [(f["person"], f["giltig_till"]) for f in listed["forordnanden"]] == [("p-ks", "2027-09-30")]
    assert (earlier["regel"], earlier["falt"]) == ("datumordning", "date")
    assert "daterat 2027-02-01" in earlier["meddelande"]
