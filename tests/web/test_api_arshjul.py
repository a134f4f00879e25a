"""The årshjul through the API: the budget years running on a day, one year's steps and how each
stands by the decisions recorded (as known on a day), with ETag and refusals as problem details."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from web.arshjul_world import LATE_REPORT, PAST_YEAR, record_a_past_year, record_monthly_reports
from web.web_world import DAY, WebWorld, access_token, browser_login, event_count, person

from lerum_flow.domain.plan_steps import StepOutcome
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.web.arshjul import running_years
from lerum_flow.web.config import OidcSettings
from lerum_flow.web.reads import today
from lerum_flow.workflows.starter import plan_of_budget_year

PROBLEM = "application/problem+json"


def bearer(oidc: OidcSettings, position: str = "revisorer") -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(oidc, person(position))}"}


def test_the_running_budget_years_are_those_the_page_shows_and_a_past_day_has_its_own(
    client: TestClient, oidc: OidcSettings
) -> None:
    styrmodell = default_styrmodell()
    past = date(2021, 3, 1)

    now = client.get("/api/v1/arshjul", headers=bearer(oidc)).json()
    then = client.get("/api/v1/arshjul", headers=bearer(oidc), params={"as_of": past.isoformat()}).json()

    assert now["budgetar"] == running_years(styrmodell, today())
    assert then["budgetar"] == running_years(styrmodell, past)
    assert then["datum"] == past.isoformat()
    assert now["budgetar"] != then["budgetar"]


def test_each_step_of_a_year_is_listed_with_who_owes_whom_and_by_when(
    client: TestClient, oidc: OidcSettings
) -> None:
    year = DAY.year + 1
    plan = plan_of_budget_year(default_styrmodell(), year)

    answer = client.get(f"/api/v1/arshjul/{year}", headers=bearer(oidc)).json()

    expected = [(s.key, s.kind, s.what, s.owed_by, s.owed_to, s.by.isoformat()) for s in plan.dated_steps()]
    got = [(s["nyckel"], s["slag"], s["vad"], s["av"], s["till"], s["senast"]) for s in answer["steg"]]
    assert got == expected
    assert answer["budgetar"] == year


def _budget_steps(answer: dict[str, object], year: int) -> list[dict[str, object]]:
    plan = plan_of_budget_year(default_styrmodell(), year)
    keys = {s.key for s in plan.decisions if s.kind == "budget" and s.not_before <= DAY}
    steps = answer["steg"]
    assert isinstance(steps, list)
    return [s for s in steps if s["nyckel"] in keys]


def test_the_budget_decided_answers_its_step_and_not_on_a_day_before_it_or_as_known_before_it(
    client: TestClient, oidc: OidcSettings
) -> None:
    """The world's KF budget, taken 30 days ago (recorded today), answers next year's budget step; as of
    the day before it, or as known yesterday (before it was recorded), the step is unanswered."""
    year = DAY.year + 1
    path = f"/api/v1/arshjul/{year}"

    now = client.get(path, headers=bearer(oidc)).json()
    before = client.get(path, headers=bearer(oidc), params={"as_of": (DAY - timedelta(days=1)).isoformat()})
    unknown = client.get(
        path, headers=bearer(oidc), params={"known_on": (today() - timedelta(days=1)).isoformat()}
    )

    decided = _budget_steps(now, year)
    assert decided
    for step in decided:
        assert step["besvarat"] == DAY.isoformat()
        assert step["lage"] == ("i tid" if str(step["senast"]) >= DAY.isoformat() else "för sent")
    for answer in (before.json(), unknown.json()):
        for step in _budget_steps(answer, year):
            assert step["besvarat"] is None
            assert step["lage"] in ("kommande", "missad")


def test_a_year_read_carries_the_log_position_as_etag_and_answers_304(
    client: TestClient, oidc: OidcSettings
) -> None:
    path = f"/api/v1/arshjul/{DAY.year + 1}"
    first = client.get(path, headers=bearer(oidc))

    again = client.get(path, headers={**bearer(oidc), "If-None-Match": first.headers["etag"]})
    listing = client.get("/api/v1/arshjul", headers={**bearer(oidc), "If-None-Match": first.headers["etag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert listing.status_code == 304


def test_a_year_outside_range_a_bad_day_and_an_extreme_day_are_refused_in_swedish_with_rule_and_field(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    before = event_count(world)
    asked = {
        "år 1800": ("/api/v1/arshjul/1800", {}),
        "år 9999": ("/api/v1/arshjul/9999", {}),
        "inget år": ("/api/v1/arshjul/nasta", {}),
        "felaktig dag": ("/api/v1/arshjul", {"as_of": "2027-13-40"}),
        "dag år 9999": ("/api/v1/arshjul", {"as_of": "9999-12-31"}),
        "dag år 1": ("/api/v1/arshjul", {"as_of": "0001-01-01"}),
        "känt i framtiden": (f"/api/v1/arshjul/{DAY.year}", {"known_on": "9999-12-31"}),
    }

    answers = {
        name: client.get(path, headers=bearer(oidc), params=query) for name, (path, query) in asked.items()
    }

    for name, answer in answers.items():
        assert answer.status_code == 422, (name, answer.text)
        assert answer.headers["content-type"] == PROBLEM, name
        problem = answer.json()
        assert problem["regel"], (name, problem)
        assert problem["falt"], (name, problem)
    assert answers["år 1800"].json()["falt"] == "budgetar"
    assert answers["dag år 9999"].json()["falt"] == "as_of"
    assert "utanför årshjulets år" in answers["dag år 9999"].json()["detail"]
    assert answers["känt i framtiden"].json()["regel"] == "framtida_kannedom"
    assert event_count(world) == before


def test_an_extreme_day_within_a_year_read_is_answered_every_step_passed(
    client: TestClient, oidc: OidcSettings
) -> None:
    answer = client.get(f"/api/v1/arshjul/{DAY.year}", headers=bearer(oidc), params={"as_of": "9999-12-31"})

    assert answer.status_code == 200
    assert all(step["passerat"] for step in answer.json()["steg"])


def _standing(answer: dict[str, object], key: str) -> tuple[object, object]:
    steps = answer["steg"]
    assert isinstance(steps, list)
    step = next(s for s in steps if s["nyckel"] == key)
    return step["lage"], step["besvarat"]


def test_a_report_step_says_reported_late_or_missed_by_the_reports_recorded_as_of_a_day(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """The delårsrapport came after its deadline (för sent); the årsredovisning never (missad); on the
    day after the deadline nothing had come (missad), a month before it was still to come."""
    record_a_past_year(world)
    path = f"/api/v1/arshjul/{PAST_YEAR}"

    def asked(**query: str) -> dict[str, object]:
        answer = client.get(path, headers=bearer(oidc), params=query)
        assert answer.status_code == 200, answer.text
        found: dict[str, object] = answer.json()
        return found

    now = asked()
    after_deadline = asked(as_of="2025-11-01")
    before_deadline = asked(as_of="2025-10-01")
    unknown = asked(known_on=(today() - timedelta(days=1)).isoformat())

    assert _standing(now, "delarsrapport") == (StepOutcome.LATE.value, LATE_REPORT.isoformat())
    assert _standing(now, "arsredovisning") == (StepOutcome.MISSED.value, None)
    assert _standing(after_deadline, "delarsrapport") == (StepOutcome.MISSED.value, None)
    assert _standing(before_deadline, "delarsrapport") == (StepOutcome.COMING.value, None)
    assert _standing(unknown, "delarsrapport") == (StepOutcome.MISSED.value, None)


def test_the_page_says_of_each_report_step_whether_it_was_reported_in_time_late_or_not(
    client: TestClient, world: WebWorld
) -> None:
    record_a_past_year(world)
    browser_login(client, person("revisorer"))

    page = client.get("/arshjul", params={"ar": str(PAST_YEAR)}).text

    assert f"Rapporterat {LATE_REPORT.isoformat()}, för sent" in page
    assert "Missat: ingen rapport" in page


def test_a_month_of_follow_up_is_answered_in_time_when_every_report_asked_for_came_by_its_deadline(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """March's two reports came by the 20th (the last on the 15th); April's second never came; a month
    nobody was asked for has no standing."""
    record_monthly_reports(world)

    answer = client.get(f"/api/v1/arshjul/{PAST_YEAR}", headers=bearer(oidc)).json()

    assert _standing(answer, "uppfoljning:2025-03:forvaltningschef") == (
        StepOutcome.IN_TIME.value,
        "2025-03-15",
    )
    assert _standing(answer, "uppfoljning:2025-04:forvaltningschef") == (StepOutcome.MISSED.value, None)
    assert _standing(answer, "uppfoljning:2025-05:forvaltningschef") == (None, None)
