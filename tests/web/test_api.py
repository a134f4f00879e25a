"""The HTTP API: commands with idempotency keys, reads with ETag and the two time axes, and refusals
as problem details with the command line's own words."""

from __future__ import annotations

import json
from datetime import timedelta

from e2e.cli_world import Cli
from fastapi.testclient import TestClient
from web.web_world import CHEF, DAY, WebWorld, access_token, event_count, person

from lerum_flow.web.config import OidcSettings

PROBLEM = "application/problem+json"


def bearer(oidc: OidcSettings, position: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(oidc, person(position))}"}


def test_the_openapi_document_is_3_1_and_lists_the_commands_and_reads(client: TestClient) -> None:
    """/api/openapi.json is OpenAPI 3.1 with every route of the slice and the problem schema."""
    spec = client.get("/api/openapi.json").json()

    assert spec["openapi"].startswith("3.1")
    assert {
        "/api/v1/uppdrag",
        "/api/v1/uppdrag/{uppdrag_id}",
        "/api/v1/uppdrag/{uppdrag_id}/mottagande",
        "/api/v1/uppdrag/{uppdrag_id}/rapport",
        "/api/v1/avvikelser",
        "/api/v1/avvikelser/{avvikelse_id}/kvittens",
        "/api/v1/att-gora",
    } <= set(spec["paths"])
    assert "Problem" in spec["components"]["schemas"]


