"""Att göra with long lists: each list shows its first uppdrag and says how many there are, so the
lists below a long one (deviations to acknowledge, decisions to report) stay within reach."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web.web_world import CHEF, WebWorld, browser_login, issue_parts, person

from lerum_flow.web import pages


def test_a_long_list_shows_its_first_uppdrag_and_links_to_all_of_them(
    client: TestClient, world: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "INBOX_SHOWN", 2)
    issue_parts(world, world.uppdrag_to_larande, "larande", CHEF, ["Del A", "Del B", "Del C"])
    browser_login(client, person(CHEF))

    first = client.get("/att-gora").text
    every = client.get("/att-gora", params={"alla": "ja"}).text

    assert "Uppdrag att ta emot (4)" in first
    assert "De 2 första av 4 visas." in first
    assert "alla=ja" in first
    assert sum(title in first for title in ("Budget för chef-forskola", "Del A", "Del B", "Del C")) == 2
    assert all(title in every for title in ("Budget för chef-forskola", "Del A", "Del B", "Del C"))
    assert "första av" not in every
    assert "Avvikelser att kvittera" in first
