"""The Beslutanderätt page about a day before a position was established says that it was no position
then, and from which day it is (as known on the day the page is known on), not that it stood empty;
a position that stood that day with nobody appointed still reads as such."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from unit.governance_world import governance, send
from web.conftest import web_config
from web.web_world import DAY, WebWorld, browser_login, person

from lerum_flow.municipal_time import municipal_today
from lerum_flow.web.app import create_app
from lerum_flow.web.config import OidcSettings

STOOD_EMPTY = "Ingen var förordnad i befattningen den dagen."


def _establish_ekonomichef(world: WebWorld, established_on: date) -> None:
    """The kommundirektör establishes an ekonomichef below the post, from `established_on`, today."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        send(app, "establish_befattning", "kommundirektor", code="ek-chef", name="Ekonomichef",
             kind="chef", parent="kommundirektor", established_on=established_on)  # fmt: skip
    finally:
        app.close()


def _authority_page(world: WebWorld, oidc: OidcSettings, **moment: str) -> str:
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        browser_login(client, person("kommundirektor"))
        page = client.get("/beslutanderatt", params={"befattning": "ek-chef", **moment})
    assert page.status_code == 200, page.text
    text: str = page.text
    return text


def test_the_page_about_a_day_before_a_position_was_established_says_from_which_day_it_exists(
    world: WebWorld, oidc: OidcSettings
) -> None:
    """An ekonomichef established from today, asked about on DAY, a month before: the page says it
    was no position that day and was established from today, not that nobody was appointed."""
    today = municipal_today()
    _establish_ekonomichef(world, today)

    page = _authority_page(world, oidc, as_of=DAY.isoformat())

    assert f"Befattningen fanns inte den dagen: den inrättades först från {today.isoformat()}." in page
    assert STOOD_EMPTY not in page


def test_the_page_says_the_day_a_position_is_established_from_as_known_on_the_day_it_is_known_on(
    world: WebWorld, oidc: OidcSettings
) -> None:
    """An ekonomichef established today from ten days on: asked about today as known today, the page
    says it is established only from that day."""
    today = municipal_today()
    later = today + timedelta(days=10)
    _establish_ekonomichef(world, later)

    page = _authority_page(world, oidc, as_of=today.isoformat(), known_on=today.isoformat())

    assert f"Befattningen fanns inte den dagen: den inrättades först från {later.isoformat()}." in page
    assert STOOD_EMPTY not in page


def test_the_page_as_known_before_a_position_was_recorded_says_it_was_recorded_later(
    world: WebWorld, oidc: OidcSettings
) -> None:
    """An ekonomichef established today, asked about today as known on DAY, when nothing of it was
    recorded: the page says it was no position then as known then, its establishment recorded later."""
    today = municipal_today()
    _establish_ekonomichef(world, today)

    page = _authority_page(world, oidc, as_of=today.isoformat(), known_on=DAY.isoformat())

    assert (
        "Befattningen fanns inte den dagen, som det var känt då: att den är inrättad från "
        f"{today.isoformat()} registrerades först senare."
    ) in page
    assert STOOD_EMPTY not in page


@pytest.mark.parametrize("known_on", [None, "today"])
def test_the_page_about_a_day_a_position_stood_with_nobody_appointed_says_nobody_was(
    world: WebWorld, oidc: OidcSettings, known_on: str | None
) -> None:
    """The ekonomichef established from today, nobody yet appointed: asked about today, as known now
    or today, the page says nobody was appointed, and nothing of when it was established."""
    today = municipal_today()
    _establish_ekonomichef(world, today)
    moment = {"as_of": today.isoformat()} | ({"known_on": today.isoformat()} if known_on else {})

    page = _authority_page(world, oidc, **moment)

    assert STOOD_EMPTY in page
    assert "Befattningen fanns inte" not in page
