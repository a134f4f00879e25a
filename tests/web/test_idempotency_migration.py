"""The idempotency keys' table is migration 5's: `db migrate` makes it, a store whose web door made it
before keeps its keys, and the web application itself creates no table."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fastapi.testclient import TestClient
from web.conftest import web_config
from web.web_world import CHEF, WebWorld, access_token, build_world, event_count, person

from lerum_flow.idempotency_table import TABLE
from lerum_flow.schema import MIGRATIONS, migrate, status
from lerum_flow.schema.connection import store_connection, table_exists
from lerum_flow.schema.versions import VERSION_TABLE
from lerum_flow.settings import Settings
from lerum_flow.web.app import create_app
from lerum_flow.web.config import OidcSettings


def _back_to_version_4(settings: Settings, *, keep_table: bool) -> None:
    """The store as the program before migration 5 left it: version 4, the keys' table made by the web
    door as it started (`keep_table`) or not at all."""
    with store_connection(dataclasses.replace(settings, create_tables=True)) as connection:
        connection.execute(f"DELETE FROM {VERSION_TABLE} WHERE number > 4")
        if not keep_table:
            connection.execute(f"DROP TABLE {TABLE}")


def _has_table(settings: Settings) -> bool:
    with store_connection(settings) as connection:
        return table_exists(connection, settings, TABLE)


def test_db_migrate_makes_the_keys_table_as_version_5(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    migrate(settings)

    assert MIGRATIONS[4].number == 5
    assert 5 in [a.number for a in status(settings).applied]
    assert _has_table(settings)


def test_a_store_whose_web_door_made_the_table_keeps_its_keys_through_migration_5(
    tmp_path: Path, oidc: OidcSettings
) -> None:
    """A key sent before the migration still refuses another body after it."""
    world = build_world(tmp_path / "data")
    _back_to_version_4(world.settings, keep_table=True)
    chef = {"Authorization": f"Bearer {access_token(oidc, person(CHEF))}", "Idempotency-Key": "k-1"}
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        client.post(f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande", headers=chef)

    applied = migrate(world.settings)
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        other = client.post(
            f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande", headers=chef, json={"date": "2026-01-01"}
        )

    assert [m.number for m in applied] == [m.number for m in MIGRATIONS[4:]]  # 5 and any later
    assert other.status_code == 409
    assert other.json()["regel"] == "nyckel_ateranvand"


def test_the_web_door_creates_no_table_and_a_keyed_command_on_an_unmigrated_store_records_nothing(
    tmp_path: Path, oidc: OidcSettings
) -> None:
    """Without migration 5 a command with a key is refused in words naming `db migrate`; one without a
    key is recorded as before."""
    world: WebWorld = build_world(tmp_path / "data")
    _back_to_version_4(world.settings, keep_table=False)
    chef = {"Authorization": f"Bearer {access_token(oidc, person(CHEF))}"}
    before = event_count(world)
    with TestClient(create_app(web_config(world, oidc)), base_url="https://testserver") as client:
        keyed = client.post(
            f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande", headers={**chef, "Idempotency-Key": "k"}
        )
        after_keyed = event_count(world)
        plain = client.post(f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande", headers=chef)

    assert keyed.status_code == 409, keyed.text
    assert keyed.json()["regel"] == "schemaversion"
    assert "db migrate" in keyed.json()["detail"]
    assert after_keyed == before
    assert plain.status_code == 200
    assert not _has_table(world.settings)
