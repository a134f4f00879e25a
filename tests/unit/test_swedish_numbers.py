"""Numbers and counts in human output follow Swedish conventions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lerum_flow.swedish_numbers import counted, number, seconds


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1234567, None, "1\u202f234\u202f567"),
        (1234567.5, 1, "1\u202f234\u202f567,5"),
        (0.25, 2, "0,25"),
        (3, None, "3"),
        (Decimal("12.50"), 2, "12,50"),
        (-4200, None, "-4\u202f200"),
    ],
)
def test_numbers_have_a_decimal_comma_and_thin_thousands(
    value: float, decimals: int | None, shown: str
) -> None:
    """Decimal comma, a narrow no-break space between thousands, a plain minus sign."""
    assert number(value, decimals) == shown


def test_a_noun_agrees_with_its_count() -> None:
    """One is singular, others plural, and zero can be said in words."""
    assert counted(1, "händelse", "händelser") == "1 händelse"
    assert counted(3, "händelse", "händelser") == "3 händelser"
    assert counted(0, "händelse", "händelser") == "0 händelser"
    assert counted(0, "uppdrag", "uppdrag", none="inget uppdrag") == "inget uppdrag"
    assert counted(12000, "uppdrag", "uppdrag") == "12\u202f000 uppdrag"


def test_durations_are_seconds_with_a_comma() -> None:
    """Short durations keep a decimal, long ones are whole seconds."""
    assert seconds(0.04) == "0,0 s"
    assert seconds(12.34) == "12,3 s"
    assert seconds(1234.5) == "1\u202f234 s"
