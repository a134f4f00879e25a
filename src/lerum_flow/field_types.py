"""The pydantic types of the texts and days people give: length, surrounding spaces, which
characters (`text_safety`) and which days (`input_dates`).

The commands, the person directory and the styrmodell file build their fields
from these, so one rule holds wherever text comes in. A refusal is a pydantic
error whose type is the rule's code and whose message is already Swedish
(see `validation_messages`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from lerum_flow.input_dates import RULE as DATE_RULE
from lerum_flow.input_dates import DayError, day_from_text, not_written_as_a_day, within_range
from lerum_flow.text_safety import first_unsafe, printable

CHARACTER_RULE = "styrtecken"
PERSON_ID_RULE = "person_id"

CODE_MAX = 80
SHORT_MAX = 200
TEXT_MAX = 4000


def _refusal(rule: str, message: str) -> PydanticCustomError:
    # The message goes in the context: a typed '{' in it must not be read as a placeholder.
    return PydanticCustomError(rule, "{message}", {"message": message})


def one_line(value: Any) -> Any:
    """The value, if it is no text or every character may be in a one-line text (no newline, no tab)."""
    if isinstance(value, str):
        _check(value, multiline=False)
    return value


def multi_line(value: Any) -> Any:
    """The value, with Windows line ends as plain newlines, if every character may be in it."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n")
    _check(value, multiline=True)
    return value


def _check(value: str, *, multiline: bool) -> None:
    unsafe = first_unsafe(value, multiline=multiline)
    if unsafe is not None:
        raise _refusal(CHARACTER_RULE, unsafe.message())


# Events carry this pseudonymous id, never a name (see `Command.person`).
_PERSON_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _person_id(value: str) -> str:
    if not _PERSON_ID.fullmatch(value):
        shown = printable(value, keep_line_breaks=False)[:70]
        raise _refusal(
            PERSON_ID_RULE,
            f"'{shown}' är inget giltigt person-id: högst 64 bokstäver a–z och A–Z, siffror och "
            "'-', '_', '.', ':', utan mellanslag (ett pseudonymt id, aldrig ett namn).",
        )
    return value


def _day_given(value: Any) -> Any:
    # A date object (a workflow's, a test's) goes on to pydantic; text must be ÅÅÅÅ-MM-DD;
    # anything else, numbers above all, is refused before pydantic reads it as a timestamp.
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, str):
            return day_from_text(value)
        raise not_written_as_a_day(value)
    except DayError as problem:
        raise _refusal(DATE_RULE, str(problem)) from None


def _day_within_range(value: date) -> date:
    try:
        return within_range(value)
    except DayError as problem:
        raise _refusal(DATE_RULE, str(problem)) from None


def _stripped(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# The character rule runs before pydantic's own str checks: a lone surrogate (an undecodable
# byte on the command line) must be refused by it, not as "not a valid string"; and before the
# stripping of spaces, so no control character is quietly dropped from the ends either.

# A code, id, position or diarienummer: one line, short.
Code = Annotated[str, _stripped(1, CODE_MAX), BeforeValidator(one_line)]
# A title or a name: one line, required.
Line = Annotated[str, _stripped(1, TEXT_MAX), BeforeValidator(one_line)]
# A short one-line text that may be left empty (paragraf, key, secrecy).
ShortLine = Annotated[str, _stripped(0, SHORT_MAX), BeforeValidator(one_line)]
# A pseudonymous person id, e.g. p-1001.
PersonId = Annotated[str, _stripped(1, CODE_MAX), AfterValidator(_person_id), BeforeValidator(one_line)]
# A person's name in the directory: one line, required, short.
Name = Annotated[str, _stripped(1, SHORT_MAX), BeforeValidator(one_line)]
# A description, reason or report: several lines, required.
Text = Annotated[str, _stripped(1, TEXT_MAX), BeforeValidator(multi_line)]
OptionalText = Annotated[str, _stripped(0, TEXT_MAX), BeforeValidator(multi_line)]
# A day, ÅÅÅÅ-MM-DD, between input_dates.EARLIEST and LATEST.
Day = Annotated[date, BeforeValidator(_day_given), AfterValidator(_day_within_range)]
