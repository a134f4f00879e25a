"""Settings: read from the environment, carried to a process of their own as JSON, paths as paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.settings import Settings
from lerum_flow.temporal_settings import TemporalSettings


def test_settings_read_back_from_json_are_the_same_settings() -> None:
    """A view's rebuild process gets the settings its parent had, every field of them."""
    settings = Settings.from_environ(
        {
            "LERUM_FLOW_DATA_DIR": "/data/lerum",
            "LERUM_FLOW_DATABASE_URL": "postgresql://revisor@db:5432/lerum",
            "LERUM_FLOW_STYRMODELL": "norrvik.toml",
            "LERUM_FLOW_POSTGRES_SCHEMA": "lerum",
            "POSTGRES_POOL_SIZE": "3",
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
        }
    )

    assert Settings.from_json(settings.to_json()) == settings
    assert settings.passthrough == {"POSTGRES_POOL_SIZE": "3", "PERSISTENCE_MODULE": "eventsourcing.postgres"}


def test_paths_given_as_text_are_paths() -> None:
    """As the store and the styrmodell are found through them, text is taken as the path it names."""
    settings = Settings(data_dir="var/lerum", styrmodell_path="norrvik.toml")  # type: ignore[arg-type]

    assert settings.data_dir == Path("var/lerum")
    assert settings.styrmodell_path == Path("norrvik.toml")
    assert settings.sqlite_path("governance") == Path("var/lerum/governance.db")


def test_a_lock_timeout_below_one_second_is_refused() -> None:
    """A store would then wait no time at all for a lock: a mistake, said at once."""
    with pytest.raises(ValueError, match="lock_timeout_seconds"):
        Settings(lock_timeout_seconds=0)


def test_a_named_municipality_chooses_its_schema_and_namespace_and_nothing_else_changes() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/lerumflow"
    named = Settings(database_url=url, postgres_schema="ignored", kommun="1441")
    assert named.store_schema == "kommun_1441"
    assert named.eventsourcing_env()["POSTGRES_SCHEMA"] == "kommun_1441"
    assert Settings(database_url=url, postgres_schema="eget").eventsourcing_env()["POSTGRES_SCHEMA"] == "eget"
    assert "POSTGRES_SCHEMA" not in Settings(database_url=url).eventsourcing_env()
    assert Settings.from_environ({"LERUM_FLOW_KOMMUN": " 1441 "}).kommun == "1441"
    temporal = TemporalSettings()
    assert temporal.for_kommun("1441").namespace == "lerum-flow-1441"
    assert temporal.for_kommun("") == temporal


@pytest.mark.parametrize("kod", ["144", "14411", "14a1", "١٤٤١", "kommun_1441; DROP"])
def test_a_malformed_kommunkod_is_refused_in_swedish(kod: str) -> None:
    with pytest.raises(InvalidInput, match="fyra siffror") as refused:
        Settings(kommun=kod)
    assert refused.value.rule == "kommunkod"


def test_a_municipality_on_sqlite_is_refused_naming_postgresql(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="PostgreSQL") as refused:
        Settings(data_dir=tmp_path, kommun="1441").eventsourcing_env()
    assert refused.value.rule == "kommun_kraver_postgresql"
    assert list(tmp_path.iterdir()) == []  # no file made
