"""Fixtures of the web tests: one local identity provider per session, a fresh copy of one world and a
fresh app per test."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web.web_world import SYSTEM_CLIENT, WebWorld, build_world

from lerum_flow.settings import Settings
from lerum_flow.web.app import create_app
from lerum_flow.web.config import READ_SCOPE, OidcSettings, WebConfig
from lerum_flow.web.server import local_provider


@pytest.fixture(scope="session")
def oidc() -> Iterator[OidcSettings]:
    with local_provider() as settings:
        yield settings


@pytest.fixture(scope="session")
def world_as_built(tmp_path_factory: pytest.TempPathFactory) -> WebWorld:
    """The world recorded once, through the application; each test gets a copy of its files."""
    return build_world(tmp_path_factory.mktemp("web-world") / "data")


@pytest.fixture
def world(world_as_built: WebWorld, tmp_path: Path) -> WebWorld:
    # A copy, not a rebuild: a test's commands change only its own store, and recording the same
    # world command by command for each of the matrix's cases would cost most of the web tests' time.
    data_dir = tmp_path / "data"
    shutil.copytree(world_as_built.settings.data_dir, data_dir)
    return dataclasses.replace(world_as_built, settings=Settings(data_dir=data_dir))


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
