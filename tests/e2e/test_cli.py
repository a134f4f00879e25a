"""The command line end to end, as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from e2e.cli_world import PERSON, Cli, ks_verksamhetsplan, run_process, uppdrag_to_kommundirektor

from lerum_flow.cli.main import EXIT_INTERNAL_ERROR, main
from lerum_flow.styrmodell import shipped_styrmodell_path


def test_an_uppdrag_goes_from_issue_to_completion_through_the_cli(cli: Cli) -> None:
    """Issue, accept, report, return, report again, accept the report and complete: all recorded in order."""
    uppdrag = uppdrag_to_kommundirektor(cli)

    cli.record("uppdrag", "accept", uppdrag, "--as", "kommundirektor", "--date", "2027-01-11")
    cli.record(
        "uppdrag", "report", uppdrag, "--as", "kommundirektor", "--assessment", "delvis",
        "--text", "Arbetet har startat.", "--period", "2027-T1", "--date", "2027-04-20",
    )  # fmt: skip
    cli.record(
        "uppdrag", "return-report", uppdrag, "--as", "ks", "--reason", "Resultat saknas.",
        "--date", "2027-04-25",
    )  # fmt: skip
    cli.record(
        "uppdrag", "report", uppdrag, "--as", "kommundirektor", "--assessment", "uppfyllt",
        "--text", "Alla sektorer har nått sina mål.", "--period", "2027-T1", "--date", "2027-05-02",
    )  # fmt: skip
    cli.record("uppdrag", "accept-report", uppdrag, "--as", "ks", "--comment", "Bra.", "--date", "2027-05-10")
    completed = cli("uppdrag", "complete", uppdrag, "--as", "ks", "--date", "2027-12-31")

    assert completed.exit_code == 0, completed.output
    assert "Registrerat." in completed.stdout
    assert uppdrag in completed.stdout
    assert cli.events(uppdrag) == [
        "Uppdrag.Issued",
        "Uppdrag.Accepted",
        "Uppdrag.Reported",
        "Uppdrag.ReportReturned",
        "Uppdrag.Reported",
        "Uppdrag.ReportAccepted",
        "Uppdrag.Completed",
    ]


def test_the_same_command_twice_says_already_recorded_and_keeps_one_event(cli: Cli) -> None:
    """A retried command is answered "redan registrerat" and nothing new is saved."""
    beslut = ks_verksamhetsplan(cli)

    again = cli(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--matter", "verksamhetsplan",
        "--diarienummer", "KS 2026/450", "--paragraf", "§ 201", "--title", "Verksamhetsplan 2027",
        "--date", "2026-12-14",
    )  # fmt: skip

    assert again.exit_code == 0, again.output
    assert "redan registrerat" in again.stdout.lower()
    assert beslut in again.stdout
    assert cli.events(beslut) == ["Beslut.Taken"]


def test_a_refusal_exits_1_with_a_swedish_message_naming_the_option_and_records_nothing(
    cli: Cli,
) -> None:
    """Only the recipient may accept: the refusal names --as and its rule, and history is unchanged."""
    uppdrag = uppdrag_to_kommundirektor(cli)

    refused = cli("uppdrag", "accept", uppdrag, "--as", "larande")

    assert refused.exit_code == 1
    assert "Endast uppdragstagaren (kommundirektor)" in refused.stderr
    assert "--as" in refused.stderr
    assert "endast_uppdragstagaren" in refused.stderr
    assert "Inget registrerades." in refused.stderr
    assert refused.stdout == ""
    assert cli.events(uppdrag) == ["Uppdrag.Issued"]


def test_a_malformed_command_on_an_empty_data_folder_leaves_no_store_behind(tmp_path: Path) -> None:
    """A command refused for its own input is refused before any store is opened: the data
    folder a new user named stays empty, as if nothing had been typed."""
    data_dir = tmp_path / "ny"

    refused = Cli(data_dir=data_dir)(
        "uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--title", "",
    )  # fmt: skip

    assert refused.exit_code == 1
    assert "Inget registrerades." in refused.stderr
    assert not data_dir.exists() or list(data_dir.iterdir()) == []


def test_an_invalid_value_is_refused_naming_the_option_the_user_typed(cli: Cli) -> None:
    """A malformed date is refused with the option name --date, in Swedish."""
    refused = cli(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--diarienummer", "KS 1",
        "--paragraf", "§ 1", "--title", "Plan", "--date", "2026-13-01",
    )  # fmt: skip

    assert refused.exit_code == 1
    assert "ÅÅÅÅ-MM-DD" in refused.stderr
    assert "gäller --date" in refused.stderr


def test_an_unknown_record_id_names_the_id_argument(cli: Cli) -> None:
    """An id that is not a UUID is refused naming the ID argument, not an internal field name."""
    refused = cli("uppdrag", "accept", "inte-ett-id", "--as", "kommundirektor")

    assert refused.exit_code == 1
    assert "gäller ID" in refused.stderr


def test_json_output_is_one_parseable_object_for_success_and_refusal(cli: Cli) -> None:
    """With --json stdout holds exactly one JSON object, also when the command is refused."""
    plan = ks_verksamhetsplan(cli)

    ok = cli("--json", "uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--beslut", plan,
             "--title", "Verkställ planen", "--date", "2027-01-10")  # fmt: skip
    refused = cli("--json", "uppdrag", "issue", "--as", "larande", "--to", "ks", "--beslut", plan,
                  "--title", "Uppåt", "--date", "2027-01-10")  # fmt: skip

    outcome = json.loads(ok.stdout)
    assert ok.exit_code == 0
    assert set(outcome) == {"id", "registrerad", "version", "meddelande"}
    assert outcome["registrerad"] is True
    refusal = json.loads(refused.stdout)
    assert refused.exit_code == 1
    assert refusal == {
        "fel": "ej_behorig",
        "falt": "to",
        "regel": "givare_over_mottagare",
        "meddelande": refusal["meddelande"],
    }
    assert "står inte över" in refusal["meddelande"]


def test_validate_accepts_the_shipped_styrmodell(cli: Cli) -> None:
    """The shipped Lerum file is valid: exit 0 with the kommun and the number of positions."""
    result = cli("styrmodell", "validate", str(shipped_styrmodell_path("lerum")))

    assert result.exit_code == 0, result.output
    assert "Styrmodellen är giltig: Lerums kommun, 16 befattningar" in result.stdout


def test_validate_lists_every_problem_of_a_broken_file_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    """Every problem in a broken styrmodell is listed with its location, and the exit code is 1."""
    broken = tmp_path / "trasig.toml"
    broken.write_text('[kommun]\nkod = 1441\nnamn = "Lerum"\n', encoding="utf-8")

    text = cli("styrmodell", "validate", str(broken))
    as_json = cli("--json", "styrmodell", "validate", str(broken))

    assert text.exit_code == 1
    assert "kommun.kod" in text.stderr
    assert "befattning" in text.stderr
    report = json.loads(as_json.stdout)
    assert as_json.exit_code == 1
    assert report["giltig"] is False
    locations = [problem["plats"] for problem in report["problem"]]
    assert "kommun.kod" in locations
    assert "kalender" in locations
    assert len(locations) >= 5


def test_show_summarises_the_styrmodell_in_use(cli: Cli) -> None:
    """`styrmodell show` gives the kommun, the styrkedja, the scales and the calendar."""
    text = cli("styrmodell", "show")
    as_json = cli("--json", "styrmodell", "show")

    assert text.exit_code == 0, text.output
    assert "Lerums kommun" in text.stdout
    assert "Kommundirektör" in text.stdout
    assert "Årshjulet" in text.stdout
    summary = json.loads(as_json.stdout)
    assert summary["kommunkod"] == "1441"
    assert {"uppfyllt", "delvis", "ej_uppfyllt"} == {b["kod"] for b in summary["bedomningsskala"]}


def test_a_broken_styrmodell_given_to_a_recording_command_lists_its_problems(
    cli: Cli, tmp_path: Path
) -> None:
    """--styrmodell with an unusable file shows the problems and exits 1 before anything is recorded."""
    broken = tmp_path / "trasig.toml"
    broken.write_text("[kommun\n", encoding="utf-8")
    before = cli.event_count()

    result = cli(
        "--styrmodell", str(broken), "uppdrag", "accept", "0999cf7e-2e9c-5323-af9b-8b203dd6e3f9",
        "--as", "ks",
    )  # fmt: skip

    assert result.exit_code == 1
    assert "trasig.toml har 1 fel" in result.stderr
    assert cli.event_count() == before


def test_missing_person_is_refused_with_a_clear_message(cli: Cli) -> None:
    """Without --person or LERUM_FLOW_PERSON a recording command says how to give it."""
    refused = cli(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--diarienummer", "KS 1",
        "--paragraf", "§ 1", "--title", "Plan", "--date", "2026-12-01",
        env={"LERUM_FLOW_PERSON": None},
    )  # fmt: skip

    assert refused.exit_code == 1
    assert "Ange vem som handlar: --person" in refused.stderr
    assert "LERUM_FLOW_PERSON" in refused.stderr


def test_the_person_given_is_recorded_on_the_event(cli: Cli) -> None:
    """--person overrides LERUM_FLOW_PERSON and is what the history shows."""
    cli.appoint_another("ks", "p-4711")
    beslut = cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--diarienummer", "KS 1",
        "--paragraf", "§ 1", "--title", "Plan", "--date", "2026-12-01", "--person", "p-4711",
    )  # fmt: skip

    assert [entry["person"] for entry in cli.history(beslut)] == ["p-4711"]


def test_secrecy_and_an_explicit_command_id_are_kept(cli: Cli) -> None:
    """--secrecy marks the event secret; a repeated --command-id is recognised as a retry."""
    uppdrag = uppdrag_to_kommundirektor(cli)
    command_id = "5b1f0f9e-8a3c-4d5e-9f00-1234567890ab"
    accept = (
        "uppdrag",
        "accept",
        uppdrag,
        "--as",
        "kommundirektor",
        "--command-id",
        command_id,
        "--date",
        "2027-01-11",
    )

    first = cli(*accept, "--secrecy", "OSL 39:3")
    again = cli(*accept, "--secrecy", "OSL 39:3")
    malformed = cli("uppdrag", "accept", uppdrag, "--as", "kommundirektor", "--command-id", "nr-7")

    assert first.exit_code == 0, first.output
    assert "Redan registrerat" in again.stdout
    accepted = cli.history(uppdrag)[1]
    assert accepted["sekretess"] == "OSL 39:3"
    assert accepted["kommando_id"] == command_id
    assert malformed.exit_code == 1
    assert "gäller --command-id" in malformed.stderr


def test_an_unknown_database_url_is_refused_naming_the_option(cli: Cli) -> None:
    """A database URL that is neither SQLite nor PostgreSQL is refused before anything is opened."""
    refused = cli(
        "--database-url", "mysql://db/lerum", "audit", "history", "0999cf7e-2e9c-5323-af9b-8b203dd6e3f9"
    )

    assert refused.exit_code == 1
    assert "--database-url" in refused.stderr
    assert "databasadress" in refused.stderr


def test_revisorer_cannot_record_but_can_read(cli: Cli) -> None:
    """Acting as revisorer is refused (read-only), while audit history works for anyone."""
    beslut = ks_verksamhetsplan(cli)

    refused = cli(
        "beslut", "take", "--organ", "revisorer", "--kind", "ovrigt", "--diarienummer", "REV 1",
        "--paragraf", "§ 1", "--title", "Granskningsplan", "--date", "2027-01-20",
    )  # fmt: skip
    read = cli("audit", "history", beslut)

    assert refused.exit_code == 1
    assert "revisorer_laser" in refused.stderr
    assert "läsbehörighet" in refused.stderr
    assert read.exit_code == 0
    assert "beslut fattat" in read.stdout


def test_joint_delegation_is_refused_naming_the_to_option(cli: Cli) -> None:
    """Delegating to two officials jointly is refused by law and the message points at --to."""
    ordning = cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "delegationsordning", "--matter", "delegationsordning",
        "--diarienummer", "KS 2026/451", "--paragraf", "§ 202", "--title", "Delegationsordning",
        "--date", "2026-12-14",
    )  # fmt: skip

    refused = cli(
        "delegering", "grant", "--as", "ks", "--to", "kommundirektor", "--to", "larande",
        "--matter", "personal", "--beslut", ordning, "--valid-from", "2027-01-01",
    )  # fmt: skip

    assert refused.exit_code == 1
    assert "gemensamt" in refused.stderr
    assert "gäller --to" in refused.stderr


def test_a_delegated_decision_is_reported_to_the_delegating_organ(cli: Cli) -> None:
    """Grant, decide on delegation, report (anmälan) to KS, then revoke: each recorded on its record."""
    ordning = cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "delegationsordning", "--matter", "delegationsordning",
        "--diarienummer", "KS 2026/451", "--paragraf", "§ 202", "--title", "Delegationsordning",
        "--date", "2026-12-14",
    )  # fmt: skip
    delegering = cli.record(
        "delegering", "grant", "--as", "ks", "--to", "kommundirektor", "--matter", "upphandling",
        "--beslut", ordning, "--valid-from", "2027-01-01", "--conditions", "Högst 5 mnkr.",
    )  # fmt: skip
    delegated = cli.record(
        "beslut", "take", "--organ", "kommundirektor", "--kind", "ovrigt", "--diarienummer", "KS 2027/31",
        "--title", "Ramavtal skolskjuts", "--delegering", delegering, "--date", "2027-02-10",
    )  # fmt: skip
    cli.record("beslut", "report", delegated, "--as", "ks", "--paragraf", "§ 34", "--date", "2027-03-08")
    cli.record(
        "delegering", "revoke", delegering, "--as", "ks", "--reason", "Ny delegationsordning.",
        "--valid-from", "2027-07-01",
    )  # fmt: skip

    assert cli.events(delegated) == ["Beslut.Taken", "Beslut.Reported"]
    assert cli.history(delegated)[1]["uppgifter"]["rapporterad_till"] == "ks"
    assert cli.events(delegering) == ["Delegering.Granted", "Delegering.Revoked"]


def test_a_correction_is_kept_beside_the_original_decision(cli: Cli) -> None:
    """`beslut correct` adds a correction with its reason; the original event stays."""
    beslut = ks_verksamhetsplan(cli)

    cli.record(
        "beslut", "correct", beslut, "--as", "ks", "--diarienummer", "KS 2026/452", "--paragraf", "§ 201",
        "--title", "Verksamhetsplan 2027", "--reason", "Fel diarienummer.", "--date", "2026-12-20",
    )  # fmt: skip

    history = cli.history(beslut)
    assert [entry["handelse"] for entry in history] == ["Beslut.Taken", "Beslut.Corrected"]
    assert history[0]["uppgifter"]["diarienummer"] == "KS 2026/450"
    assert history[1]["uppgifter"]["diarienummer"] == "KS 2026/452"


def test_the_giver_revises_and_withdraws_an_uppdrag(cli: Cli) -> None:
    """Only the WHAT changes on revise, with a reason; withdrawing ends the uppdrag."""
    uppdrag = uppdrag_to_kommundirektor(cli)

    cli.record(
        "uppdrag",
        "revise",
        uppdrag,
        "--as",
        "ks",
        "--due",
        "2028-06-30",
        "--reason",
        "Förlängd.",
        "--date",
        "2027-02-01",
    )
    cli.record(
        "uppdrag",
        "withdraw",
        uppdrag,
        "--as",
        "ks",
        "--reason",
        "Ersätts av nytt uppdrag.",
        "--date",
        "2027-03-01",
    )

    assert cli.events(uppdrag) == ["Uppdrag.Issued", "Uppdrag.Revised", "Uppdrag.Withdrawn"]


def test_an_avvikelse_climbs_the_chain_and_is_closed(cli: Cli) -> None:
    """A chef's avvikelse goes to the sektorschef, is escalated to the kommundirektör and closed there."""
    cli.record(
        "organisation", "establish", "--as", "vard-och-omsorg", "--id", "enhetschef-solgarden",
        "--name", "Enhetschef, Solgården", "--kind", "chef", "--parent", "vard-och-omsorg",
        "--date", "2027-01-10",
    )  # fmt: skip
    cli.appoint("enhetschef-solgarden", by="vard-och-omsorg", on="2027-01-10")
    avvikelse = cli.record(
        "avvikelse", "report", "--as", "enhetschef-solgarden", "--about", "handelse",
        "--ref", "nattbemanning", "--severity", "avvikelse", "--category", "verksamhet",
        "--description", "Nattbemanningen räcker inte.", "--date", "2027-03-14",
    )  # fmt: skip
    cli.record("avvikelse", "acknowledge", avvikelse, "--as", "vard-och-omsorg", "--date", "2027-03-15")
    cli.record(
        "avvikelse", "assess", avvikelse, "--as", "vard-och-omsorg", "--severity", "storre",
        "--reason", "Brukarnas säkerhet.", "--date", "2027-03-15",
    )  # fmt: skip
    cli.record(
        "avvikelse",
        "escalate",
        avvikelse,
        "--as",
        "vard-och-omsorg",
        "--to",
        "kommundirektor",
        "--date",
        "2027-03-15",
    )
    cli.record("avvikelse", "acknowledge", avvikelse, "--as", "kommundirektor", "--date", "2027-03-16")
    cli.record(
        "avvikelse",
        "decide",
        avvikelse,
        "--as",
        "kommundirektor",
        "--action",
        "Inhyrd personal.",
        "--date",
        "2027-03-16",
    )
    cli.record(
        "avvikelse",
        "close",
        avvikelse,
        "--as",
        "kommundirektor",
        "--description",
        "Rekryterat.",
        "--date",
        "2027-04-01",
    )

    history = cli.history(avvikelse)
    assert history[0]["uppgifter"]["niva"] == "vard-och-omsorg"
    assert [entry["handelse"] for entry in history] == [
        "Avvikelse.Reported",
        "Avvikelse.Acknowledged",
        "Avvikelse.Assessed",
        "Avvikelse.Escalated",
        "Avvikelse.Acknowledged",
        "Avvikelse.ActionDecided",
        "Avvikelse.Closed",
    ]


