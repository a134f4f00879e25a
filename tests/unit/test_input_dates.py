"""The date rule: ÅÅÅÅ-MM-DD between 1900 and 2200, never a number, the same for commands and options."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from lerum_flow.commands import IssueUppdrag, TakeBeslut, parse_command
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.input_dates import EARLIEST, LATEST, parse_day
from lerum_flow.styrmodell import Styrmodell, default_styrmodell

BESLUT = {
    "actor": "ks",
    "person": "p-1",
    "decided_by": "ks",
    "kind": "ovrigt",
    "diarienummer": "KS 2027/1",
    "title": "Beslut",
}

# (what was given, a fragment of the Swedish message)
REFUSED: list[tuple[Any, str]] = [
    (0, "0 är ett tal, inget datum"),
    (86400, "86400 är ett tal, inget datum (en tidsstämpel tas inte emot)"),
    (1_700_000_000, "är ett tal"),
    (1.5, "1.5 är ett tal"),
    (10**20, "Ett mycket stort tal är inget datum"),
    (True, "Ska vara ett datum skrivet ÅÅÅÅ-MM-DD"),
    ([2027, 6, 15], "Ska vara ett datum skrivet ÅÅÅÅ-MM-DD"),
    (b"2027-06-15", "Ska vara ett datum skrivet ÅÅÅÅ-MM-DD"),
    ("0", "'0' är ett tal, inget datum"),
    ("86400", "'86400' är ett tal"),
    ("1.7e9", "'1.7e9' är ett tal"),
    ("20270615", "'20270615' är ett tal"),
    ("2027-W24-2", "'2027-W24-2' är inget datum; skriv ÅÅÅÅ-MM-DD"),
    ("2027-06-15T00:00", "är inget datum; skriv ÅÅÅÅ-MM-DD"),
    ("15/6/2027", "är inget datum"),
    ("2027-6-15", "är inget datum"),
    ("idag", "'idag' är inget datum"),
    ("", "'' är inget datum"),
    ("2027-02-29", "'2027-02-29' är inget datum som finns"),
    ("2027-13-01", "är inget datum som finns"),
    ("1899-12-31", "1899-12-31 ligger utanför de datum som tas emot, 1900-01-01 till 2200-12-31"),
    ("2201-01-01", "2201-01-01 ligger utanför"),
    ("0001-01-01", "0001-01-01 ligger utanför"),
    ("9999-12-31", "9999-12-31 ligger utanför"),
    (date(1899, 12, 31), "1899-12-31 ligger utanför"),
    (date(2201, 1, 1), "2201-01-01 ligger utanför"),
    ("2027-06-15\x1b[2J", "'2027-06-15\\x1b[2J' är inget datum"),
]
ACCEPTED: list[tuple[Any, date]] = [
    ("2027-06-15", date(2027, 6, 15)),
    (" 2027-06-15 ", date(2027, 6, 15)),
    ("2028-02-29", date(2028, 2, 29)),
    ("1900-01-01", EARLIEST),
    ("2200-12-31", LATEST),
    (date(2027, 6, 15), date(2027, 6, 15)),
    (datetime(2027, 6, 15), date(2027, 6, 15)),
]


@pytest.mark.parametrize(("given", "says"), REFUSED, ids=[repr(g)[:30] for g, _ in REFUSED])
def test_a_command_refuses_numbers_other_forms_and_far_off_days_as_dates(given: Any, says: str) -> None:
    """The refusal names the field, has the rule 'datum' and says what was wrong in Swedish."""
    with pytest.raises(InvalidInput) as refusal:
        parse_command(TakeBeslut, **BESLUT, decided_on=given)

    assert (refusal.value.field, refusal.value.rule) == ("date", "datum")
    assert refusal.value.message.startswith("date: ")
    assert says in refusal.value.message


@pytest.mark.parametrize(("given", "day"), ACCEPTED, ids=[repr(g)[:30] for g, _ in ACCEPTED])
def test_a_command_takes_a_day_written_iso_or_given_as_a_date(given: Any, day: date) -> None:
    """ÅÅÅÅ-MM-DD (spaces around ignored) and date objects within the range are taken."""
    assert parse_command(TakeBeslut, **BESLUT, decided_on=given).decided_on == day


def test_an_optional_day_is_checked_when_given_and_may_be_left_out() -> None:
    """--due may be absent; given, it obeys the same rule."""
    fields = {"actor": "ks", "person": "p-1", "recipient": "kommundirektor", "title": "t"}
    assert parse_command(IssueUppdrag, **fields, issued_on="2027-01-01").due is None
    with pytest.raises(InvalidInput) as refusal:
        parse_command(IssueUppdrag, **fields, issued_on="2027-01-01", due="86400")
    assert (refusal.value.field, refusal.value.rule) == ("due", "datum")


@pytest.mark.parametrize(
    ("given", "says"), [r for r in REFUSED if isinstance(r[0], str)], ids=lambda v: repr(v)[:30]
)
def test_an_option_refuses_what_a_command_refuses(given: str, says: str) -> None:
    """The read commands' date options and the commands apply one rule, naming the option."""
    with pytest.raises(InvalidInput) as refusal:
        parse_day(given, field="known-on")

    assert (refusal.value.field, refusal.value.rule) == ("known-on", "datum")
    assert says in refusal.value.message


def test_the_styrmodell_first_election_year_lies_in_the_same_range() -> None:
    """A styrmodell whose first election is in year 9999 is refused, like a date in 9999."""
    data = default_styrmodell().model_dump(mode="json")
    data["kalender"]["val"]["forsta_valar"] = 9999
    with pytest.raises(ValidationError) as raised:
        Styrmodell.model_validate(data)

    assert [e["loc"][-1] for e in raised.value.errors()] == ["forsta_valar"]