def test_a_chef_accepts_and_reports_and_the_giver_sees_the_report(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """The recipient accepts and reports with the scale's assessment; the giver's inbox has it to review."""
    chef = bearer(oidc, CHEF)
    uppdrag = world.uppdrag_to_chef

    accepted = client.post(f"/api/v1/uppdrag/{uppdrag}/mottagande", headers=chef)
    reported = client.post(
        f"/api/v1/uppdrag/{uppdrag}/rapport", headers=chef, json={"assessment": "delvis", "text": "Halvvägs."}
    )
    giver = client.get("/api/v1/att-gora", headers=bearer(oidc, "larande")).json()

    assert accepted.status_code == 200
    assert accepted.json()["registrerad"] is True
    assert reported.status_code == 200
    review = [u for u in giver["att_granska"] if u["id"] == str(uppdrag)]
    assert review
    assert review[0]["assessment"] == "delvis"
    assert review[0]["status_text"] == "rapporterat"


def test_a_refusal_is_a_problem_with_the_command_lines_own_message(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """An assessment off the scale is refused with the same title, message, rule and field as the CLI's."""
    chef = bearer(oidc, CHEF)
    uppdrag = str(world.uppdrag_to_chef)
    client.post(f"/api/v1/uppdrag/{uppdrag}/mottagande", headers=chef)
    before = event_count(world)

    answer = client.post(
        f"/api/v1/uppdrag/{uppdrag}/rapport", headers=chef, json={"assessment": "gron", "text": "Klart."}
    )
    cli = Cli(data_dir=world.settings.data_dir)(
        "--json", "uppdrag", "report", uppdrag, "--as", CHEF, "--person", person(CHEF),
        "--assessment", "gron", "--text", "Klart.",
    )  # fmt: skip

    problem = answer.json()
    said = json.loads(cli.stdout)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert (problem["detail"], problem["regel"], problem["falt"]) == (
        said["meddelande"],
        said["regel"],
        "assessment",
    )
    assert problem["title"] == "Ogiltig uppgift"
    assert event_count(world) == before


def test_an_idempotency_key_makes_a_retry_harmless_and_refuses_another_body(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """The same key and body again records nothing more; the same key with another body is refused."""
    chef = bearer(oidc, CHEF)
    uppdrag = world.uppdrag_to_chef
    client.post(f"/api/v1/uppdrag/{uppdrag}/mottagande", headers=chef)
    keyed = {**chef, "Idempotency-Key": "rapport-1"}
    body = {"assessment": "delvis", "text": "Halvvägs."}

    first = client.post(f"/api/v1/uppdrag/{uppdrag}/rapport", headers=keyed, json=body)
    after_first = event_count(world)
    again = client.post(f"/api/v1/uppdrag/{uppdrag}/rapport", headers=keyed, json=body)
    other = client.post(f"/api/v1/uppdrag/{uppdrag}/rapport", headers=keyed, json={**body, "text": "Annat."})

    assert first.json()["registrerad"] is True
    assert again.status_code == 200
    assert again.json()["registrerad"] is False
    assert other.status_code == 409
    assert other.json()["regel"] == "nyckel_ateranvand"
    assert event_count(world) == after_first


def test_a_read_carries_the_log_position_as_etag_and_answers_304_until_it_moves(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """If-None-Match with the current position gives 304; after a write the position and answer change."""
    chef = bearer(oidc, CHEF)
    first = client.get("/api/v1/att-gora", headers=chef)
    etag = first.headers["etag"]
    position = event_count(world)

    unchanged = client.get("/api/v1/att-gora", headers={**chef, "If-None-Match": etag})
    written = client.post(f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande", headers=chef).json()
    moved = client.get("/api/v1/att-gora", headers={**chef, "If-None-Match": etag})

    assert etag == f'"{position}"'
    assert unchanged.status_code == 304
    assert moved.status_code == 200
    assert moved.headers["etag"] == f'"{written["position"]}"'
    assert [u["id"] for u in moved.json()["att_aterrapportera"]] == [str(world.uppdrag_to_chef)]


def test_an_uppdrag_read_as_of_a_day_shows_it_as_it_then_was(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """Accepted today, the uppdrag is 'utfärdat' as of its first day and 'mottaget' now; before it, it did
    not exist."""
    chef = bearer(oidc, CHEF)
    uppdrag = world.uppdrag_to_chef
    client.post(f"/api/v1/uppdrag/{uppdrag}/mottagande", headers=chef)

    then = client.get(f"/api/v1/uppdrag/{uppdrag}", headers=chef, params={"as_of": DAY.isoformat()}).json()
    now = client.get(f"/api/v1/uppdrag/{uppdrag}", headers=chef).json()
    before = client.get(
        f"/api/v1/uppdrag/{uppdrag}", headers=chef, params={"as_of": (DAY - timedelta(days=1)).isoformat()}
    )

    assert then["uppdrag"]["status"] == "utfardat"
    assert len(then["historik"]) == 1
    assert now["uppdrag"]["status"] == "mottaget"
    assert len(now["historik"]) == 2
    assert before.status_code == 422
    assert before.json()["regel"] == "fanns_inte_da"


def test_the_board_is_paged(client: TestClient, oidc: OidcSettings) -> None:
    """Two open deviations, one a page: the first page points to the next, the last to none."""
    reader = bearer(oidc, "kommundirektor")

    first = client.get("/api/v1/avvikelser", headers=reader, params={"limit": 1}).json()
    second = client.get("/api/v1/avvikelser", headers=reader, params={"limit": 1, "offset": 1}).json()

    assert first["sida"] == {"antal": 2, "offset": 0, "limit": 1, "nasta": 1}
    assert second["sida"]["nasta"] is None
    assert first["avvikelser"][0]["id"] != second["avvikelser"][0]["id"]


def test_a_malformed_request_is_refused_in_swedish(client: TestClient, oidc: OidcSettings) -> None:
    """A body missing a required field and a limit out of range are problems naming the field."""
    chef = bearer(oidc, CHEF)

    missing = client.post("/api/v1/uppdrag", headers=chef, json={"title": "Utan mottagare"})
    limit = client.get("/api/v1/avvikelser", headers=chef, params={"limit": 0})

    assert missing.status_code == 422
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["falt"] == "to"
    assert limit.status_code == 422
    assert limit.json()["falt"] == "limit"
    assert "limit" in limit.json()["detail"]


def test_a_token_the_provider_does_not_vouch_for_is_refused(client: TestClient) -> None:
    """A made-up bearer token is 401 with a problem, never a read."""
    answer = client.get("/api/v1/att-gora", headers={"Authorization": "Bearer pahittad-token"})

    assert answer.status_code == 401
    assert answer.json()["regel"] == "ogiltig_token"


def test_the_giver_accepts_the_report_or_returns_it_with_a_reason(
    client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """A return without a reason is refused naming `reason`; with one, the chef has it to report again;
    the next report the giver accepts."""
    chef, giver = bearer(oidc, CHEF), bearer(oidc, "larande")
    uppdrag = world.uppdrag_to_chef
    report = {"assessment": "delvis", "text": "Halvvägs."}
    client.post(f"/api/v1/uppdrag/{uppdrag}/mottagande", headers=chef)
    client.post(f"/api/v1/uppdrag/{uppdrag}/rapport", headers=chef, json=report)

    no_reason = client.post(
        f"/api/v1/uppdrag/{uppdrag}/rapport/aterforvisning", headers=giver, json={"reason": ""}
    )
    returned = client.post(
        f"/api/v1/uppdrag/{uppdrag}/rapport/aterforvisning", headers=giver, json={"reason": "Siffror saknas."}
    )
    again = client.get("/api/v1/att-gora", headers=chef).json()
    client.post(f"/api/v1/uppdrag/{uppdrag}/rapport", headers=chef, json={**report, "text": "Med siffror."})
    accepted = client.post(f"/api/v1/uppdrag/{uppdrag}/rapport/godkannande", headers=giver, json={})
    now = client.get(f"/api/v1/uppdrag/{uppdrag}", headers=giver).json()

    assert no_reason.status_code == 422
    assert no_reason.json()["falt"] == "reason"
    assert returned.status_code == 200
    assert [u["status"] for u in again["att_aterrapportera"]] == ["rapport_aterforvisad"]
    assert accepted.status_code == 200
    assert now["uppdrag"]["status"] == "rapport_godkand"


def test_the_inbox_lists_delegated_decisions_not_yet_reported_and_deviations_to_acknowledge(
    client: TestClient, oidc: OidcSettings
) -> None:
    """The kommundirektör's Att göra has its delegated decision to report to KS and both deviations."""
    inbox = client.get("/api/v1/att-gora", headers=bearer(oidc, "kommundirektor")).json()

    assert [(b["diarienummer"], b["report_to"]) for b in inbox["att_anmala"]] == [("KS 2026/3", "ks")]
    assert len(inbox["att_kvittera"]) == 2
