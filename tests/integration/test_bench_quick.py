"""`lerum-flow bench --quick` end to end on a tiny profile, and `bench generate`: no time is asserted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from postgres_server import PgServer

from lerum_flow.cli import main
from lerum_flow.cli.session import CliSession
from lerum_flow.styrmodell import shipped_styrmodell_path

# Each builds or replays a store of thousands of events: seconds, not milliseconds.
pytestmark = pytest.mark.slow

WEB_PAGES = ("inbox", "board", "tree", "tree_later", "tree_branch", "asof", "asof_beslut", "arshjul_api")
# Every figure the suite reports, on both backends where it has two.
FIGURES = {
    *(f"append_{b}" for b in ("sqlite", "postgresql")),
    *(f"append_{b}_save" for b in ("sqlite", "postgresql")),
    *(f"command_{b}_p{q}" for b in ("sqlite", "postgresql") for q in (50, 99)),
    *(f"rebuild_{b}" for b in ("sqlite", "postgresql")),
    *(f"rebuild_{b}_seconds" for b in ("sqlite", "postgresql")),
    *(f"rebuild_{b}_floor" for b in ("sqlite", "postgresql")),
    *(
        f"asof_{what}_{b}_p{q}"
        for what in ("mandate", "mandate_cpu", "whole", "history")
        for b in ("sqlite", "postgresql")
        for q in (50, 99)
    ),
    *(f"{what}_memory_{b}" for what in ("rebuild", "asof_history") for b in ("sqlite", "postgresql")),
    *(
        f"holdings_{what}_{b}_p{q}"
        for what in ("held_by", "register")
        for b in ("sqlite", "postgresql")
        for q in (50, 99)
    ),
    *(f"audit_{what}_{b}" for what in ("verify", "export") for b in ("sqlite", "postgresql")),
    *(f"audit_{what}_memory_{b}" for what in ("verify", "export") for b in ("sqlite", "postgresql")),
    "escalation_p50",
    "escalation_p99",
    "simulation",
    "kommuner_1",
    "kommuner_2",
    "national",
    "cli_startup_help",
    "cli_startup_read",
    "rapport_arsredovisning_html",
    *(f"web_{page}_sqlite_p{q}" for page in WEB_PAGES for q in (50, 99)),
}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    session = CliSession()
    try:
        code = main.main(list(argv), session=session)
    finally:
        session.close()
    return code, capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.slow
def test_quick_bench_reports_every_figure_beside_its_baseline(
    tmp_path: Path, postgres_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each figure has a baseline from the same run and their ratio, or says why it has none."""
    out = tmp_path / "bench.json"
    code, stdout = _run(
        capsys,
        "--json",
        "bench",
        "--quick",
        "--events",
        "3000",
        "--scale",
        "2",
        "--postgres-url",
        postgres_server.admin_url,
        "--out",
        str(out),
    )
    assert code == 0, stdout
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(stdout) == report
    figures = {f["id"]: f for f in report["matt"]}
    assert set(figures) == FIGURES
    for ident, figure in figures.items():
        if figure["ej_matt"]:
            assert figure["varde"] is None, ident
            continue
        assert figure["varde"] is not None, ident
        assert figure["varde"] > 0, ident
        if figure["utan_baslinje"]:  # judged by its goal alone, and saying so
            assert figure["baslinje"] is None, ident
            continue
        assert figure["baslinje"] is not None, ident
        assert figure["baslinje"] > 0, ident
        assert figure["kvot"] == pytest.approx(figure["varde"] / figure["baslinje"], rel=1e-3), ident
        assert figure["baslinje_beskrivning"], ident
    for q in (50, 99):  # measured on the dev server and PostgreSQL, not only its baseline
        assert figures[f"escalation_p{q}"]["ej_matt"] is None, figures[f"escalation_p{q}"]
        assert figures[f"escalation_p{q}"]["detaljer"]["avvikelser"] > 0
    escalation = figures["escalation_p50"]["detaljer"]
    # The largest stage is named, and the relay's polling is blamed only when that stage is the relay's.
    stages = escalation["steg_p50_ms"]
    assert escalation["storsta_steg"] == max(stages, key=stages.get)
    assert ("anmarkning" in escalation) == (escalation["storsta_steg"] == "rela")
    if "anmarkning" in escalation:
        assert "Reläet" in escalation["anmarkning"]
    assert escalation["skur"]["avvikelser"] > 0
    for n in (1, 2):  # every municipality's escalations, each missed once, through one worker process
        assert figures[f"kommuner_{n}"]["detaljer"]["missade_frister"] == n * 3
    assert figures["national"]["detaljer"]["fel"] == []
    assert report["korning"]["historik"]["nekade"] == {}


