"""The read commands as a user types them: each query sees what was just recorded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from unit.governance_world import YEAR_START, governance, seed, staffing_decisions

from lerum_flow.cli import main
from lerum_flow.cli.session import CliSession
from lerum_flow.projections.store import ViewStore
from lerum_flow.settings import Settings


def _json(capsys: pytest.CaptureFixture[str], database_url: str, *argv: str) -> Any:
    session = CliSession()
    try:
        code = main.main(["--json", "--database-url", database_url, *argv], session=session)
    finally:
        session.close()
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_a_query_shows_what_was_just_recorded_without_a_running_projection(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`uppdrag mine` catches its view up first, so KF's new uppdrag is in KS's inbox at once."""
    app = governance(Settings(database_url=database_url).eventsourcing_env("governance"))
    world = seed(app)
    app.close()
    inbox = _json(capsys, database_url, "uppdrag", "mine", "--as", "ks")
    assert [u["id"] for u in inbox["att_aterrapportera"]] == [str(world.kf_uppdrag_to_ks)]
    assert inbox["att_ta_emot"] == []


def test_registers_show_delegations_and_the_unreported_delegated_decision(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The delegation register names decision and grantor; `--unreported` lists the open anmälan."""
    app = governance(Settings(database_url=database_url).eventsourcing_env("governance"))
    world = seed(app)
    app.close()
    register = _json(capsys, database_url, "delegering", "register", "--date", YEAR_START.isoformat())
    held = {(d["delegat"], d["beviljad_av"], d["beslut"]["diarienummer"]) for d in register["delegeringar"]}
    assert held == {("kommundirektor", "ks", "KS 2026/200"), ("larande", "kommundirektor", "KS 2027/3")}
    unreported = _json(capsys, database_url, "beslut", "register", "--unreported")
    assert [b["id"] for b in unreported["beslut"]] == [str(world.director_delegationsordning)]


@pytest.mark.slow
@pytest.mark.parametrize("processes", ["1", "2"])
def test_projections_status_shows_every_view_at_the_head_after_a_rebuild(
    database_url: str, capsys: pytest.CaptureFixture[str], processes: str
) -> None:
    """After `projections rebuild`, in this process or a process per view, no view is behind the log."""
    app = governance(Settings(database_url=database_url).eventsourcing_env("governance"))
    seed(app)
    app.close()
    rebuilt = _json(capsys, database_url, "projections", "rebuild", "--processes", processes)
    status = _json(capsys, database_url, "projections", "status")
    assert (
        set(rebuilt["ombyggda"])
        == set(status["vyer"])
        == {
            "uppdrag_view",
            "beslut_view",
            "delegering_view",
            "avvikelse_view",
            "internkontroll_view",
            "styrdokument_view",
            "forordnande_view",
            "befattning_view",
        }
    )
    assert all(v["efter"] == 0 and v["position"] == status["logg"] for v in status["vyer"].values())


def test_audit_trace_and_authority_answer_from_the_log(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trace reaches KF's budget; the sector's authority runs through two delegations to KS."""
    app = governance(Settings(database_url=database_url).eventsourcing_env("governance"))
    world = seed(app)
    app.close()
    trace = _json(capsys, database_url, "audit", "trace", str(world.kf_uppdrag_to_ks))
    assert trace["leder_till_beslut"]
    assert trace["beslut"]["id"] == str(world.budget)
    power = _json(capsys, database_url, "audit", "authority", "larande", "--as-of", "2027-03-01")
    [upphandling] = power["beslutanderatt"]
    assert [link["delegering"]["beviljad_av"] for link in upphandling["kedja"]] == ["kommundirektor", "ks"]
    assert upphandling["giltig"]
    before = _json(capsys, database_url, "audit", "authority", "larande", "--as-of", "2026-12-31")
    assert before["beslutanderatt"] == []


def test_audit_as_of_before_anything_took_effect_is_empty(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a day before the first decision there were no mandates, only the decisions on who holds
    which position that the store was staffed on."""
    app = governance(Settings(database_url=database_url).eventsourcing_env("governance"))
    seed(app)
    staffing = [str(i) for i in staffing_decisions(app)]
    app.close()
    state = _json(capsys, database_url, "audit", "as-of", "2026-01-01")
    assert (state["uppdrag"], state["delegeringar"], state["avvikelser"]) == ([], [], [])
    assert [b["id"] for b in state["beslut"]] == staffing
    later = _json(capsys, database_url, "audit", "as-of", "2027-03-01")
    assert len(later["delegeringar"]) == 2


def test_a_rebuild_cut_short_says_what_became_of_the_views_and_the_next_read_answers_in_full(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in `projections rebuild` after some views were emptied: exit 130 with a Swedish line that
    the log is untouched and what happens to the views; the next read answers as before."""
    settings = Settings(database_url=database_url)
    app = governance(settings.eventsourcing_env("governance"))
    world = seed(app)
    app.close()
    before = _json(capsys, database_url, "beslut", "register", "--unreported")

    def cut_short(settings: Settings, **_: object) -> None:
        store = ViewStore.open(settings)
        try:
            for projection in store.projections:
                projection.view.reset(store.log.name)
        finally:
            store.close()
        raise KeyboardInterrupt

    monkeypatch.setattr("lerum_flow.cli.projections.rebuild_views", cut_short)
    session = CliSession()
    try:
        code = main.main(["--database-url", database_url, "projections", "rebuild"], session=session)
    finally:
        session.close()
    said = capsys.readouterr().err

    assert code == 130
    assert "Avbrutet: ombyggnaden hann inte klart. Händelseloggen är orörd" in said
    after = _json(capsys, database_url, "beslut", "register", "--unreported")
    assert after == before
    assert [b["id"] for b in after["beslut"]] == [str(world.director_delegationsordning)]
