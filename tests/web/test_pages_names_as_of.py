"""A page about an earlier day, or as known on one, names the positions it shows as they were named
then: by the styrmodell in force that day and the positions established by it, not as today; a
position that was none then, still named by the page, by its name now rather than a bare code."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from unit.governance_world import governance, person_of, send
from web.conftest import web_config
from web.web_world import DAY, WebWorld, browser_login, person

from lerum_flow import commands as c
from lerum_flow.municipal_time import municipal_today
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.styrmodell.loading import shipped_styrmodell_path
from lerum_flow.web.app import create_app
from lerum_flow.web.config import OidcSettings

RENAMED_FROM = DAY + timedelta(days=10)
OLD_NAME = "Sektorschef, sektor lärande"
NEW_NAME = "Sektorschef, sektor utbildning"


def _rename_larande(world: WebWorld, directory: Path, renamed_from: date = RENAMED_FROM) -> None:
    """KF records Lerum's styrmodell with lärande's sektorschef renamed, in force from `renamed_from`."""
    text = shipped_styrmodell_path("lerum").read_text(encoding="utf-8")
    assert f'namn = "{OLD_NAME}"' in text
    renamed = directory / "lerum-utbildning.toml"
    renamed.write_text(text.replace(f'namn = "{OLD_NAME}"', f'namn = "{NEW_NAME}"'), encoding="utf-8")
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        command = c.parse_command(
            c.AdoptStyrmodell, actor="kf", person=person_of("kf"), effective_from=renamed_from
        )
        app.adopt_styrmodell(command, load_styrmodell(renamed))
    finally:
        app.close()


def test_an_uppdrag_page_about_a_day_before_a_rename_names_the_position_as_it_was_named_then(
    world: WebWorld, oidc: OidcSettings, tmp_path: Path
) -> None:
    """Lärande's sektorschef renamed by the styrmodell in force from RENAMED_FROM: the uppdrag's page
    as of DAY names it by its old name, as of RENAMED_FROM and today by its new one."""
    _rename_larande(world, tmp_path)

    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        browser_login(client, person("larande"))
        pages = {
            day: client.get(f"/uppdrag/{world.uppdrag_to_larande}", params={"as_of": day}).text
            for day in (DAY.isoformat(), RENAMED_FROM.isoformat(), "")
        }

    assert f'till <span title="larande">{OLD_NAME}</span>' in pages[DAY.isoformat()]
    assert NEW_NAME not in pages[DAY.isoformat()]
    for day in (RENAMED_FROM.isoformat(), ""):
        assert f'till <span title="larande">{NEW_NAME}</span>' in pages[day]
        assert OLD_NAME not in pages[day]


def test_a_styrmodell_version_recorded_while_the_web_runs_is_seen_by_the_next_page(
    world: WebWorld, oidc: OidcSettings, tmp_path: Path
) -> None:
    """The web serves the uppdrag's page naming lärande's sektorschef by its old name; the rename is
    then recorded by another process (as `styrmodell adopt` on the command line): without a restart,
    the page today and as of RENAMED_FROM name it by its new name, as of DAY by its old one."""
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        browser_login(client, person("larande"))
        page = f"/uppdrag/{world.uppdrag_to_larande}"
        before = client.get(page).text
        _rename_larande(world, tmp_path)
        after = {
            day: client.get(page, params={"as_of": day}).text
            for day in (DAY.isoformat(), RENAMED_FROM.isoformat(), "")
        }

    assert f'till <span title="larande">{OLD_NAME}</span>' in before
    assert f'till <span title="larande">{OLD_NAME}</span>' in after[DAY.isoformat()]
    for day in (RENAMED_FROM.isoformat(), ""):
        assert f'till <span title="larande">{NEW_NAME}</span>' in after[day]
        assert OLD_NAME not in after[day]


def test_a_styrmodell_version_adopted_ahead_names_positions_from_its_first_day_without_a_new_event(
    world: WebWorld, oidc: OidcSettings, tmp_path: Path
) -> None:
    """A version recorded to take effect tomorrow: today's page names lärande's sektorschef by the
    old name; when the web's day turns, by the new one, though nothing new was recorded."""
    tomorrow = municipal_today() + timedelta(days=1)
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        browser_login(client, person("larande"))
        page = f"/uppdrag/{world.uppdrag_to_larande}"
        _rename_larande(world, tmp_path, tomorrow)
        today = client.get(page).text
        record = client.app.state.record  # type: ignore[attr-defined]
        head = record.governance.head()
        now = record.governance.clock()
        record.governance.clock = lambda: now + timedelta(days=1)
        next_day = client.get(page).text

        assert record.governance.head() == head
    assert f'till <span title="larande">{OLD_NAME}</span>' in today
    assert f'till <span title="larande">{NEW_NAME}</span>' in next_day


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param({"as_of": DAY.isoformat()}, id="a-day-before"),
        pytest.param({"known_on": DAY.isoformat()}, id="as-known-before"),
    ],
)
def test_a_page_about_a_day_before_a_position_was_established_names_it_as_it_is_named_now(
    world: WebWorld, oidc: OidcSettings, moment: dict[str, str]
) -> None:
    """An ekonomichef established today was no position on DAY, nor known to be one then; asked about
    by its code on a page about DAY, or as known on DAY, it is named as it is now, its code kept as
    the title, not shown as a bare code."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        send(app, "establish_befattning", "kommundirektor", code="ek-chef", name="Ekonomichef",
             kind="chef", parent="kommundirektor", established_on=municipal_today())  # fmt: skip
    finally:
        app.close()

    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        browser_login(client, person("kommundirektor"))
        page = client.get("/beslutanderatt", params={"befattning": "ek-chef", **moment})

    assert page.status_code == 200, page.text
    assert '<h2><span title="ek-chef">Ekonomichef</span> den ' in page.text