def test_an_unexpected_error_is_one_swedish_line_with_exit_70(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug shows "Internt fel: ..." on one line and exit code 70, without a traceback."""

    def broken(*_: object) -> None:
        raise RuntimeError("lagret svarar inte")

    monkeypatch.setenv("LERUM_FLOW_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("lerum_flow.application.Governance.take_beslut", broken)

    code = main(
        [
            "beslut",
            "take",
            "--organ",
            "kf",
            "--kind",
            "budget",
            "--diarienummer",
            "KS 2027/1",
            "--paragraf",
            "§ 1",
            "--title",
            "Budget 2028",
            "--date",
            "2027-06-15",
            "--person",
            "p-1",
        ]
    )

    err = capsys.readouterr().err
    assert code == EXIT_INTERNAL_ERROR
    assert "Internt fel: RuntimeError: lagret svarar inte" in err
    assert "Traceback" not in err


def test_usage_errors_print_usage_in_swedish_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing required option prints the usage and a Swedish error, exit code 2."""
    monkeypatch.setenv("LERUM_FLOW_DATA_DIR", str(tmp_path))

    code = main(["uppdrag", "issue", "--as", "ks", "--to", "kommundirektor"])

    err = capsys.readouterr().err
    assert code == 2
    assert "Användning: lerum-flow uppdrag issue" in err
    assert "Flaggan --title saknas men krävs." in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """--help shows the commands and exits 0."""
    code = main(["--help"])

    out = capsys.readouterr().out
    assert code == 0
    assert "uppdrag" in out
    assert "avvikelse" in out


# --- as a real process ---------------------------------------------------------------


def test_a_process_records_logs_and_exits_cleanly(tmp_path: Path) -> None:
    """`python -m lerum_flow.cli.main` records, logs the command as JSON on stderr and exits 0."""
    Cli(data_dir=tmp_path).staff()
    result = run_process(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--diarienummer", "KS 1",
        "--paragraf", "§ 1", "--title", "Plan", "--date", "2026-12-01", "--person", PERSON,
        data_dir=tmp_path, env={"LERUM_FLOW_LOG_LEVEL": "INFO"},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Registrerat." in result.stdout
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    command_lines = [entry for entry in logged if entry.get("event") == "kommando"]
    assert command_lines, result.stderr
    assert command_lines[0]["command"] == "TakeBeslut"
    assert command_lines[0]["recorded"] is True
    assert command_lines[0]["level"] == "info"


@pytest.mark.slow
def test_a_process_refusal_exits_1_and_usage_error_exits_2(tmp_path: Path) -> None:
    """Exit codes survive the hard exit: 1 for a refusal, 2 for a usage error, 0 for --help."""
    refused = run_process(
        "uppdrag", "accept", "inte-ett-id", "--as", "ks", "--person", "p-1", data_dir=tmp_path
    )
    usage = run_process("uppdrag", "accept", data_dir=tmp_path)
    helped = run_process("uppdrag", "--help", data_dir=tmp_path)

    assert refused.returncode == 1
    assert "Inget registrerades." in refused.stderr
    assert usage.returncode == 2
    assert "Argumentet ID saknas men krävs." in usage.stderr
    assert helped.returncode == 0
    assert "accept-report" in helped.stdout


def test_demo_script_runs_the_scenario_and_prints_a_summary(tmp_path: Path) -> None:
    """The scripted year shows refusals and a retry, and ends with counts and the store."""
    result = run_process("demo", "--script", "--data-dir", str(tmp_path / "demo"), data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "nekat" in out
    assert "redan registrerat" in out
    assert "Registrerade händelser i lagret" in out
    assert "återrapport återförvisad" in out  # Uppdrag.ReportReturned, said in Swedish
    assert str(tmp_path / "demo" / "governance.db") in out


@pytest.mark.slow
@pytest.mark.temporal
def test_demo_simulates_budget_years_on_temporal_and_summarises_them(tmp_path: Path) -> None:
    """The main job: a simulated year completes its cycle and reports events, deadlines and cycles."""
    result = run_process(
        "--json", "demo", "--years", "1", "--data-dir", str(tmp_path / "demo"), data_dir=tmp_path
    )

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cykler_avslutade"] == 1
    assert summary["handelser"]["Beslut.Taken"] > 0
    assert summary["tidsgranser_hallna"] > 0


def test_demo_refuses_a_store_that_already_holds_events(cli: Cli, tmp_path: Path) -> None:
    """The demo needs a fresh store: a second run on the same one is refused and records nothing."""
    store = str(tmp_path / "demo")
    first = cli("--json", "demo", "--script", "--data-dir", store)
    second = cli("demo", "--script", "--data-dir", store)
    recorded = json.loads(first.stdout)["antal_handelser"]

    assert first.exit_code == 0, first.output
    assert second.exit_code == 1
    # Words, not lines: the store's path is as long as the test's temporary folder, and wraps the message.
    assert f"innehåller redan {recorded} händelser" in " ".join(second.stderr.split())
    assert "gäller --data-dir" in second.stderr


@pytest.mark.postgres
def test_records_and_reads_back_on_postgresql(tmp_path: Path, postgres_database_url: str) -> None:
    """With --database-url a PostgreSQL store records a decision and audit history reads it back."""
    Cli(data_dir=tmp_path, env={"LERUM_FLOW_DATABASE_URL": postgres_database_url}).staff()
    recorded = run_process(
        "--json", "--database-url", postgres_database_url,
        "beslut", "take", "--organ", "kf", "--kind", "budget", "--matter", "budget",
        "--diarienummer", "KS 2026/388", "--paragraf", "§ 113", "--title", "Budget 2027",
        "--date", "2026-11-23", "--person", PERSON,
        data_dir=tmp_path,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    beslut = json.loads(recorded.stdout)["id"]

    read = run_process(
        "--json", "--database-url", postgres_database_url, "audit", "history", beslut, data_dir=tmp_path
    )

    assert read.returncode == 0, read.stderr
    (entry,) = json.loads(read.stdout)
    assert entry["handelse"] == "Beslut.Taken"
    assert entry["uppgifter"]["diarienummer"] == "KS 2026/388"
    assert not (tmp_path / "governance.db").exists()
