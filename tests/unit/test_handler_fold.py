"""A record's stored events folded through its projection's handlers (`handler_fold`): the rows the
handlers make, with ids, dates and times as the view stores them; what it cannot fold, it refuses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.projections.avvikelse import AvvikelseProjection, AvvikelseRow
from lerum_flow.projections.bitemporal import history_type
from lerum_flow.projections.handler_fold import handler_fold
from lerum_flow.projections.record_order import StoredEvent, StoredRows
from lerum_flow.projections.rows import Change, Update, column_names


@dataclass(frozen=True)
class _Counted:
    """An event with a field stored other than as a view's text."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    amount: Decimal


def _state(timestamp: str, effective_on: str, **fields: object) -> bytes:
    typed = {
        "timestamp": {"_type_": "datetime_iso", "_data_": timestamp},
        "effective_on": {"_type_": "date_iso", "_data_": effective_on},
        "command_id": {"_type_": "uuid_hex", "_data_": uuid4().hex},
    }
    common = {"actor": "kd", "person": "anna", "secrecy": "offentlig"}
    return orjson.dumps({**typed, **common, **fields})


def test_a_deviation_reported_and_escalated_across_midnight_is_folded_into_rows_as_stored() -> None:
    """Reported 23:30 UTC in winter (the next day in Sweden), escalated later: the history's regions
    split where the handlers and `apply_change` split them, every value as the view stores it."""
    fold = AvvikelseProjection.record_fold()
    assert fold is not None
    record_id = str(uuid4())
    reported = _state(
        "2027-01-31T23:30:00+00:00",
        "2027-01-31",
        subject_kind="uppdrag",
        subject_ref="U1",
        severity="hog",
        category="arbetsmiljo",
        description="Halt",
        level="enhet",
    )
    escalated = _state(
        "2027-02-10T09:00:00+00:00",
        "2027-02-09",
        from_level="enhet",
        to_level="forvaltning",
        skipped=[],
        reason="",
    )
    rows: StoredRows = {}
    fold(
        [
            StoredEvent(record_id, 1, get_topic(Avvikelse.Reported), reported),
            StoredEvent(record_id, 2, get_topic(Avvikelse.Escalated), escalated),
        ],
        rows,
    )
    names = [*column_names(AvvikelseRow), "hf", "hu", "kf", "ku"]
    history = [dict(zip(names, r, strict=True)) for r in rows[history_type(AvvikelseRow)]]
    assert [(h["level"], h["escalations"], h["hf"], h["hu"], h["kf"], h["ku"]) for h in history] == [
        ("enhet", 0, "2027-01-31", "2027-02-09", "2027-02-01", "9999-12-31"),
        ("enhet", 0, "2027-02-09", "9999-12-31", "2027-02-01", "2027-02-10"),
        ("forvaltning", 1, "2027-02-09", "9999-12-31", "2027-02-10", "9999-12-31"),
    ]
    assert {h["id"] for h in history} == {record_id}
    assert history[-1]["at_level_since"] == "2027-02-10T09:00:00+00:00"
    assert history[-1]["version"] == 2


def test_a_handler_changing_another_records_row_is_refused() -> None:
    """Rebuilt record by record, another record's row would be written before (or after) the change:
    refused, never silently lost."""

    def elsewhere(e: Any) -> Sequence[Change]:
        return [Update(AvvikelseRow, (str(uuid4()),), {"severity": "lag"})]

    fold = handler_fold({Avvikelse.Assessed: elsewhere})
    assert fold is not None
    assessed = StoredEvent(
        str(uuid4()),
        2,
        get_topic(Avvikelse.Assessed),
        _state("2027-01-01T08:00:00+00:00", "2027-01-01", severity="lag"),
    )
    with pytest.raises(IntegrityError, match="another record"):
        fold([assessed], {})


def test_an_event_with_a_value_stored_other_than_as_text_is_not_folded() -> None:
    """A field whose stored value is not the text a view stores (here a Decimal): rebuilt from the
    log's pages instead."""
    assert handler_fold({_Counted: lambda e: []}) is None
