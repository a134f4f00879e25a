"""The årshjul page: the running budget years as `arshjul plan` lists them, the mandate period, and a
clear note when Temporal is not there to say where each cycle stands."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web.conftest import web_config
from web.web_world import DAY, WebWorld, browser_login, event_count, person

from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.temporal_settings import TemporalSettings
from lerum_flow.web.app import create_app
from lerum_flow.web.arshjul import running_years
from lerum_flow.web.config import OidcSettings
from lerum_flow.web.reads import today
from lerum_flow.web.server import free_port
from lerum_flow.workflows.starter import plan_of_budget_year


def test_each_running_budget_year_is_shown_with_every_step_of_its_plan(client: TestClient) -> None:
    browser_login(client, person("revisorer"))
    styrmodell = default_styrmodell()
    years = running_years(styrmodell, today())

    page = client.get("/arshjul").text

    assert years
    for year in years:
        assert f"Budgetår {year}</h2>" in page
        for step in plan_of_budget_year(styrmodell, year).dated_steps():
            assert f"Senast {step.by.isoformat()}" in page
    assert "Mandatperioden" in page
    assert "webben är inte kopplad till Temporal" in page


def test_one_budget_year_is_asked_for_by_a_get_form_and_a_bad_year_is_refused_in_words(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("revisorer"))
    before = event_count(world)

    one = client.get("/arshjul", params={"ar": "2031"})
    word = client.get("/arshjul", params={"ar": "nästa"})
    far = client.get("/arshjul", params={"ar": "1800"})

    assert "Budgetår 2031</h2>" in one.text
    assert "Budgetår 2030</h2>" not in one.text
    assert word.status_code == 422
    assert "Budgetåret &#39;nästa&#39; är inget år" in word.text
    assert far.status_code == 422
    assert "är orimligt" in far.text
    assert event_count(world) == before


@pytest.fixture
def unanswered(world: WebWorld, oidc: OidcSettings) -> Iterator[TestClient]:
    """The app told that Temporal runs on a port where nothing listens."""
    config = dataclasses.replace(
        web_config(world, oidc), temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}")
    )
    with TestClient(create_app(config), base_url="https://testserver") as test_client:
        yield test_client


def test_a_temporal_that_does_not_answer_leaves_the_plans_and_says_so(unanswered: TestClient) -> None:
    browser_login(unanswered, person("kommundirektor"))

    page = unanswered.get("/arshjul")

    assert page.status_code == 200
    assert "Temporal svarar inte på 127.0.0.1:" in page.text
    assert "Kommande steg" in page.text


def test_each_decision_step_says_whether_it_was_decided_in_time_late_or_missed(client: TestClient) -> None:
    """The world's KF budget (taken 30 days ago) answers the next year's budget step; a step whose day
    has passed with no decision of its kind by its organ is told as missed."""
    browser_login(client, person("revisorer"))
    styrmodell = default_styrmodell()
    year = DAY.year + 1

    page = client.get("/arshjul", params={"ar": str(year)}).text

    plan = plan_of_budget_year(styrmodell, year)
    # In an election year both the old KF's June budget step and the new KF's are answered by it.
    budgets = [s for s in plan.decisions if s.kind == "budget" and s.not_before <= DAY]
    assert budgets
    for budget in budgets:
        expected = "i tid" if budget.deadline.on >= DAY else "för sent"
        assert f"Beslutat {DAY.isoformat()}, {expected}" in page
    undecided_past = [s for s in plan.decisions if s.kind != "budget" and s.deadline.on < today()]
    assert ("Missat: inget beslut" in page) == bool(undecided_past)
