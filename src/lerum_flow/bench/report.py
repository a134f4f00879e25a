"""The benchmark report: each figure beside its baseline from the same run, their ratio and the goal.

The same rows are drawn as a Rich table and written as JSON. A figure that
could not be measured carries the reason instead of a number, never a guess.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lerum_flow.bench.timing import percentile

REPORT_VERSION = 1


class GoalKind(StrEnum):
    RATIO_AT_LEAST = "kvot_minst"
    RATIO_AT_MOST = "kvot_hogst"
    VALUE_AT_MOST = "hogst"
    # The value may exceed its baseline by at most the limit (start-up above starting Python).
    ABOVE_BASELINE_AT_MOST = "over_baslinjen_hogst"
    REPORT_ONLY = "rapportera"


@dataclass(frozen=True)
class Goal:
    kind: GoalKind
    limit: float = 0.0
    text: str = ""
    # Further goals the figure must meet too (an absolute limit and a ratio to its baseline).
    also: tuple[Goal, ...] = ()

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        """Whether every part is met: False if one is missed, None if one cannot be judged."""
        parts = [part.met_alone(value, ratio) for part in self.parts]
        if False in parts:
            return False
        return None if None in parts else True

    @property
    def parts(self) -> tuple[Goal, ...]:
        return (Goal(self.kind, self.limit, self.text), *self.also)

    def judged(self, value: float | None, ratio: float | None) -> list[dict[str, Any]]:
        """Each part and whether it is met: which of two goals a figure misses."""
        return [{"mal": p.describe(), "uppfyllt": p.met_alone(value, ratio)} for p in self.parts]

    def met_alone(self, value: float | None, ratio: float | None) -> bool | None:
        if self.kind is GoalKind.RATIO_AT_LEAST:
            return None if ratio is None else ratio >= self.limit
        if self.kind is GoalKind.RATIO_AT_MOST:
            return None if ratio is None else ratio <= self.limit
        if self.kind is GoalKind.VALUE_AT_MOST:
            return None if value is None else value <= self.limit
        if self.kind is GoalKind.ABOVE_BASELINE_AT_MOST:
            if value is None or ratio is None:
                return None
            return value - value / ratio <= self.limit
        return None

    def describe(self) -> str:
        return " och ".join(p.describe_alone() for p in self.parts)

    def describe_alone(self) -> str:
        if self.text:
            return self.text
        return {
            GoalKind.RATIO_AT_LEAST: f"kvot ≥ {self.limit:g}",
            GoalKind.RATIO_AT_MOST: f"kvot ≤ {self.limit:g}",
            GoalKind.VALUE_AT_MOST: f"≤ {self.limit:g}",
            GoalKind.ABOVE_BASELINE_AT_MOST: f"≤ {self.limit:g} över baslinjen",
            GoalKind.REPORT_ONLY: "rapportera",
        }[self.kind]


@dataclass(frozen=True)
class Figure:
    """One measured figure (or the reason it was not measured) and its baseline."""

    id: str
    name: str
    unit: str
    value: float | None = None
    baseline: float | None = None
    baseline_name: str = ""
    goal: Goal | None = None
    not_measured: str = ""
    # Why a figure is judged by its goal alone (an end-to-end wall time, say).
    without_baseline: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.goal.met(self.value, self.ratio)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "matt": self.name,
            "enhet": self.unit,
            "varde": _rounded(self.value),
            "baslinje": _rounded(self.baseline),
            "baslinje_beskrivning": self.baseline_name,
            "kvot": _rounded(self.ratio),
            "mal": None if self.goal is None else self.goal.describe(),
            "mal_uppfyllt": self.met,
            "mal_delar": None if self.goal is None else self.goal.judged(self.value, self.ratio),
            "ej_matt": self.not_measured or None,
            "utan_baslinje": self.without_baseline or None,
            "detaljer": self.details,
        }


PERCENTILES = (50, 99)


def latency_figures(
    ident: str,
    name: str,
    seconds: Sequence[float],
    baseline_seconds: Sequence[float],
    baseline_name: str,
    *,
    goals: Mapping[int, Goal],
    details: dict[str, Any],
) -> list[Figure]:
    """p50 and p99 of timed samples, in ms, each beside the same percentile of its baseline.

    `ident` and `name` get the percentile: `{q}` in `name` is replaced by 50 or 99.
    """
    return [
        Figure(
            f"{ident}_p{q}",
            name.replace("{q}", str(q)),
            "ms",
            value=percentile(seconds, q) * 1000,
            baseline=percentile(baseline_seconds, q) * 1000,
            baseline_name=baseline_name,
            goal=goals.get(q),
            details=details,
        )
        for q in PERCENTILES
    ]


def not_measured(ident: str, name: str, unit: str, reason: str, **kw: Any) -> Figure:
    return Figure(ident, name, unit, not_measured=reason, **kw)


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    about: dict[str, Any] = field(default_factory=dict)

    def add(self, *figures: Figure) -> None:
        self.figures.extend(figures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "korning": self.about,
            "matt": [f.as_dict() for f in self.figures],
        }

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def table(self) -> Table:
        table = Table(title="Prestandamätning (kvot = värde / baslinje)", title_justify="left")
        table.add_column("Mått", min_width=30, max_width=46)
        table.add_column("Värde", justify="right", no_wrap=True)
        table.add_column("Baslinje", justify="right", no_wrap=True)
        table.add_column("Enhet", no_wrap=True)
        table.add_column("Kvot", justify="right", no_wrap=True)
        table.add_column("Mål", max_width=22)
        table.add_column("", justify="center", no_wrap=True)
        for f in self.figures:
            mark = {True: "[green]✓[/]", False: "[red]✗[/]", None: ""}[f.met]
            table.add_row(
                escape(f.name),
                "[yellow]ej mätt[/]" if f.not_measured else _number(f.value),
                _number(f.baseline),
                escape(f.unit),
                "" if f.ratio is None else f"{f.ratio:.2f}",
                escape(f.goal.describe()) if f.goal else "",
                mark,
            )
            if f.not_measured:
                table.add_row(f"  [dim]{escape(f.not_measured)}[/]", "", "", "", "", "", "")
        return table

    def print(self, console: Console) -> None:
        console.print(self.table())


def _number(value: float | None) -> str:
    """Three significant digits at least, thousands spaced as in Swedish."""
    if value is None:
        return ""
    from lerum_flow.swedish_numbers import number

    return number(value, 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)


def _rounded(value: float | None) -> float | None:
    """Five significant digits: more than any of these measurements can claim."""
    return None if value is None else float(f"{value:.5g}")
