"""A styrdokument's adoption and revision as stored on SQLite: the day each was decided is stored with
it, and one stored before that field existed still loads and keeps its place in the document's date
order, at the day it takes effect."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from integration.test_internkontroll_handover_stored import opened, sqlite_store
from unit.governance_world import refused, send
from unit.styrdokument_world import decide, document
from unit.test_styrdokument_decided_ahead import BETWEEN, DECIDED, FROM, handed_over_ahead

from lerum_flow.domain.styrdokument import Styrdokument

TOPIC = "lerum_flow:Styrdokument.Revised"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A SQLite store with KF's policy, handed to KS from FROM on a decision of DECIDED."""
    return sqlite_store(tmp_path, handed_over_ahead)


def stored(path: Path, topic: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT state FROM stored_events WHERE topic = ?", (topic,)).fetchall()
    return [json.loads(state) for (state,) in rows]


def store_as_before_the_field(path: Path) -> None:
    """The revision's stored state without `decided_on`, as the code before the field stored it."""
    (state,) = stored(path, TOPIC)
    del state["decided_on"]
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "UPDATE stored_events SET state = ? WHERE topic = ?",
            (json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode(), TOPIC),
        )


def revised_document(path: Path) -> UUID:
    with closing(sqlite3.connect(path)) as connection:
        (originator,) = connection.execute(
            "SELECT originator_id FROM stored_events WHERE topic = ?", (TOPIC,)
        ).fetchone()
    return UUID(originator) if isinstance(originator, str) else UUID(bytes=originator)


def test_an_adoption_and_a_revision_are_stored_with_the_day_they_were_decided(path: Path) -> None:
    """The stored revision names its decision's day beside the day it applies from; each adoption its
    decision's day too."""
    (revision,) = stored(path, TOPIC)
    adoptions = stored(path, "lerum_flow:Styrdokument.Adopted")

    assert (revision["decided_on"]["_data_"], revision["effective_on"]["_data_"]) == (
        DECIDED.isoformat(),
        FROM.isoformat(),
    )
    assert [a["decided_on"] for a in adoptions] == [a["effective_on"] for a in adoptions]


def test_a_revision_stored_before_its_decisions_day_was_kept_loads_and_keeps_its_place(path: Path) -> None:
    """Without `decided_on` it loads with none, hands the policy over from FROM as before, and stands in
    the policy's date order at FROM, as it did: a review decided before FROM is a correction."""
    store_as_before_the_field(path)
    (state,) = stored(path, TOPIC)
    assert "decided_on" not in state
    app = opened(path)
    try:
        (revision,) = [
            e for e in app.events_of(revised_document(path)) if isinstance(e, Styrdokument.Revised)
        ]
        assert (revision.decided_on, revision.effective_on, revision.ordered_on) == (None, FROM, FROM)
        policy = document(app, revision.originator_id)
        assert policy.last_effective_on == FROM
        assert (policy.owner_on(date(2027, 8, 31)), policy.owner_on(FROM)) == ("kommundirektor", "ks")

        beslut = decide(app, "kf", BETWEEN, "Aktualitetsprövning", number=61)
        fields = {"styrdokument_id": policy.id, "beslut_id": beslut}
        refusal = refused(app, "review_styrdokument", "kf", **fields)
        assert (refusal.rule, refusal.field) == ("datumordning", "date")
        assert send(app, "review_styrdokument", "kf", correction="Registrerades sent.", **fields).recorded
    finally:
        app.close()
