"""The uppdrag pages beyond accepting and reporting: the giver revises, completes and withdraws, the
recipient breaks an uppdrag down; the tree from the political decision down, filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from web.web_world import (
    CHEF,
    DAY,
    MEDARBETARE,
    WebWorld,
    browser_login,
    event_count,
    issue_parts,
    page_csrf,
    person,
    report_accepted,
)

from lerum_flow.projections import uppdrag_tree_pages


def test_the_recipient_breaks_an_uppdrag_down_and_the_part_is_in_the_tree_under_it(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("larande"))
    page = client.get(f"/uppdrag/{world.uppdrag_to_larande}").text
    assert "Bryt ned uppdraget" in page

    answer = client.post(
        f"/uppdrag/{world.uppdrag_to_larande}/bryt-ned",
        data={"csrf": page_csrf(client), "to": CHEF, "title": "Fler platser i förskolan"},
    )
    tree = client.get("/uppdragstrad", params={"level": "larande"}).text
    parts = client.get("/uppdragstrad", params={"under": str(world.uppdrag_to_larande)}).text

    assert "Deluppdraget gavs." in answer.text
    assert "Budget för larande" in tree
    assert "(2 deluppdrag)" in tree
    assert f"under={world.uppdrag_to_larande}" in tree
    assert "Fler platser i förskolan" in parts
    assert parts.index("Budget för larande") < parts.index("Fler platser i förskolan")


def test_the_break_down_form_offers_a_choice_of_the_positions_below_the_recipient(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("larande"))

    page = client.get(f"/uppdrag/{world.uppdrag_to_larande}").text

    form = page.split('id="deluppdrag-to"')[1].split("</select>")[0]
    offered = [part.split('"')[0] for part in form.split('<option value="')[1:]]
    assert offered == ["", CHEF, MEDARBETARE]


def test_a_recipient_not_below_is_refused_at_the_choice_in_swedish_and_nothing_is_recorded(
    client: TestClient, world: WebWorld
) -> None:
    """A form sent with a code the select never offered (above the recipient) is checked on the server."""
    browser_login(client, person("larande"))
    before = event_count(world)

    answer = client.post(
        f"/uppdrag/{world.uppdrag_to_larande}/bryt-ned",
        data={"csrf": page_csrf(client), "to": "kommundirektor", "title": "Uppåt"},
    )

    assert answer.status_code == 403
    assert 'href="#deluppdrag-to"' in answer.text
    assert 'id="deluppdrag-to-error"' in answer.text
    assert "står inte över" in answer.text
    assert event_count(world) == before


def test_a_refused_form_shows_the_message_at_its_field_and_records_nothing(
    client: TestClient, world: WebWorld
) -> None:
    """Withdrawing without a reason: the summary links to the withdrawal's own reason field."""
    browser_login(client, person("kommundirektor"))
    before = event_count(world)

    answer = client.post(f"/uppdrag/{world.uppdrag_to_larande}/aterkalla", data={"csrf": page_csrf(client)})

    assert answer.status_code == 422
    assert 'href="#aterkalla-reason"' in answer.text
    assert 'id="aterkalla-reason-error"' in answer.text
    assert "Ska vara en text, inte ett tomt värde." in answer.text
    assert event_count(world) == before


def test_the_giver_revises_then_completes_once_the_report_is_accepted(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("kommundirektor"))
    token = page_csrf(client)
    revised = client.post(
        f"/uppdrag/{world.uppdrag_to_larande}/andra",
        data={"csrf": token, "title": "Budget för lärande 2027", "reason": "Nytt år."},
    )
    assert "Uppdraget ändrades." in revised.text
    assert "Budget för lärande 2027" in revised.text
    assert "Slutför uppdraget" not in revised.text

    report_accepted(world, world.uppdrag_to_larande, "kommundirektor", "larande")
    completed = client.post(f"/uppdrag/{world.uppdrag_to_larande}/slutfor", data={"csrf": token})

    assert "Uppdraget slutfördes." in completed.text
    assert "slutfört" in completed.text


def test_the_tree_starts_at_the_decision_and_filters_by_status(client: TestClient, world: WebWorld) -> None:
    """The first page holds the top of the tree only (KF→KS); each branch opens on a page of its own."""
    browser_login(client, person("revisorer"))
    everything = client.get("/uppdragstrad").text
    issued = client.get("/uppdragstrad", params={"status": "utfärdat"}).text
    before = client.get("/uppdragstrad", params={"as_of": (DAY - timedelta(days=1)).isoformat()}).text

    assert "KF 2026/10" in everything
    assert "Budget för ks" in everything
    assert "Budget för kommundirektor" not in everything
    assert everything.count('<details class="tree-branch" open>') == 1
    assert "1–1 av 1 uppdrag överst i trädet." in everything
    assert "Budget för chef-forskola" in issued
    assert "Budget för ks" not in issued
    assert "Inga uppdrag." in before


def test_a_branch_opens_on_its_own_page_with_the_uppdrag_above_it(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("revisorer"))

    branch = client.get("/uppdragstrad", params={"under": str(world.uppdrag_to_larande)}).text
    as_it_was = client.get(
        "/uppdragstrad",
        params={"under": str(world.uppdrag_to_larande), "as_of": DAY.isoformat()},
    ).text
    unknown = client.get("/uppdragstrad", params={"under": "00000000-0000-0000-0000-000000000000"})

    crumbs = branch.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert (
        crumbs.index("Budget för ks")
        < crumbs.index("Budget för kommundirektor")
        < crumbs.index("Budget för larande")
    )
    assert "Deluppdragen till Budget för larande" in branch
    assert "Budget för chef-forskola" in branch
    assert "Budget för chef-forskola" in as_it_was
    assert f"as_of={DAY.isoformat()}" in as_it_was
    assert unknown.status_code == 404


def test_a_branch_with_more_parts_than_a_page_goes_on_page_by_page(
    client: TestClient, world: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uppdrag_tree_pages, "CHILDREN_PAGE", 2)
    issue_parts(world, world.uppdrag_to_larande, "larande", CHEF, ["Del A", "Del B", "Del C"])
    browser_login(client, person("revisorer"))
    under = str(world.uppdrag_to_larande)

    first = client.get("/uppdragstrad", params={"under": under}).text
    second = client.get("/uppdragstrad", params={"under": under, "fran": "2"}).text
    wrong = client.get("/uppdragstrad", params={"under": under, "fran": "två"})

    assert "1–2 av 4 deluppdrag." in first
    assert f"under={under}&amp;fran=2" in first
    assert "3–4 av 4 deluppdrag." in second
    assert "Nästa sida" not in second
    assert "Föregående sida" in second
    shown = [t for t in ("Budget för chef-forskola", "Del A", "Del B", "Del C") if t in first + second]
    assert len(shown) == 4
    assert wrong.status_code == 422
    assert "inget radnummer" in wrong.text


def test_an_unknown_status_or_level_in_the_tree_is_refused_in_words(
    client: TestClient, world: WebWorld
) -> None:
    browser_login(client, person("revisorer"))

    status = client.get("/uppdragstrad", params={"status": "klar"})
    level = client.get("/uppdragstrad", params={"level": "okand"})

    assert status.status_code == 422
    assert "Statusen &#39;klar&#39; finns inte" in status.text
    assert level.status_code == 422
    assert "har inga uppdrag" in level.text
