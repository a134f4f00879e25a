"""The dates a person may give: a calendar day written ÅÅÅÅ-MM-DD, between 1900 and 2200.

A number is never a date, although pydantic would read `86400` as 1970-01-02
(a Unix timestamp) and Python's `date.fromisoformat` would read `20270615`.
A year far out (0001, 9999) is a slip of the keyboard that would otherwise
sit in the public record for good. Every place that turns typed text into a
date uses this module: the commands, the read commands' options, the audit
exports.
"""

from __future__ import annotations

import re
from datetime import date

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.text_safety import printable

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
RULE = "datum"
EXAMPLE = "2027-06-15"

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")
_SHOWN = 40


class DayError(ValueError):
    """The text or value is not a day that is accepted; the message says why, in Swedish."""


def day_from_text(text: str) -> date:
    """The day `text` writes as ÅÅÅÅ-MM-DD (spaces around are ignored), within the accepted range."""
    written = text.strip()
    if not _ISO_DAY.fullmatch(written):
        raise DayError(_not_a_day(written))
    try:
        day = date.fromisoformat(written)
    except ValueError:
        raise DayError(
            f"{_shown(written)} är inget datum som finns; skriv ÅÅÅÅ-MM-DD, t.ex. {EXAMPLE}."
        ) from None
    return within_range(day)


def within_range(day: date) -> date:
    """`day` itself, if it lies between EARLIEST and LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise DayError(
            f"{day.isoformat()} ligger utanför de datum som tas emot, "
            f"{EARLIEST.isoformat()} till {LATEST.isoformat()}."
        )
    return day


def not_written_as_a_day(value: object) -> DayError:
    """The refusal of a value that is not text (a number, a list ...) given where a day belongs."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # str() of a huge int raises ValueError (the 4300 digit limit).
        small = abs(value) < 10**15
        what = f"{value} är ett tal, inget datum" if small else "Ett mycket stort tal är inget datum"
        return DayError(f"{what} (en tidsstämpel tas inte emot); skriv ÅÅÅÅ-MM-DD, t.ex. {EXAMPLE}.")
    return DayError(f"Ska vara ett datum skrivet ÅÅÅÅ-MM-DD, t.ex. {EXAMPLE}.")


def parse_day(text: str, *, field: str) -> date:
    """A day typed on the command line for the option `field`, or a refusal naming it."""
    try:
        return day_from_text(text)
    except DayError as problem:
        raise InvalidInput(str(problem), field=field, rule=RULE) from None


def _not_a_day(written: str) -> str:
    if _NUMBER.fullmatch(written):
        return (
            f"{_shown(written)} är ett tal, inget datum (en tidsstämpel tas inte emot); "
            f"skriv ÅÅÅÅ-MM-DD, t.ex. {EXAMPLE}."
        )
    return f"{_shown(written)} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. {EXAMPLE}."


def _shown(written: str) -> str:
    shown = printable(written, keep_line_breaks=False)
    return f"'{shown[:_SHOWN]}…'" if len(shown) > _SHOWN else f"'{shown}'"
