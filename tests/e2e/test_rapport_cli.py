"""`lerum-flow rapport`: a report written to a file, made again byte for byte by the command it names."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from e2e.cli_world import Cli, uppdrag_to_kommundirektor

# Each report draws its charts with vl-convert: seconds per run.
pytestmark = pytest.mark.slow


def test_a_month_report_is_written_and_its_own_command_makes_it_again(cli: Cli, tmp_path: Path) -> None:
    """The report names the command (with the log's position) that gives the same bytes later."""
    uppdrag = uppdrag_to_kommundirektor(cli)
    first = tmp_path / "januari.html"
    made = cli("--json", "rapport", "manad", "--ar", "2027", "--manad", "1", "--ut", str(first))
    assert made.exit_code == 0, made.output
    answer = json.loads(made.stdout)
    html = first.read_text(encoding="utf-8")
    assert "Månadsuppföljning januari 2027" in html
    assert uppdrag[:8] in html
    assert answer["kommando"] in html
    # Recorded after the report: the same command (with its --position) leaves it out.
    cli.record("uppdrag", "accept", uppdrag, "--as", "kommundirektor", "--date", "2027-01-15")
    again = tmp_path / "igen.html"
    arguments = answer["kommando"].split()[1:]
    remade = cli(*arguments, "--ut", str(again))
    assert remade.exit_code == 0, remade.output
    assert again.read_bytes() == first.read_bytes()


def test_a_report_on_an_unknown_sector_is_refused_in_swedish_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "x.html"
    refused = cli("rapport", "manad", "--ar", "2027", "--manad", "3", "--niva", "skolan", "--ut", str(target))
    assert refused.exit_code == 1
    assert "'skolan' är ingen sektor i styrmodellen" in refused.output
    assert not target.exists()


def test_a_position_beyond_the_log_is_refused(cli: Cli, tmp_path: Path) -> None:
    refused = cli(
        "rapport", "arsredovisning", "--ar", "2027", "--position", "999999", "--ut", str(tmp_path / "a.html")
    )
    assert refused.exit_code == 1
    assert re.search(r"Händelseloggen slutar vid position \d+", refused.output)


def test_a_month_report_names_who_reports_to_whom(cli: Cli, tmp_path: Path) -> None:
    """--niva ks: the kommundirektör to KS; --niva kommundirektor: the sektorschefer to the kommundirektör."""
    for niva, heading in (
        ("ks", "Kommundirektören till kommunstyrelsen"),
        ("kommundirektor", "Sektorscheferna till kommundirektören"),
    ):
        target = tmp_path / f"{niva}.html"
        made = cli("rapport", "manad", "--ar", "2027", "--manad", "2", "--niva", niva, "--ut", str(target))
        assert made.exit_code == 0, made.output
        assert heading in target.read_text(encoding="utf-8")


def test_the_decision_adopting_a_report_names_the_draft_it_was_given(cli: Cli, tmp_path: Path) -> None:
    """A registered draft's sha256 is what KF's decision references; the auditor reads it back."""
    made = cli(
        "--json", "rapport", "arsredovisning", "--ar", "2027", "--registrera", "--as", "ks",
        "--ut", str(tmp_path / "ar.html"),
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    draft = json.loads(made.stdout)
    assert draft["registrerad"] is True
    assert draft["sha256"] == hashlib.sha256((tmp_path / "ar.html").read_bytes()).hexdigest()
    assert cli.events(draft["id"]) == ["Rapportutkast.Made"]
    adopted = cli.record(
        "beslut", "take", "--organ", "kf", "--kind", "arsredovisning", "--diarienummer", "KF 2028/12",
        "--paragraf", "§ 30", "--title", "Årsredovisning 2027", "--date", "2028-04-10",
        "--rapport-digest", draft["sha256"],
    )  # fmt: skip
    taken = cli.history(adopted)[0]
    assert draft["sha256"] in json.dumps(taken, ensure_ascii=False)


def test_a_decision_naming_an_unknown_draft_is_refused_and_records_nothing(cli: Cli) -> None:
    before = cli.event_count()
    refused = cli(
        "beslut", "take", "--organ", "kf", "--kind", "arsredovisning", "--diarienummer", "KF 2028/13",
        "--paragraf", "§ 31", "--title", "Årsredovisning 2027", "--date", "2028-04-10",
        "--rapport-digest", "0" * 64,
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "Inget rapportutkast har sha256-summan" in refused.output
    assert cli.event_count() == before
