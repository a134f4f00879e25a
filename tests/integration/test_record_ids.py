"""Short ids on SQLite and PostgreSQL: a unique start of an id names its record, as in git.

The records are stored with chosen ids (only the first event's id and topic are
read), so that prefixes can be made to collide.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from unit.governance_world import governance

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidInput, NotFound
from lerum_flow.record_ids import sqlite_ranges_statement
from lerum_flow.settings import Settings

UPPDRAG_A = UUID("1f3a0c55-7917-52a1-b612-1ca578c6326d")
UPPDRAG_B = UUID("1f3a0c55-99e0-5000-8000-000000000001")  # shares 8 digits with A, then differs
BESLUT = UUID("1f3b1111-2222-5333-8444-555555555555")
DELEGERING = UUID("1f3b1111-2222-5333-8444-666666666666")  # shares 28 digits with BESLUT
ALONE = UUID("d984031f-99a4-5dd4-a016-a2c1e0827510")
# Neighbours that must not be found: just below and just above the 1f3a range.
BELOW = UUID("1f39ffff-ffff-5fff-bfff-ffffffffffff")
ABOVE = UUID("1f3b0000-0000-5000-8000-000000000000")

RECORDS = {
    UPPDRAG_A: "lerum_flow:Uppdrag.Issued",
    UPPDRAG_B: "lerum_flow:Uppdrag.Issued",
    BESLUT: "lerum_flow:Beslut.Taken",
    DELEGERING: "lerum_flow:Delegering.Granted",
    ALONE: "lerum_flow:Avvikelse.Reported",
    BELOW: "lerum_flow:Beslut.Taken",
    ABOVE: "lerum_flow:Beslut.Taken",
}


@pytest.fixture
def store(database_url: str) -> Iterator[Governance]:
    """A Governance whose store holds the records above, each with a first and a second event."""
    app = governance(Settings(database_url=database_url).eventsourcing_env("governance"))
    app.recorder.insert_events(
        [
            StoredEvent(originator_id=record_id, originator_version=version, topic=topic, state=b"{}")
            for record_id, topic in RECORDS.items()
            for version in (1, 2)
        ]
    )
    yield app
    app.close()


def test_a_unique_prefix_of_four_digits_names_its_record(store: Governance) -> None:
    """'d984' starts one id in the store, so it names that record."""
    assert store.resolve_id("d984") == ALONE
    assert store.resolve_id("d984031f", "avvikelse") == ALONE


def test_upper_case_and_hyphens_are_read_as_the_id_is_written(store: Governance) -> None:
    """A prefix copied with its hyphen, or in capitals, names the same record."""
    assert store.resolve_id("D984031F-99A4") == ALONE
    assert store.resolve_id(" d984031f-99 ") == ALONE


def test_a_full_id_is_taken_as_it_is(store: Governance) -> None:
    """A whole id is returned without a look-up, also one not in the store (the command says so)."""
    assert store.resolve_id(str(UPPDRAG_A).upper()) == UPPDRAG_A
    unknown = UUID("00000000-0000-5000-8000-000000000000")
    assert store.resolve_id(unknown.hex) == unknown


def test_an_ambiguous_prefix_is_refused_listing_the_candidates(store: Governance) -> None:
    """'1f3a0c55' starts two uppdrag: refused, naming both by their shortest unique starts."""
    with pytest.raises(InvalidInput) as refused:
        store.resolve_id("1f3a0c55", field="uppdrag")

    assert refused.value.rule == "tvetydigt_id"
    assert refused.value.field == "uppdrag"
    assert "1f3a0c55-7 (uppdrag)" in refused.value.message
    assert "1f3a0c55-9 (uppdrag)" in refused.value.message
    assert "Skriv fler tecken" in refused.value.message


def test_the_kind_asked_for_settles_a_prefix_shared_across_kinds(store: Governance) -> None:
    """'1f3b1111' starts a beslut and a delegering: ambiguous alone, unique as a beslut."""
    with pytest.raises(InvalidInput):
        store.resolve_id("1f3b1111")

    assert store.resolve_id("1f3b1111", "beslut") == BESLUT
    assert store.resolve_id("1f3b1111", "delegering") == DELEGERING


def test_an_unknown_prefix_is_refused_as_not_found(store: Governance) -> None:
    """No id starts with 'abcd', and no uppdrag with 'd984' (that is an avvikelse)."""
    with pytest.raises(NotFound) as unknown:
        store.resolve_id("abcd")
    with pytest.raises(NotFound) as wrong_kind:
        store.resolve_id("d984", "uppdrag")

    assert unknown.value.rule == "okant_id"
    assert "Ingen post har ett id som börjar på 'abcd'" in unknown.value.message
    assert "Inget uppdrag har ett id som börjar på 'd984'" in wrong_kind.value.message


def test_too_short_or_not_hex_is_refused_as_invalid(store: Governance) -> None:
    """Three digits are too few to look up; letters beyond f are no id at all."""
    with pytest.raises(InvalidInput) as short:
        store.resolve_id("d98")
    with pytest.raises(InvalidInput) as not_hex:
        store.resolve_id("ks-2027")

    assert short.value.rule == "for_kort_id"
    assert not_hex.value.rule == "ogiltigt_id"


def test_the_range_ends_are_exact(store: Governance) -> None:
    """'1f3a' finds only the ids starting 1f3a: not the one just below nor the one just above."""
    found = store._ids().matching("1f3a")

    assert [f.id for f in found] == [UPPDRAG_A, UPPDRAG_B]
    assert {f.kind for f in found} == {"uppdrag"}


def test_short_ids_are_eight_digits_or_as_long_as_the_store_needs(store: Governance) -> None:
    """Unique in the whole store, not only among the ids asked about: A needs 10 digits because of B."""
    labels = store.short_ids([UPPDRAG_A, ALONE, BESLUT])

    assert labels[ALONE] == "d984031f"
    assert labels[UPPDRAG_A] == "1f3a0c55-7"
    assert labels[BESLUT] == "1f3b1111-2222-5333-8444-5"
    assert all(store.resolve_id(label) == record_id for record_id, label in labels.items())


def test_the_short_ids_of_a_long_page_search_the_key_once_per_id_on_sqlite(tmp_path: Path) -> None:
    """500 ids in one statement (what `audit as-of` labels a page of decisions with) are 500
    searches of the primary key: from about 200, SQLite built an automatic index on the version
    over the whole log for every statement instead."""
    database = tmp_path / "governance.db"
    app = governance(Settings(database_url=f"sqlite:///{database}").eventsourcing_env("governance"))
    app.close()
    statement = sqlite_ranges_statement("stored_events", 500)
    params = [h for n in range(500) for h in (f"{n:08x}", f"{n:08x}g")]
    with closing(sqlite3.connect(database)) as conn:
        plan = " ".join(
            str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + statement, [*params, -1])
        )
    assert (
        "SEARCH e USING INDEX sqlite_autoindex_stored_events_1 (originator_id>? AND originator_id<?)" in plan
    )
    assert "AUTOMATIC" not in plan
