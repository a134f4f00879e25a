"""`--rattelse SKÄL`: a command dated before its record's latest event is a correction, said as such."""

from __future__ import annotations

from e2e.cli_world import Cli, uppdrag_to_kommundirektor


def _accepted_then_reported(cli: Cli) -> str:
    uppdrag = uppdrag_to_kommundirektor(cli)
    cli.record("uppdrag", "accept", uppdrag, "--as", "kommundirektor", "--date", "2027-02-01")
    return uppdrag


def test_a_command_dated_before_the_records_last_event_is_refused_without_a_reason(cli: Cli) -> None:
    """Exit 1, both dates named, the flag to use named, nothing recorded."""
    uppdrag = _accepted_then_reported(cli)

    refused = cli(
        "uppdrag", "report", uppdrag, "--as", "kommundirektor", "--assessment", "delvis",
        "--text", "Halvvägs.", "--date", "2027-01-20",
    )  # fmt: skip

    assert refused.exit_code == 1, refused.output
    assert "2027-01-20" in refused.stderr
    assert "2027-02-01" in refused.stderr
    assert "rattelse" in refused.stderr
    assert cli.events(uppdrag) == ["Uppdrag.Issued", "Uppdrag.Accepted"]


def test_a_correction_with_its_reason_is_recorded_and_the_reason_kept_in_the_event(cli: Cli) -> None:
    """The same command with --rattelse is recorded, and the history shows the reason."""
    uppdrag = _accepted_then_reported(cli)

    cli.record(
        "uppdrag", "report", uppdrag, "--as", "kommundirektor", "--assessment", "delvis",
        "--text", "Halvvägs.", "--date", "2027-01-20",
        "--rattelse", "Rapporten lämnades på papper i januari.",
    )  # fmt: skip

    last = cli.history(uppdrag)[-1]
    assert (last["handelse"], last["galler_fran"]) == ("Uppdrag.Reported", "2027-01-20")
    assert last["rattelse"] == "Rapporten lämnades på papper i januari."


def test_a_generated_command_takes_the_reason_too(cli: Cli) -> None:
    """The commands built from one pattern (accept, complete, withdraw, ...) have the flag as well."""
    uppdrag = _accepted_then_reported(cli)

    withdrawn = cli.record(
        "uppdrag", "withdraw", uppdrag, "--as", "ks", "--reason", "Inaktuellt.", "--date", "2027-01-15",
        "--rattelse", "Återkallelsen beslutades i januari.",
    )  # fmt: skip

    assert withdrawn == uppdrag
    assert cli.history(uppdrag)[-1]["rattelse"] == "Återkallelsen beslutades i januari."


def test_an_empty_reason_is_refused_and_records_nothing(cli: Cli) -> None:
    """A correction without a reason is no correction: exit 1 with a Swedish message."""
    uppdrag = _accepted_then_reported(cli)

    refused = cli(
        "uppdrag", "report", uppdrag, "--as", "kommundirektor", "--assessment", "delvis",
        "--text", "Halvvägs.", "--date", "2027-01-20", "--rattelse", "   ",
    )  # fmt: skip

    assert refused.exit_code == 1, refused.output
    assert "skälet till rättelsen" in refused.stderr
    assert cli.events(uppdrag) == ["Uppdrag.Issued", "Uppdrag.Accepted"]
