"""What every page carries from the base template."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_page_names_an_empty_icon_so_the_browser_does_not_ask_for_a_missing_one(client: TestClient) -> None:
    """Without it every first page view logs a 404 for /favicon.ico in the browser and the server."""
    page = client.get("/").text

    assert '<link rel="icon" href="data:,">' in page
