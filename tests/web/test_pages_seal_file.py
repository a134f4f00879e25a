"""The seal checked against the auditors' own checkpoint file and key, sent through the page and the
API: a verdict on each checkpoint and on the key, a clear Swedish refusal of a file that is no such
file, and nothing recorded either way."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from web.web_world import (
    WebWorld,
    access_token,
    browser_login,
    event_count,
    page_csrf,
    person,
    report_as,
    sealed_with_auditors_files,
)

from lerum_flow.integrity import checkpoint_file, signing
from lerum_flow.web.config import OidcSettings


def _upload(path: Path) -> tuple[str, bytes, str]:
    return (path.name, path.read_bytes(), "application/json")


def test_the_revisor_finds_the_record_matching_every_checkpoint_of_their_file_and_their_key(
    client: TestClient, world: WebWorld, tmp_path: Path
) -> None:
    files = sealed_with_auditors_files(world, tmp_path)
    report_as(world, "larande", world.uppdrag_to_larande)  # after the seal: unsealed, no fault
    browser_login(client, person("revisorer"))
    before = event_count(world)

    answer = client.post(
        "/revision/forsegling",
        data={"csrf": page_csrf(client, "/revision/forsegling")},
        files={"kontrollpunkter": _upload(files.checkpoints), "publik_nyckel": _upload(files.public_key)},
    )

    assert answer.status_code == 200
    assert "Stämmer:</strong> registret stämmer med varje kontrollpunkt i filen" in answer.text
    assert "Nyckeln stämmer" in answer.text
    assert "Filens kontrollpunkter</h3>" in answer.text
    assert 'Kontrollpunkt 1: <strong class="tag tag-mottaget">Stämmer</strong>' in answer.text
    assert event_count(world) == before


def test_a_checkpoint_the_database_no_longer_holds_as_the_file_does_is_named_and_another_key_refused(
    client: TestClient, world: WebWorld, tmp_path: Path, oidc: OidcSettings
) -> None:
    """The file's checkpoint says another link than the database's (re-hashed, so the file itself is
    whole): that checkpoint no longer matches; a key the auditors never signed with does not either."""
    files = sealed_with_auditors_files(world, tmp_path)
    document = json.loads(files.checkpoints.read_text(encoding="utf-8"))
    document["kontrollpunkter"][0]["lank"] = "0" * 64
    body = {k: v for k, v in document.items() if k != checkpoint_file.HASH_FIELD}
    document[checkpoint_file.HASH_FIELD] = checkpoint_file.content_hash(body)
    altered = tmp_path / "andrad.json"
    altered.write_text(json.dumps(document), encoding="utf-8")
    other = signing.generate(tmp_path / "annan.key", tmp_path / "annan.pub")
    assert other is not None
    revisor = {"Authorization": f"Bearer {access_token(oidc, person('revisorer'))}"}
    before = event_count(world)

    changed = client.post(
        "/api/v1/revision/forsegling/kontrollpunkter",
        headers=revisor,
        files={"kontrollpunkter": _upload(altered)},
    ).json()
    other_key = client.post(
        "/api/v1/revision/forsegling/kontrollpunkter",
        headers=revisor,
        files={
            "kontrollpunkter": _upload(files.checkpoints),
            "publik_nyckel": _upload(tmp_path / "annan.pub"),
        },
    ).json()

    assert changed["intakt"] is False
    assert changed["kontrollpunkter"][0]["stammer"] is False
    assert any("kontrollpunkt 1" in a for a in changed["kontrollpunkter"][0]["avvikelser"])
    assert changed["nyckel"] == "kontrollpunktsfilen"
    assert other_key["intakt"] is False
    assert other_key["nyckel"] == "nyckelfilen"
    assert other_key["nyckeln_stammer"] is False
    assert event_count(world) == before


def test_a_file_that_is_no_checkpoint_file_is_refused_in_swedish_on_the_page_and_in_the_api(
    client: TestClient, world: WebWorld, tmp_path: Path, oidc: OidcSettings
) -> None:
    sealed_with_auditors_files(world, tmp_path)
    revisor = {"Authorization": f"Bearer {access_token(oidc, person('revisorer'))}"}
    browser_login(client, person("revisorer"))
    before = event_count(world)

    api = client.post(
        "/api/v1/revision/forsegling/kontrollpunkter",
        headers=revisor,
        files={"kontrollpunkter": ("rapport.pdf", b"%PDF-1.7 inte json", "application/pdf")},
    )
    missing = client.post("/api/v1/revision/forsegling/kontrollpunkter", headers=revisor)
    page = client.post(
        "/revision/forsegling",
        data={"csrf": page_csrf(client, "/revision/forsegling")},
        files={"kontrollpunkter": ("lista.json", b'{"format": "annat/v1"}', "application/json")},
    )
    nothing = client.post("/revision/forsegling", data={"csrf": page_csrf(client, "/revision/forsegling")})
    forged = client.post(
        "/revision/forsegling",
        data={"csrf": "fel"},
        files={"kontrollpunkter": ("lista.json", b"{}", "application/json")},
    )

    assert api.status_code == 422
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["detail"].startswith(
        "Filen 'rapport.pdf' är ingen kontrollpunktsfil: den är inte JSON."
    )
    assert missing.status_code == 422
    assert missing.headers["content-type"] == "application/problem+json"
    assert page.status_code == 422
    assert 'href="#kontrollpunkter"' in page.text
    assert (
        "Filen &#39;lista.json&#39; är ingen kontrollpunktsfil: den har formatet &#39;annat/v1&#39;"
        in page.text
    )
    assert nothing.status_code == 422
    assert "Välj revisorernas kontrollpunktsfil" in nothing.text
    assert forged.status_code in (401, 403)
    assert "Stämmer" not in forged.text
    assert event_count(world) == before
