"""The person directory through the CLI: names beside the events, changeable and erasable."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from e2e.cli_world import PERSON, Cli, ks_verksamhetsplan

from lerum_flow.commands import DirectoryEntry
from lerum_flow.directory import PersonDirectory
from lerum_flow.settings import Settings


def test_a_name_set_in_the_directory_shows_in_history_but_not_in_the_events(cli: Cli) -> None:
    """History shows the name beside the pseudonymous id; the stored event keeps only the id."""
    beslut = ks_verksamhetsplan(cli)
    assert cli("katalog", "set", PERSON, "--name", "Anna Andersson").exit_code == 0

    history = cli.history(beslut)

    assert (history[0]["person"], history[0]["namn"]) == (PERSON, "Anna Andersson")
    assert "Anna Andersson" not in json.dumps(history[0]["uppgifter"])


def test_an_erased_name_leaves_history_with_the_pseudonymous_id_only(cli: Cli) -> None:
    """Removing a person from the directory changes no event."""
    beslut = ks_verksamhetsplan(cli)
    cli("katalog", "set", PERSON, "--name", "Anna Andersson")
    before = [entry["kommando_id"] for entry in cli.history(beslut)]

    assert cli("katalog", "remove", PERSON).exit_code == 0
    history = cli.history(beslut)

    assert [entry["kommando_id"] for entry in history] == before
    assert (history[0]["person"], history[0]["namn"]) == (PERSON, None)


def test_a_name_is_refused_where_a_person_id_belongs(cli: Cli) -> None:
    """A name typed as the id is refused, so it cannot end up as a key."""
    refused = cli("katalog", "set", "Anna Andersson", "--name", "Anna Andersson")
    assert refused.exit_code == 1
    assert "inget giltigt person-id" in refused.stderr


def test_removing_an_unknown_person_is_refused(cli: Cli) -> None:
    """Nothing to erase is said clearly."""
    refused = cli("katalog", "remove", "p-okand")
    assert refused.exit_code == 1
    assert "finns inte i katalogen" in refused.stderr


@pytest.mark.postgres
def test_the_directory_keeps_names_on_postgresql(postgres_database_url: str) -> None:
    """On PostgreSQL the directory is a table beside the events; reading before any write finds none."""
    directory = PersonDirectory(Settings(database_url=postgres_database_url))
    assert directory.names() == {}
    directory.set_name(DirectoryEntry(person="p-1", name="Bo Berg"), datetime.now(UTC))
    directory.set_name(DirectoryEntry(person="p-1", name="Bo Bergström"), datetime.now(UTC))
    assert directory.names() == {"p-1": "Bo Bergström"}
    assert directory.remove("p-1") is True
    assert directory.names() == {}
