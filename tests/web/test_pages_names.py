"""The pages name kinds of decision and positions in Swedish, the code kept as the title a command
is typed with; the JSON API keeps the codes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web.web_world import CHEF, WebWorld, browser_login, issue_parts, person


def test_the_beslut_register_shows_the_swedish_kind_name_with_its_code_as_title(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("ks"))

    page = client.get("/beslut").text

    assert 'Slag: <span title="delegationsordning">Delegationsordning</span>' in page
    assert "Slag: delegationsordning" not in page
    assert '<span title="ks">Kommunstyrelsen</span>' in page


def test_an_uppdrag_page_names_its_giver_and_recipient(client: TestClient, world: WebWorld) -> None:
    browser_login(client, person("larande"))

    page = client.get(f"/uppdrag/{world.uppdrag_to_larande}").text

    assert 'till <span title="larande">Sektorschef, sektor lärande</span>' in page
    assert "till larande" not in page


def test_att_gora_names_an_established_position_by_its_name(client: TestClient, world: WebWorld) -> None:
    issue_parts(world, world.uppdrag_to_larande, "larande", CHEF, ["Del A"])
    browser_login(client, person(CHEF))

    page = client.get("/att-gora").text

    assert f'som <span title="{CHEF}">Förskolechef</span>' in page
    assert (
        f'<span title="larande">Sektorschef, sektor lärande</span> → <span title="{CHEF}">Förskolechef</span>'
        in page
    )
