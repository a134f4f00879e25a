"""Fixtures of the web tests: one world and one local identity provider per module, a fresh app per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web.web_world import SYSTEM_CLIENT, WebWorld, build_world

from lerum_flow.web.app import create_app
from lerum_flow.web.config import READ_SCOPE, OidcSettings, WebConfig
from lerum_flow.web.server import local_provider


@pytest.fixture(scope="session")
def oidc() -> Iterator[OidcSettings]:
    with local_provider() as settings:
        yield settings


@pytest.fixture
def world(tmp_path: Path) -> WebWorld:
    return build_world(tmp_path / "data")


def web_config(world: WebWorld, oidc: OidcSettings) -> WebConfig:
    return WebConfig(
        settings=world.settings,
        oidc=oidc,
        session_secret="testhemlighet",
        system_clients={SYSTEM_CLIENT: frozenset({READ_SCOPE})},
    )


@pytest.fixture
def client(world: WebWorld, oidc: OidcSettings) -> Iterator[TestClient]:
    # https: the session cookie is Secure, and httpx keeps it only for a secure origin.
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as test_client:
        yield test_client
