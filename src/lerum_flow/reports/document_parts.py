"""What a report document is made of, as the templates read it: cells that link to their
references, tables, sections, and the Swedish formatting of days and shares.

Pure data and formatting; the sections are built in goal_sections.py and
record_sections.py, the whole document in document.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from babel.numbers import format_percent

from lerum_flow.domain.plan_steps import StepOutcome
from lerum_flow.reports.charts import Chart
from lerum_flow.reports.figures.counted import Counted
from lerum_flow.swedish_numbers import LOCALE, THOUSANDS, number

# Ids listed under one entry of the Underlag; a larger count is named by its selection and its first ids.
LISTED_IDS = 20
ID_DIGITS = 8
OUTCOME_COLOURS = {
    StepOutcome.IN_TIME: "#2e7d32",
    StepOutcome.LATE: "#f9a825",
    StepOutcome.MISSED: "#c62828",
    StepOutcome.COMING: "#757575",
}
SERIES_COLOURS = ("#1565c0", "#2e7d32", "#6a1b9a", "#c62828")
CATEGORY_NAMES = {
    "ekonomi": "Ekonomi",
    "verksamhet": "Verksamhet",
    "kvalitet": "Kvalitet",
    "arbetsmiljo": "Arbetsmiljö",
    "sakerhet": "Säkerhet",
    "ovrigt": "Övrigt",
}
AUDIENCE = {
    "ks": "Kommundirektören till kommunstyrelsen",
    "kommundirektor": "Sektorscheferna till kommundirektören",
}


def day(value: date | None) -> str:
    """ISO 8601, as Swedish readers and the records write a day (sv_SE's short date form)."""
    return format_date(value, format="short", locale=LOCALE) if value else "–"


def long_day(value: date) -> str:
    return format_date(value, format="long", locale=LOCALE)


def percent(part: int, whole: int) -> str:
    if whole == 0:
        return "–"
    return format_percent(part / whole, format="#,##0 %", locale=LOCALE).replace("\xa0", THOUSANDS)


def group_name(level: str, sector: str) -> str:
    """A level as a row of a report names it: "Chef, sektor lärande", or the level alone."""
    return f"{level}, {sector}" if sector else level


@dataclass(frozen=True)
class Cell:
    text: str
    ref: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class Reference:
    anchor: str
    what: str
    count: int
    ids: tuple[str, ...]


@dataclass
class References:
    """The Underlag: one entry per traced count, numbered in the order the document shows them."""

    entries: list[Reference] = field(default_factory=list)

    def cell(self, counted: Counted, what: str) -> Cell:
        if counted.value == 0:
            return Cell(number(0), numeric=True)
        anchor = f"underlag-{len(self.entries) + 1}"
        ids = tuple(str(i)[:ID_DIGITS] for i in counted.records[:LISTED_IDS])
        self.entries.append(Reference(anchor, what, counted.value, ids))
        return Cell(number(counted.value), ref=anchor, numeric=True)

    def record(self, record_id: object, text: str, what: str) -> Cell:
        anchor = f"underlag-{len(self.entries) + 1}"
        self.entries.append(Reference(anchor, what, 1, (str(record_id)[:ID_DIGITS],)))
        return Cell(text, ref=anchor)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric_from: int = 1
    anchor: str = ""


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    intro: str
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class GoalLine:
    anchor: str
    depth: int
    title: str
    kind: str
    recipient: str
    symbol: str
    label: str
    rank: int
    text: str
    reported_on: str
    trend: str
    trend_text: str
    short_id: str


@dataclass(frozen=True)
class Document:
    title: str
    kommun: str
    subtitle: str
    window: str
    sections: tuple[Section, ...]
    goals: tuple[GoalLine, ...]
    scale: tuple[tuple[str, str], ...]
    references: tuple[Reference, ...]
    provenance: tuple[tuple[str, str], ...]
    again: str
