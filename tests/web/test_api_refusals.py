"""What a client that sends the wrong thing is told: in Swedish, naming what was expected, with the
HTTP status the problem says, and nothing recorded."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web.web_world import CHEF, WebWorld, access_token, event_count, person

from lerum_flow.web.config import OidcSettings

PROBLEM = "application/problem+json"


def bearer(oidc: OidcSettings, position: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(oidc, person(position))}"}


def test_a_malformed_day_or_number_in_the_query_is_refused_naming_what_was_expected(
    client: TestClient, oidc: OidcSettings
) -> None:
    """A date that is no date is told the form of one, a limit that is no number that it is a whole number."""
    chef = bearer(oidc, CHEF)

    day = client.get("/api/v1/avvikelser", headers=chef, params={"as_of": "2026-13-40"})
    limit = client.get("/api/v1/avvikelser", headers=chef, params={"limit": "tio"})

    assert day.status_code == 422
    assert day.json()["falt"] == "as_of"
    assert "ett datum på formen ÅÅÅÅ-MM-DD" in day.json()["detail"]
    assert limit.status_code == 422
    assert "ett heltal" in limit.json()["detail"]
    assert "giltigt värde" not in day.json()["detail"] + limit.json()["detail"]


def test_a_body_that_is_not_json_is_refused_as_such_and_nothing_is_recorded(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """Broken JSON is named as broken JSON, not as a field called '1'."""
    before = event_count(world)

    answer = client.post(
        "/api/v1/uppdrag",
        headers={**bearer(oidc, CHEF), "Content-Type": "application/json"},
        content=b'{"to": "m-anna", "title": ',
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["regel"] == "ogiltig_json"
    assert "inte giltig JSON" in answer.json()["detail"]
    assert event_count(world) == before


def test_a_method_an_address_does_not_take_is_a_405_problem_saying_so(
    client: TestClient, oidc: OidcSettings
) -> None:
    """The problem's own status and title agree with the response's, and Allow names the method to use."""
    answer = client.delete("/api/v1/uppdrag", headers=bearer(oidc, CHEF))

    assert answer.status_code == 405
    assert answer.json()["status"] == 405
    assert answer.json()["title"] == "Fel metod"
    assert "DELETE" in answer.json()["detail"]
    assert "POST" in answer.headers["allow"]
