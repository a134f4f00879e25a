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


def _history_text(event: str, details: dict[str, str]) -> str:
    """`audit history`'s table of one event of `event` with these fields, as text."""
    entry = HistoryEntry(
        id=uuid4(),
        version=7,
        event=event,
        recorded_at=datetime(2028, 1, 20, 9, 0, tzinfo=UTC),
        effective_on=date(2028, 1, 20),
        actor="ks",
        person="p-ks",
        process=None,
        secrecy="",
        command_id=uuid4(),
        details=details,
    )
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(history_table([entry]))
    return out.getvalue()


def test_the_history_names_an_events_fields_with_swedish_letters() -> None:
    text = _history_text("Uppdrag.Reported", {"assessment": "uppfyllt", "level": "ks", "reason": "Klart."})

    assert "bedömning: uppfyllt" in text
    assert "nivå: ks" in text
    assert "skäl: Klart." in text
    assert "bedomning" not in text


def test_an_internkontroll_reports_summary_reads_as_a_summary_not_a_change() -> None:
    """'sammanfattning' in an internkontroll report; a styrdokument revision's summary stays 'ändring'."""
    reported = _history_text(
        "Internkontrollplan.Reported", {"period": "helar", "reported_to": "ks", "summary": "Inga brister."}
    )
    revised = _history_text("Styrdokument.Revised", {"summary": "Nya mål för 2028."})

    assert "sammanfattning: Inga brister." in reported
    assert "ändring" not in reported
    assert "ändring: Nya mål för 2028." in revised
