"""What a client that sends the wrong thing is told: in Swedish, naming what was expected, with the
HTTP status the problem says, and nothing recorded."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web.web_world import CHEF, WebWorld, access_token, browser_login, event_count, person

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


def test_an_unknown_or_wrong_kind_of_id_is_refused_in_grammatical_swedish(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """'inget uppdrag', 'ett uppdrag': the article follows the noun's gender (it said 'ingen uppdrag')."""
    chef = bearer(oidc, CHEF)
    before = event_count(world)

    unknown = client.get("/api/v1/uppdrag/00000000-0000-0000-0000-000000000000", headers=chef)
    read_wrong = client.get(f"/api/v1/uppdrag/{world.avvikelse}", headers=chef)
    act_wrong = client.post(f"/api/v1/uppdrag/{world.avvikelse}/mottagande", headers=chef, json={})

    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("Det finns inget uppdrag med id")
    assert read_wrong.status_code == 404
    assert read_wrong.json()["detail"] == f"Id {world.avvikelse} är inte ett uppdrag."
    assert act_wrong.status_code == 404
    assert act_wrong.json()["detail"].startswith(f"Id {world.avvikelse} är inte ett uppdrag")
    assert event_count(world) == before


def test_an_unknown_key_in_a_body_is_told_the_keys_the_body_takes(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """The keys as a client writes them ('part-of'), not an empty list; a missing key says what it takes."""
    chef = bearer(oidc, CHEF)
    before = event_count(world)

    unknown = client.post(
        "/api/v1/uppdrag", headers=chef, json={"to": "m-anna", "title": "x", "deadlin": "2027"}
    )
    missing = client.post("/api/v1/uppdrag", headers=chef, json={"title": "x"})

    assert unknown.status_code == 422
    assert unknown.json()["falt"] == "deadlin"
    assert "tillåtna nycklar här: " in unknown.json()["detail"]
    assert "part-of" in unknown.json()["detail"]
    assert "här: ." not in unknown.json()["detail"]
    assert "'to' saknas; ange en text" in missing.json()["detail"]
    assert event_count(world) == before


def test_a_period_that_ends_before_it_starts_is_refused_not_answered_empty(
    client: TestClient, oidc: OidcSettings
) -> None:
    """As `beslut register --from --to` refuses it, the API and the page do: an empty register would
    look like a period without decisions."""
    chef = bearer(oidc, CHEF)
    backwards = {"from": "2027-01-01", "to": "2026-01-01"}

    answer = client.get("/api/v1/beslut", headers=chef, params=backwards)
    browser_login(client, person(CHEF))
    page = client.get("/beslut", params=backwards)

    assert answer.status_code == 422
    assert answer.json()["regel"] == "period"
    assert "slutar (to 2026-01-01) före den börjar (from 2027-01-01)" in answer.json()["detail"]
    assert page.status_code == 422
    assert "före den börjar" in page.text