def test_generate_makes_one_store_per_municipality_with_nothing_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bench generate --scale 2` records two different municipalities through the application."""
    code, stdout = _run(
        capsys, "--json", "bench", "generate", "--data-dir", str(tmp_path), "--scale", "2", "--events", "3000"
    )
    assert code == 0, stdout
    made = json.loads(stdout)
    assert made["nekade"] == 0
    assert [Path(s["lager"]).parent.name for s in made["lager"]] == ["kommun-001", "kommun-002"]
    assert all(s["handelser"] == pytest.approx(3000, rel=0.15) for s in made["lager"])
    assert made["lager"][0]["handelser"] != made["lager"][1]["handelser"]


def _generate_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    argv = ("--json", "bench", "generate", "--data-dir", str(tmp_path), "--events", "1500")
    first = json.loads(_run(capsys, *argv)[1])["lager"][0]
    again = json.loads(_run(capsys, *argv)[1])["lager"][0]
    return first, again


def test_generate_again_with_the_same_seed_records_nothing_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command carries its id, so a re-run on the same store adds no event."""
    first, again = _generate_twice(tmp_path, capsys)
    assert first["handelser"] > 0
    assert again["handelser"] == 0


def test_generate_again_with_the_same_seed_is_answered_already_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A re-run is recognised command by command: nothing refused, everything 'already recorded',
    the sub-uppdrag whose parent has been completed since included."""
    first, again = _generate_twice(tmp_path, capsys)
    assert again["nekade"] == {}
    assert again["redan_registrerade"] == first["registrerade"]


def test_generate_records_its_history_under_the_styrmodell_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--styrmodell` is the model the history is planned on and the store records (it was Lerum's)."""
    given = tmp_path / "lerum-kopia.toml"
    given.write_text(
        shipped_styrmodell_path("lerum")
        .read_text(encoding="utf-8")
        .replace('namn = "Lerums kommun"', 'namn = "Kopia kommun"', 1),
        encoding="utf-8",
    )
    store = tmp_path / "lager"
    code, stdout = _run(
        capsys,
        "--json",
        "--styrmodell",
        str(given),
        "bench",
        "generate",
        "--data-dir",
        str(store),
        "--events",
        "1500",
    )
    assert code == 0, stdout
    code, shown = _run(capsys, "--json", "--data-dir", str(store), "styrmodell", "show")
    assert code == 0, shown
    assert "Kopia kommun" in shown


def test_generate_refuses_a_model_without_sectors_in_swedish_and_records_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Norrvik's administrations answer to nämnder: the workload, Lerum's shape, cannot be staffed."""
    store = tmp_path / "norrvik"
    norrvik = str(shipped_styrmodell_path("norrvik"))
    session = CliSession()
    try:
        code = main.main(
            ["--styrmodell", norrvik, "bench", "generate", "--data-dir", str(store), "--events", "1500"],
            session=session,
        )
    finally:
        session.close()
    assert code == 1
    assert "har ingen sektorschef under kommundirektören" in capsys.readouterr().err
    assert not (store / "governance.db").exists()


def test_bench_web_measures_every_page_of_an_existing_store_beside_its_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bench web --data-dir` on a store made by `bench generate`: each page's p50/p99 with its baseline."""
    code, stdout = _run(
        capsys, "--json", "bench", "generate", "--data-dir", str(tmp_path), "--events", "1500"
    )
    assert code == 0, stdout

    code, stdout = _run(capsys, "--json", "bench", "web", "--data-dir", str(tmp_path), "--sidor", "2")

    assert code == 0, stdout
    figures = {f["id"]: f for f in json.loads(stdout)["matt"]}
    assert set(figures) == {f"web_{page}_sqlite_p{q}" for page in WEB_PAGES for q in (50, 99)}
    assert all(f["baslinje"] > 0 and f["varde"] > 0 for f in figures.values())


def test_bench_web_refuses_a_directory_without_a_store_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = CliSession()
    try:
        code = main.main(["bench", "web", "--data-dir", str(tmp_path)], session=session)
    finally:
        session.close()

    assert code == 1
    said = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "har inget lager (governance.db saknas)" in said
    assert "regel: okant_lager" in said
