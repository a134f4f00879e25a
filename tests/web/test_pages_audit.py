"""The auditor's pages and API: the record as of a day, a record's history, an uppdrag traced to its
decision, the seal verified, the evidence downloaded; none records anything."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from web.web_world import DAY, WebWorld, access_token, browser_login, event_count, person

from lerum_flow.web.config import OidcSettings


def test_the_revisor_browses_the_record_as_of_a_day_and_traces_an_uppdrag_to_its_decision(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("revisorer"))
    before = event_count(world)

    on_the_day = client.get("/revision", params={"as_of": DAY.isoformat()}).text
    the_day_before = client.get("/revision", params={"as_of": (DAY - timedelta(days=1)).isoformat()}).text
    traced = client.get(f"/revision/spar/{world.uppdrag_to_chef}").text
    history = client.get("/revision/historik", params={"id": str(world.avvikelse)[:8]}).text

    assert "Budget för chef-forskola" in on_the_day
    assert "Inga pågående uppdrag den dagen." in the_day_before
    assert traced.index("Budget för chef-forskola") < traced.index("Budget för ks")  # upward
    assert "KF 2026/10" in traced
    assert "Underskott i förskolan." in history
    assert event_count(world) == before


def test_the_seal_is_verified_and_the_evidence_downloaded_through_the_api(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    revisor = {"Authorization": f"Bearer {access_token(oidc, person('revisorer'))}"}
    before = event_count(world)

    seal = client.get("/api/v1/revision/forsegling", headers=revisor)
    lines = client.get("/api/v1/revision/underlag", params={"format": "jsonl"}, headers=revisor)
    wrong = client.get("/api/v1/revision/underlag", params={"format": "pdf"}, headers=revisor)

    assert seal.status_code == 200
    assert seal.json()["intakt"] is True
    assert lines.status_code == 200
    assert 'filename="revisionsunderlag-' in lines.headers["content-disposition"]
    events = [json.loads(line) for line in lines.text.splitlines() if line.strip()]
    assert len(events) >= int(lines.headers["x-antal-handelser"]) > 0
    assert wrong.status_code == 422
    assert "välj csv eller jsonl" in wrong.json()["detail"]
    assert event_count(world) == before


def test_a_records_history_through_the_api_names_every_event(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    revisor = {"Authorization": f"Bearer {access_token(oidc, person('revisorer'))}"}

    found = client.get(f"/api/v1/revision/historik/{world.uppdrag_to_larande}", headers=revisor).json()
    unknown = client.get("/api/v1/revision/historik/00000000", headers=revisor)

    assert [h["handelse"] for h in found["historik"]] == ["uppdrag givet", "uppdrag mottaget"]
    assert unknown.status_code == 404
