"""`lerum-flow demo` as a user runs it: it outlasts empty long polls, tidies up, says where it broke off."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from temporal.empty_long_polls import EmptyLongPolls

from lerum_flow.cli.main import EXIT_INTERNAL_ERROR, main
from lerum_flow.cli.session import CliSession
from lerum_flow.demo import runner
from lerum_flow.municipal_time import municipal_today
from lerum_flow.relay_contract import arshjul_workflow_id, mandatperiod_workflow_id
from lerum_flow.styrmodell import default_styrmodell


def lerum_flow(*argv: str) -> int:
    """The command line in this process, so the test's stand-ins reach it."""
    session = CliSession()
    try:
        return main(list(argv), session=session)
    finally:
        session.close()


@pytest.fixture
def temporary_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the demo's temporary stores are made during the test."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.mark.slow
def test_the_demo_finishes_with_its_summary_though_every_wait_meets_an_empty_long_poll(
    temporary_stores: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each wait for a result is first answered empty, as after 20 s on a busy machine: the demo ends well."""
    polls = EmptyLongPolls().install(monkeypatch)
    kod = default_styrmodell().kommun.kod
    election = runner.next_election(default_styrmodell(), municipal_today())

    code = lerum_flow("demo", "--years", "1")

    out, err = capsys.readouterr()
    assert code == 0, err
    assert {
        f"sim-kansli-{election + 1}",
        arshjul_workflow_id(kod, election + 1),
        mandatperiod_workflow_id(kod, election),
    } <= polls.workflows()
    assert "1 årshjul avslutat" in out
    assert "Det tillfälliga händelselagret är borttaget" in out
    assert list(temporary_stores.glob("lerum-flow-demo-*")) == []
    assert err == ""  # no library warning among the lines


def _breaks_off(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(handle: Any) -> Any:
        raise RuntimeError("provfel")

    monkeypatch.setattr(runner, "wait_for_result", broken)


def test_a_demo_that_breaks_off_says_where_in_swedish_and_keeps_its_store(
    temporary_stores: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error mid-run: exit 70, what broke and how far it came, and the temporary store kept to examine."""
    _breaks_off(monkeypatch)

    code = lerum_flow("demo", "--years", "1")

    err = capsys.readouterr().err
    (store,) = temporary_stores.glob("lerum-flow-demo-*/governance.db")
    assert code == EXIT_INTERNAL_ERROR
    assert "Demot avbröts " in err
    assert f"Händelselagret finns kvar: {store}" in err
    assert "Internt fel: RuntimeError: provfel" in err


def test_a_demo_that_breaks_off_with_json_prints_only_the_error_document(
    temporary_stores: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --json, stdout holds the one error document; the Swedish account of the failure is on stderr."""
    _breaks_off(monkeypatch)

    code = lerum_flow("--json", "demo", "--years", "1")

    out, err = capsys.readouterr()
    assert code == EXIT_INTERNAL_ERROR
    assert json.loads(out)["fel"] == "internt_fel"
    assert "Händelselagret finns kvar" in err


def test_the_script_removes_its_temporary_store_and_does_not_suggest_examining_it(
    temporary_stores: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The short script on a temporary store: the summary, then the store removed and no audit command."""
    code = lerum_flow("demo", "--script")

    out = capsys.readouterr().out
    assert code == 0
    assert "Registrerade händelser i lagret" in out
    assert "Det tillfälliga händelselagret är borttaget" in out
    assert "audit history" not in out
    assert list(temporary_stores.glob("lerum-flow-demo-*")) == []


def test_the_script_on_a_named_store_keeps_it_and_suggests_examining_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --data-dir the store stays, and the summary names it with an audit command to run."""
    directory = tmp_path / "demo"

    code = lerum_flow("demo", "--script", "--data-dir", str(directory))

    out = capsys.readouterr().out
    assert code == 0
    assert (directory / "governance.db").is_file()
    assert f"Händelselagret: {directory / 'governance.db'}" in out
    assert f"lerum-flow --data-dir {directory} audit history " in out


def test_the_script_with_json_says_whether_the_store_is_kept(
    temporary_stores: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The JSON summary names the store and says it was not kept when it was temporary."""
    code = lerum_flow("--json", "demo", "--script")

    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert summary["lager_kvar"] is False
    assert not Path(summary["lager"]).exists()


def test_an_interrupted_demo_keeps_its_store_and_says_so(
    temporary_stores: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C mid-run: the conventional exit code 130, and the temporary store kept and named."""

    async def interrupted(handle: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "wait_for_result", interrupted)

    code = lerum_flow("demo", "--years", "1")

    err = capsys.readouterr().err
    (store,) = temporary_stores.glob("lerum-flow-demo-*/governance.db")
    assert code == 130
    assert "Demot avbröts." in err
    assert f"Händelselagret finns kvar: {store}" in err
