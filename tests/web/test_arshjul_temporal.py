"""The årshjul page beside a real Temporal: a started cycle's standing is shown from the workflow itself
(its status; with no worker to answer its query, no phase), the plan beside it."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import pytest
from fastapi.testclient import TestClient
from temporal.escalation_fleet import dev_server
from web.conftest import web_config
from web.web_world import WebWorld, browser_login, person

from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.temporal_runtime import install_runtime
from lerum_flow.temporal_settings import TemporalSettings
from lerum_flow.web.app import create_app
from lerum_flow.web.arshjul import running_years
from lerum_flow.web.config import OidcSettings
from lerum_flow.web.reads import today
from lerum_flow.workflows.starter import start_arshjul

pytestmark = pytest.mark.temporal


def test_a_started_cycle_is_shown_as_running_and_one_not_started_says_how_to_start_it(
    world: WebWorld, oidc: OidcSettings
) -> None:
    styrmodell = default_styrmodell()
    started_year = running_years(styrmodell, today())[0]

    async def scenario() -> tuple[str, str]:
        install_runtime()
        env = await dev_server()
        try:
            address = env.client.service_client.config.target_host
            await start_arshjul(env.client, f"webb-{uuid.uuid4()}", styrmodell.kommun.kod, started_year)
            config = dataclasses.replace(web_config(world, oidc), temporal=TemporalSettings(address=address))
            with TestClient(create_app(config), base_url="https://testserver") as client:
                browser_login(client, person("revisorer"))
                page = await asyncio.to_thread(client.get, "/arshjul")
                other = await asyncio.to_thread(client.get, "/arshjul", params={"ar": str(started_year + 5)})
            return page.text, other.text
        finally:
            await env.shutdown()

    page, other = asyncio.run(scenario())

    section = page.split(f"Budgetår {started_year}</h2>")[1].split("</section>")[0]
    assert "Arbetsflödet: <strong>pågår</strong>" in section
    assert "Temporal svarar inte" not in page
    assert "webben är inte kopplad" not in page
    assert "Arbetsflödet är inte startat" in other
