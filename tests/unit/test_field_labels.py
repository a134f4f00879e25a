"""A record's fields in `audit history` read with å, ä and ö, while `--json` keeps its ASCII keys."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO
from uuid import uuid4

from rich.console import Console

from lerum_flow.cli.field_labels import SPELLED, field_label
from lerum_flow.cli.history_table import history_table
from lerum_flow.cli.json_keys import SWEDISH
from lerum_flow.history import HistoryEntry


def test_every_spelled_label_belongs_to_a_json_key() -> None:
    """A label for a key that no longer exists would be dead: each names a key the JSON uses."""
    assert set(SPELLED) <= set(SWEDISH.values())


def test_a_field_reads_with_its_swedish_letters_and_spaces() -> None:
    assert field_label("assessment") == "bedömning"
    assert field_label("level") == "nivå"
    assert field_label("owner") == "ägare"
    assert field_label("budget_year") == "budgetår"
    assert field_label("decided_by") == "beslutat av"
    # A field without a Swedish key reads as its name.
    assert field_label("diarienummer") == "diarienummer"


def test_the_history_names_an_events_fields_with_swedish_letters() -> None:
    entry = HistoryEntry(
        id=uuid4(),
        version=2,
        event="Uppdrag.Reported",
        recorded_at=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        effective_on=date(2027, 3, 1),
        actor="larande",
        person="p-larande",
        process=None,
        secrecy="",
        command_id=uuid4(),
        details={"assessment": "uppfyllt", "level": "ks", "reason": "Klart."},
    )
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(history_table([entry]))
    text = out.getvalue()

    assert "bedömning: uppfyllt" in text
    assert "nivå: ks" in text
    assert "skäl: Klart." in text
    assert "bedomning" not in text
