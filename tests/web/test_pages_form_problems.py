"""A form refused for several fields at once: each message at its own field, and the summary naming
each field by the label the form gives it, never by the key the command knows it by."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from web.web_world import WebWorld, browser_login, event_count, page_csrf, person


def _error_at(page: str, field_id: str) -> str:
    return page.split(f'id="{field_id}-error">')[1].split("</p>")[0]


def _summary(page: str) -> str:
    return page.split('class="error-summary"')[1].split("</div>")[0]


def test_a_report_sent_empty_shows_each_problem_at_its_own_field_under_its_swedish_label(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("larande"))
    before = event_count(world)

    answer = client.post(f"/uppdrag/{world.uppdrag_to_larande}/rapportera", data={"csrf": page_csrf(client)})

    assert answer.status_code == 422
    page = answer.text
    assert _error_at(page, "assessment") == "Får inte vara tomt."
    assert _error_at(page, "text") == "Ska vara en text, inte ett tomt värde."
    summary = _summary(page)
    assert "Det finns 2 problem" in summary
    # The summary links to the first choice of the assessment's radio buttons.
    assert '<a href="#assessment-uppfyllt">Bedömning: Får inte vara tomt.</a>' in summary
    assert '<a href="#text">Återrapport: Ska vara en text, inte ett tomt värde.</a>' in summary
    assert "assessment:" not in page
    assert "text:" not in page
    assert event_count(world) == before


def test_a_register_form_refused_for_two_fields_shows_each_at_its_field(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("ks"))
    before = event_count(world)

    answer = client.post(
        "/beslut", data={"csrf": page_csrf(client), "organ": "ks", "kind": "", "diarienummer": "KS 2026/9"}
    )

    page = answer.text
    assert answer.status_code == 422
    summary = _summary(page)
    assert 'href="#beslut-kind">Slag av beslut: ' in summary
    assert 'href="#beslut-title">Rubrik: ' in summary
    assert _error_at(page, "beslut-kind") == "Får inte vara tomt."
    assert _error_at(page, "beslut-title") == "Ska vara en text, inte ett tomt värde."
    assert "kind:" not in page
    assert "title:" not in page
    assert event_count(world) == before


def test_a_field_named_inside_a_message_is_named_by_its_label_on_the_page(
    client: TestClient, world: WebWorld
) -> None:
    """'ange Delegering' by the form's label, at the field and in the summary, never '--delegering'."""
    browser_login(client, person("kommundirektor"))
    before = event_count(world)

    answer = client.post(
        "/beslut",
        data={
            "csrf": page_csrf(client),
            "organ": "kommundirektor",
            "kind": "ovrigt",
            "diarienummer": "KS 2026/9",
            "title": "Utan delegering",
        },
    )

    page = html.unescape(answer.text)
    assert answer.status_code == 403
    # The field at fault comes before the one its message names: the label is known all the same.
    assert _error_at(page, "beslut-organ").endswith("beslutar bara på delegation (ange 'Delegering').")
    assert "Organ som beslutar: 'kommundirektor' är inte ett organ" in _summary(page)
    assert "(ange 'Delegering')." in _summary(page)
    assert "--delegering" not in page
    assert event_count(world) == before
