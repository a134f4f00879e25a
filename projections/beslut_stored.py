"""The beslut view's rows of one decision straight from its events' stored JSON, as the database
stores them: what `beslut.py`'s handlers and `apply_change` make of the decoded events.

Why: decoding every event into ids, dates and times, building rows of them and turning each value
back into text for the database was most of the view's rebuild (profiled: a Lerum mandate period,
249k events). The stored JSON already holds each value in the text the view stores: a date's and
a time's `isoformat()`, an id's hex digits (`persistence.stored_as_text`). `beslut.py` stays the
definition; the history tests rebuild by this path and compare it with views that followed the
log through the handlers.

The other views rebuilt record by record go through their handlers (`handler_fold`); this view,
the longest to rebuild, does not: measured on a Lerum mandate period, the handlers' rows and
changes made its rebuild 15 % slower (fold alone: 2.2–2.5 s against 1.7–1.8 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import itemgetter

from eventsourcing.persistence import IntegrityError

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.in_force import RETROACTIVE
from lerum_flow.persistence import stored_as_text
from lerum_flow.projections.beslut import BeslutRow, TakenRow
from lerum_flow.projections.bitemporal import (
    OPEN,
    Axes,
    IsoDays,
    Region,
    apply_change,
    history_type,
    known_on_stored,
)
from lerum_flow.projections.record_order import StoredEvent, StoredRows
from lerum_flow.projections.rows import Update, column_names

TAKEN = Beslut.Taken.TOPIC
CORRECTED = Beslut.Corrected.TOPIC
REPORTED = Beslut.Reported.TOPIC
# Events that count on every day of business time (`axes_of`): corrections.
_ALWAYS = {e.TOPIC for e in (Beslut.Taken, Beslut.Corrected, Beslut.Reported) if issubclass(e, RETROACTIVE)}
# The fields stored as typed values (`stored_as_text`): times, dates, ids.
_TYPED = ("timestamp", "effective_on", "delegering_id")
HISTORY = history_type(BeslutRow)
# A row's values in the order of its table's columns, picked in C (a row of a rebuild each).
_row_values = itemgetter(*column_names(BeslutRow))
_taken_values = itemgetter(*column_names(TakenRow))
_ISO = IsoDays()


def fold_beslut(record: Sequence[StoredEvent], rows: StoredRows) -> None:
    """One decision's events (in order): its history rows and its `TakenRow`, added to `rows`."""
    regions: list[Region] = []
    for event in record:
        fields = stored_as_text(event.state, _TYPED)
        timestamp: str = fields["timestamp"]
        effective: str = fields["effective_on"]
        known = known_on_stored(timestamp)
        held = date.min if event.topic in _ALWAYS else date.fromisoformat(effective)
        if event.topic == TAKEN:
            if regions:
                raise IntegrityError(f"{BeslutRow.table}: key inserted twice")
            values = _taken(event, fields, timestamp, effective)
            # `apply_change`'s insert: one region, open on both axes.
            regions = [Region(held, OPEN, known, OPEN, values)]
            rows.setdefault(TakenRow, []).append(_taken_row(values, fields))
        else:
            regions = apply_change(regions, _update(event, fields, timestamp, effective), Axes(held, known))
    history = rows.setdefault(HISTORY, [])
    iso = _ISO
    for r in regions:
        history.append(
            (
                *_row_values(r.values),
                iso[r.held_from],
                iso[r.held_until],
                iso[r.known_from],
                iso[r.known_until],
            )
        )


def _taken(
    event: StoredEvent, fields: dict[str, object], timestamp: str, effective: str
) -> dict[str, object]:
    """`beslut._taken`'s `BeslutRow`, as stored."""
    return {
        "id": event.originator_id,
        "decided_by": fields["decided_by"],
        "kind": fields["kind"],
        "diarienummer": fields["diarienummer"],
        "paragraf": fields["paragraf"],
        "title": fields["title"],
        "matter": fields["matter"],
        "delegering_id": fields["delegering_id"],
        "report_to": fields["report_to"],
        "decided_on": effective,
        "reported": False,
        "reported_on": None,
        "minutes_paragraf": "",
        "corrections": 0,
        "recorded_at": timestamp,
        "changed_at": timestamp,
        "secrecy": fields["secrecy"],
        "version": event.originator_version,
    }


def _taken_row(values: dict[str, object], fields: dict[str, object]) -> tuple[object, ...]:
    """`beslut._taken`'s `TakenRow`, as stored."""
    taken = {
        "id": values["id"],
        "decided_by": values["decided_by"],
        "kind": values["kind"],
        "decided_on": values["decided_on"],
        # Stored only when set (`persistence.LATER_FIELDS`).
        "budget_year": fields.get("budget_year"),
        "budget_kind": fields.get("budget_kind"),
        "recorded_at": values["recorded_at"],
        "version": values["version"],
    }
    found: tuple[object, ...] = _taken_values(taken)
    return found


def _update(event: StoredEvent, fields: dict[str, object], timestamp: str, effective: str) -> Update:
    """`beslut._corrected`'s and `beslut._reported`'s change, as stored."""
    stamp = {"version": event.originator_version, "changed_at": timestamp}
    key = (event.originator_id,)
    if event.topic == CORRECTED:
        values = {name: fields[name] for name in ("diarienummer", "paragraf", "title")}
        return Update(BeslutRow, key, {**values, **stamp}, {"corrections": 1})
    if event.topic == REPORTED:
        values = {"reported": True, "reported_on": effective, "minutes_paragraf": fields["minutes_paragraf"]}
        return Update(BeslutRow, key, {**values, **stamp})
    raise ValueError(f"{event.topic}: not an event of the beslut view")
