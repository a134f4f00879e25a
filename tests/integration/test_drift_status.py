"""`lerum-flow drift status`: what waits past its deadline, and how far the relay and the views lag."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from e2e.cli_world import run_in_process
from unit.governance_world import governance, send
from unit.styrdokument_world import decide, policy_and_riktlinje, revise

from lerum_flow.application import Governance
from lerum_flow.demo.short_deadlines import late_clock
from lerum_flow.domain.values import AvvikelseSubject
from lerum_flow.drift_status import gather
from lerum_flow.municipal_time import MUNICIPAL_TIME, municipal_today
from lerum_flow.relay import RelayPosition
from lerum_flow.settings import Settings

# The store's clock runs this far behind while the history is recorded, so its deadlines have passed.
BEHIND = timedelta(days=10)


def report_incident(app: Governance, description: str, on: date, *, process: str | None = None) -> None:
    """The kommundirektör reports a deviation (in a process's name when `process` is given)."""
    send(
        app,
        "report_avvikelse",
        "kommundirektor",
        subject_kind=AvvikelseSubject.HANDELSE,
        subject_ref="drift",
        severity="avvikelse",
        category="verksamhet",
        description=description,
        occurred_on=on,
        process=process,
    )


def record_late_history(settings: Settings) -> int:
    """An uppdrag whose report was due three days ago, a deviation nobody acknowledged for ten
    days, and one an årshjul recorded in its own name for a report that did not come."""
    app = governance(settings.eventsourcing_env(), clock=late_clock(BEHIND))
    then = municipal_today() - BEHIND
    try:
        budget = send(
            app,
            "take_beslut",
            "kf",
            decided_by="kf",
            kind="budget",
            diarienummer="KF 2026/77",
            paragraf="§ 7",
            title="Budget 2027",
            decided_on=then,
        ).id
        send(
            app,
            "issue_uppdrag",
            "kf",
            recipient="ks",
            title="Rapportera budgetläget",
            origin_beslut_id=budget,
            issued_on=then,
            due=municipal_today() - timedelta(days=3),
        )
        report_incident(app, "Larmet ur funktion.", then)
        report_incident(app, "Delårsrapporten saknas.", then, process="arshjul-1486-2027")
        return app.head()
    finally:
        app.close()


def drift_status(settings_url: str) -> dict[str, object]:
    result = run_in_process(["--database-url", settings_url, "--json", "drift", "status"], {})
    assert result.exit_code == 0, result.stdout + result.stderr
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_drift_status_lists_what_waits_past_its_deadline_and_the_lags(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    head = record_late_history(settings)

    answer = drift_status(database_url)

    assert answer["logg"] == head
    # Nothing has followed the log yet: every view is the whole log behind, and no relay leads.
    views = answer["vyer"]
    assert isinstance(views, dict)
    assert {view["efter"] for view in views.values()} == {head}
    assert answer["ledare"] == {"rela": False, "projektor": False}
    late = answer["forsenade"]
    assert isinstance(late, list)
    by_kind = {(item["typ"], item["vad"]) for item in late}
    assert ("uppdrag", "Rapportera budgetläget") in by_kind
    assert ("avvikelse", "Larmet ur funktion.") in by_kind
    assert ("arshjul", "Delårsrapporten saknas.") in by_kind
    assert ("arshjul", "Larmet ur funktion.") not in by_kind
    avvikelse = next(item for item in late if item["typ"] == "avvikelse")
    assert avvikelse["frist"].endswith(("+01:00", "+02:00"))  # the municipality's clock
    uppdrag = next(item for item in late if item["typ"] == "uppdrag")
    assert uppdrag["hos"] == "ks"
    assert uppdrag["frist"] == (municipal_today() - timedelta(days=3)).isoformat()

    # The relay and the views catch up: no lag any more, the overdue list is the same.
    position = RelayPosition(settings)
    try:
        position.set("Governance", head)
    finally:
        position.close()
    assert run_in_process(["--database-url", database_url, "projections", "rebuild"], {}).exit_code == 0
    caught_up = drift_status(database_url)
    assert caught_up["rela"] == {"position": head, "efter": 0}
    views = caught_up["vyer"]
    assert isinstance(views, dict)
    assert {view["efter"] for view in views.values()} == {0}
    assert caught_up["forsenade"] == late


def test_drift_status_in_words_names_each_kind_in_swedish(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    record_late_history(Settings(data_dir=tmp_path, database_url=url))

    result = run_in_process(["--database-url", url, "drift", "status"], {})

    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Uppdrag med försenad återrapport (1)" in result.stdout
    assert "Avvikelser som inte kvitterats i tid" in result.stdout
    assert "Årshjulssteg som missats" in result.stdout
    assert "Reläet: okänt" in result.stdout
    assert "Reläets ledare: ingen." in result.stdout


def test_drift_status_names_an_overdue_styrdokument_by_its_title_of_the_day(tmp_path: Path) -> None:
    """The policy is retitled from 2032 on 2027-03-01, and then reviewed on 2027-03-10:
    its review, due by 2031-03-10, is overdue on 2031-06-01 under the title it has that day."""
    settings = Settings(data_dir=tmp_path)
    app = governance(settings.eventsourcing_env())
    try:
        policy = policy_and_riktlinje(app).policy
        revise(app, "kf", policy, date(2032, 1, 1), date(2027, 3, 1), 3, title="Policy för inköp")
        review = decide(app, "kf", date(2027, 3, 10), "Aktualitetsprövning av inköpspolicy", number=4)
        send(
            app,
            "review_styrdokument",
            "kf",
            styrdokument_id=policy,
            beslut_id=review,
        )

        status = gather(settings, app, app.styrmodell, datetime(2031, 6, 1, 12, tzinfo=MUNICIPAL_TIME))
    finally:
        app.close()

    [late] = [item for item in status.overdue if item.id == str(policy)]
    assert (late.what, late.deadline) == ("Inköpspolicy", "2031-03-10")
