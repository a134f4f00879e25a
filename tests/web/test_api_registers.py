"""The registers through the API: decisions searched, delegations granted and revoked, and what a
position could decide on a day with the chain it rests on, as `audit authority` answers."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from web.web_world import DAY, WebWorld, access_token, event_count, person

from lerum_flow.municipal_time import municipal_today
from lerum_flow.web.config import OidcSettings


def bearer(oidc: OidcSettings, position: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(oidc, person(position))}"}


def test_the_decision_register_finds_by_every_word_searched(client: TestClient, oidc: OidcSettings) -> None:
    revisor = bearer(oidc, "revisorer")

    budget = client.get("/api/v1/beslut", params={"q": "kf budget"}, headers=revisor).json()
    by_ks = client.get("/api/v1/beslut", params={"organ": "ks"}, headers=revisor).json()
    nothing = client.get("/api/v1/beslut", params={"q": "budget ks"}, headers=revisor).json()

    assert [b["diarienummer"] for b in budget["beslut"]] == ["KF 2026/10"]
    assert "KS 2026/200" in [b["diarienummer"] for b in by_ks["beslut"]]
    assert {b["decided_by"] for b in by_ks["beslut"]} == {"ks"}
    assert nothing["sida"]["antal"] == 0


def test_a_revoked_delegation_leaves_the_register_of_the_day_and_the_authority_of_the_delegate(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    ks = bearer(oidc, "ks")
    before = client.get("/api/v1/beslutanderatt/kommundirektor", headers=ks).json()

    revoked = client.post(
        f"/api/v1/delegeringar/{world.delegering}/aterkallelse", headers=ks, json={"reason": "Ny ordning."}
    )
    tomorrow = (municipal_today() + timedelta(days=1)).isoformat()
    register_now = client.get("/api/v1/delegeringar", headers=ks).json()
    everything = client.get("/api/v1/delegeringar", params={"alla": True}, headers=ks).json()
    after = client.get("/api/v1/beslutanderatt/kommundirektor", params={"as_of": tomorrow}, headers=ks)
    then = client.get(
        "/api/v1/beslutanderatt/kommundirektor", params={"as_of": DAY.isoformat()}, headers=ks
    ).json()

    delegated = [a for a in before["beslutanderatt"] if a["beslutsomrade"] == "upphandling" and not a["egen"]]
    assert delegated
    assert delegated[0]["kedja"][0]["delegering"]["granted_by"] == "ks"
    assert delegated[0]["kedja"][0]["delegering"]["beslut"]["diarienummer"] == "KS 2026/200"
    assert revoked.status_code == 200, revoked.text
    assert str(world.delegering) not in [d["id"] for d in register_now["delegeringar"]]
    assert [d["i_kraft"] for d in everything["delegeringar"] if d["id"] == str(world.delegering)] == [False]
    assert after.status_code == 200
    assert not [
        a for a in after.json()["beslutanderatt"] if a["beslutsomrade"] == "upphandling" and not a["egen"]
    ]
    assert [a["beslutsomrade"] for a in then["beslutanderatt"] if not a["egen"]] == ["upphandling"]


def test_a_decision_without_a_diarienummer_is_refused_in_the_command_lines_words_and_records_nothing(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    before = event_count(world)

    refused = client.post(
        "/api/v1/beslut",
        headers=bearer(oidc, "ks"),
        json={"organ": "ks", "kind": "delegationsordning", "diarienummer": "", "title": "Utan nummer"},
    )

    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["falt"] == "diarienummer"
    assert event_count(world) == before


def test_an_unknown_position_has_no_authority_page_but_a_refusal_naming_it(
    client: TestClient, oidc: OidcSettings
) -> None:
    answer = client.get("/api/v1/beslutanderatt/okand", headers=bearer(oidc, "revisorer"))

    assert answer.status_code == 404
    assert "okand" in answer.json()["detail"]


def test_a_field_named_inside_a_refusal_is_named_by_its_body_key(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """'ange 'delegering'', the key the body takes and `falt` names, never a command-line option."""
    before = event_count(world)

    refused = client.post(
        "/api/v1/beslut",
        headers=bearer(oidc, "kommundirektor"),
        json={"organ": "kommundirektor", "kind": "ovrigt", "diarienummer": "KS 2026/9", "title": "Utan"},
    )

    assert refused.status_code == 403
    assert "beslutar bara på delegation (ange 'delegering')." in refused.json()["detail"]
    assert "--" not in refused.text
    assert event_count(world) == before
