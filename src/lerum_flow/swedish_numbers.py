"""Numbers and counted nouns as Swedish readers write them, through Babel's sv_SE data.

Decimal comma, a narrow no-break space (U+202F) between thousands so that a
number never breaks over two lines, and the noun agreeing with its count
("1 händelse", "3 händelser", "inget uppdrag"). Only for text people read:
--json keeps plain numbers.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

LOCALE = "sv_SE"
# CLDR's sv_SE groups with a no-break space; Swedish typography wants it thin.
THOUSANDS = "\u202f"


def number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """`1234567.5` as "1 234 567,5"; `decimals` fixes the number of decimals shown."""
    pattern = "#,##0" if decimals is None or decimals <= 0 else "#,##0." + "0" * decimals
    if decimals is None and not isinstance(value, int):
        pattern = "#,##0.###"
    return format_decimal(value, format=pattern, locale=LOCALE).replace("\xa0", THOUSANDS)


def counted(count: int, singular: str, plural: str, *, none: str | None = None) -> str:
    """ "1 händelse", "3 händelser"; with `none`, zero is said in words ("inget uppdrag")."""
    if count == 0 and none is not None:
        return none
    return f"{number(count)} {singular if count == 1 else plural}"


def seconds(value: float) -> str:
    """A duration for people: "0,4 s", "12,3 s", "1 234 s"."""
    return f"{number(value, 1 if value < 100 else 0)} s"
