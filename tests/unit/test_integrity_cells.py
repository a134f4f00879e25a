"""Values in the CSV evidence, written the way Swedish Excel reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from lerum_flow.integrity.evidence_files import cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("1234.50"), "1234,50"),
        (1.5, "1,5"),
        (Decimal("1E-5"), "0,00001"),
        (-7, "-7"),
        (True, "ja"),
        (None, ""),
        (date(2027, 3, 1), "2027-03-01"),
        (datetime(2027, 3, 1, 8, 30, tzinfo=UTC), "2027-03-01T09:30:00+01:00"),
        (datetime(2027, 7, 1, 8, 30, tzinfo=UTC), "2027-07-01T10:30:00+02:00"),
        (UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (["ks", "kf"], "ks, kf"),
        ("Budget; 1,5 %", "Budget; 1,5 %"),
    ],
)
def test_values_are_written_for_swedish_excel(value: object, written: str) -> None:
    """Decimal comma, ISO dates, Swedish local time with its offset, plain text unchanged."""
    assert cell(value) == written


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+46 31", "-minus", "@SUM(A1)"])
def test_text_that_excel_would_run_as_a_formula_is_kept_as_text(text: str) -> None:
    """A leading apostrophe makes Excel show the text instead of evaluating it."""
    assert cell(text) == "'" + text
