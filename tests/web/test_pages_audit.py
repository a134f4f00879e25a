"""The auditor's pages and API: the record as of a day, a record's history, an uppdrag traced to its
decision, the seal verified, the evidence downloaded; none records anything."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from web.web_world import DAY, WebWorld, access_token, browser_login, event_count, person

from lerum_flow.web import pages_audit
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


def test_the_record_as_of_a_day_is_shown_one_register_a_page_at_a_time(
    client: TestClient, world: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three open uppdrag a page of two: the second page holds the third; each register on its own."""
    monkeypatch.setattr(pages_audit, "AS_OF_PAGE", 2)
    browser_login(client, person("revisorer"))
    day = {"as_of": DAY.isoformat()}

    first = client.get("/revision", params=day).text
    second = client.get("/revision", params=day | {"fran": "2"}).text
    beslut = client.get("/revision", params=day | {"slag": "beslut"}).text
    delegations = client.get("/revision", params=day | {"slag": "delegeringar"}).text
    deviations = client.get("/revision", params=day | {"slag": "avvikelser"}).text
    documents = client.get("/revision", params=day | {"slag": "styrdokument"}).text
    unknown = client.get("/revision", params=day | {"slag": "allt"})

    assert "1–2 av 4." in first
    assert "3–4 av 4." in second
    assert "Nästa sida" in first
    assert "Nästa sida" not in second
    shown = [f"Budget för {p}" for p in ("ks", "kommundirektor", "larande", "chef-forskola")]
    assert all(title in first + second for title in shown)
    assert "1–2 av 5." in beslut  # the two appointment decisions first, by the day decided
    assert "KF 1900/förordnanden" in beslut
    assert "Budget för ks" not in beslut
    assert (
        '<span title="upphandling">Upphandling och avtal</span>: '
        '<span title="kommundirektor">Kommundirektör</span> ← <span title="ks">Kommunstyrelsen</span>'
    ) in delegations
    assert "Underskott i förskolan." in deviations
    assert "Inga styrdokument i kraft den dagen." in documents
    assert unknown.status_code == 422
    assert "Registret &#39;allt&#39; finns inte" in unknown.text


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
