"""The store's password kept out of the URL: from a variable or a mounted secret file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.settings import Settings


def test_a_database_password_from_a_mounted_file_joins_the_url(tmp_path: Path) -> None:
    """A container's password file reaches the store's connection, also with characters URLs escape."""
    secret = tmp_path / "store_password"
    secret.write_text("hemligt/lösen@1\n")
    settings = Settings.from_environ(
        {
            "LERUM_FLOW_DATABASE_URL": "postgresql://lerum_flow@store:5432/lerum_flow",
            "LERUM_FLOW_DATABASE_PASSWORD_FILE": str(secret),
        }
    )
    env = settings.eventsourcing_env()
    assert env["POSTGRES_PASSWORD"] == "hemligt/lösen@1"
    assert env["POSTGRES_HOST"] == "store"
    assert env["POSTGRES_USER"] == "lerum_flow"


def test_a_database_password_given_twice_is_refused() -> None:
    """In the URL and in a file as well: which one holds is not guessed."""
    with pytest.raises(InvalidInput, match="på ett ställe"):
        Settings.from_environ(
            {
                "LERUM_FLOW_DATABASE_URL": "postgresql://u:a@store/db",
                "LERUM_FLOW_DATABASE_PASSWORD": "b",
            }
        )
