"""A field of a record that later decisions change, each from its own day (a document's title, its
owner): every value with the day it takes effect, read for any day as the views' history reads it."""

from __future__ import annotations

from datetime import date

# What a change records for a field it leaves as it is: a change planned for a later day then stands.
UNCHANGED = ""


class DatedValue:
    """Every value with the day it takes effect, in recorded order."""

    def __init__(self) -> None:
        self.changes: list[tuple[date, str]] = []

    def change(self, day: date, value: str) -> None:
        """`value` from `day` on; `UNCHANGED` changes nothing."""
        if value != UNCHANGED:
            self.changes.append((day, value))

    @property
    def latest(self) -> str:
        """The value recorded last."""
        return self.changes[-1][1] if self.changes else UNCHANGED

    def on(self, day: date) -> str:
        """Of the values in effect by `day`, the one recorded last (a correction dated earlier
        overrides from its day on); before the first took effect, the first."""
        for since, value in reversed(self.changes):
            if since <= day:
                return value
        return self.changes[0][1] if self.changes else UNCHANGED

    def change_to(self, day: date, value: str) -> str:
        """What a change to `value` from `day` records: `UNCHANGED` for none or for the value it has
        that day."""
        return UNCHANGED if value == self.on(day) else value
