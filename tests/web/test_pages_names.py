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


def test_a_bad_day_in_the_query_is_refused_in_swedish_with_a_link_back_and_no_word_of_recording(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("larande"))

    answer = client.get("/att-gora", params={"as_of": "2026-02-30", "alla": "ja"})

    assert answer.status_code == 422
    assert "gäller Dagen." in answer.text
    assert "gäller as_of" not in answer.text
    assert '<a href="/att-gora?alla=ja">Tillbaka till sidan utan dagen</a>' in answer.text
    # A page asked for records nothing in any case: saying so would suggest it might have.
    assert "Inget registrerades" not in answer.text


def test_a_budget_year_out_of_range_is_refused_naming_the_page_field_not_the_command_argument(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("larande"))

    not_a_year = client.get("/arshjul", params={"ar": "abc"}).text
    out_of_range = client.get("/arshjul", params={"ar": "1200"}).text

    for page in (not_a_year, out_of_range):
        assert "gäller Budgetår." in page
        assert '<a href="/arshjul">Tillbaka till sidan utan budgetår</a>' in page
    assert "BUDGETÅR" not in out_of_range


def test_the_beslut_register_finds_a_decision_by_the_swedish_name_of_its_kind(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("ks"))

    by_name = client.get("/beslut", params={"q": "övrigt"}).text
    by_code = client.get("/beslut", params={"q": "ovrigt"}).text

    shown = '<span title="ovrigt">Övrigt</span>'
    assert shown in by_name
    assert by_name.count(shown) == by_code.count(shown)


def test_an_arshjul_step_owed_by_a_level_names_the_level_in_the_plural_where_several_stand_at_it(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("kommundirektor"))

    page = client.get("/arshjul").text

    assert '<span title="sektorschef">Sektorschefer</span> till <span title="kommundirektor">' in page
    assert '<span title="forvaltningschef">Förvaltningschef</span> till <span title="ks">' in page
    assert ">sektorschef till" not in page
    assert ">forvaltningschef till" not in page


def test_the_break_down_hint_names_the_recipient_position_not_its_code(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("larande"))

    page = client.get(f"/uppdrag/{world.uppdrag_to_larande}").text

    assert "Befattningarna under Sektorschef, sektor lärande i dag." in page
    assert "Befattningarna under larande" not in page
