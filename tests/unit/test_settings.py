"""Settings: read from the environment, carried to a process of their own as JSON, paths as paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from lerum_flow.settings import Settings


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
