"""What a person watching the simulation sees: dated lines above a bar of the budget years.

A line is a date column and a text column; a long text wraps under its own
column, so the dates stay a clean column at any terminal width. The bar
says which budget year of how many is under way and the latest step. The
narrator also remembers where the simulation is, so a failure can say so.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from datetime import date

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Column
from rich.text import Text

DATE_GAP = 2
# Narrower than this, a text column would wrap word by word.
MIN_TEXT_WIDTH = 12
BAR_WIDTH = 16


class DatedLine:
    """One line of the story: its date, then its text, wrapped under the text, not under the date."""

    def __init__(self, day: date, text: str, style: str = "") -> None:
        self.day = day
        self.text = Text(text, style=style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        date_column = self.day.isoformat()
        indent = " " * (len(date_column) + DATE_GAP)
        width = options.max_width - len(indent)
        if width < MIN_TEXT_WIDTH:  # too narrow for two columns: the date on a line of its own
            yield Text(date_column, style="dim")
            yield self.text
            return
        for number, line in enumerate(self.text.wrap(console, width)):
            line.rstrip()
            prefix = Text.assemble((date_column, "dim"), " " * DATE_GAP) if number == 0 else Text(indent)
            yield prefix + line


class Narrator:
    """Dated lines and the progress bar on a console; silent without one, but still keeping count.

    Called from the event loop and from worker threads alike.
    """

    def __init__(self, console: Console | None, budget_years: Sequence[int], first: date, last: date) -> None:
        self.console = console
        self.budget_years = list(budget_years)
        self.first = first
        self.last = last
        self.day: date | None = None
        self.step = ""
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def say(self, day: date, text: str, style: str = "") -> None:
        with self._lock:
            if day >= self.first and (self.day is None or day >= self.day):
                self.day = day
            self.step = text
            self._update_bar()
        if self.console is not None:
            self.console.print(DatedLine(day, text, style))

    @property
    def year_number(self) -> int:
        """Which of the budget years is under way (1-based): the first until it begins, the last after."""
        if self.day is None:
            return 1
        index = self.day.year - self.budget_years[0]
        return min(max(index, 0), len(self.budget_years) - 1) + 1

    @property
    def year_label(self) -> str:
        return f"år {self.year_number} av {len(self.budget_years)}"

    def whereabouts(self) -> str:
        """Where the simulation is, in words: the year, the simulated day and the latest step."""
        if self.day is None:
            return "innan simuleringen kom igång"
        year = self.budget_years[self.year_number - 1]
        latest = f", senast: «{self.step}»" if self.step else ""
        return f"under {self.year_label} (budgetår {year}), simulerad dag {self.day.isoformat()}{latest}"

    @contextlib.contextmanager
    def showing_progress(self) -> Iterator[None]:
        """The bar below the lines for the time of the block; no library log lines in between.

        Only on a terminal: piped to a file, the lines are the whole story.
        The bar is removed at the end of the block.
        """
        with _library_warnings_hidden():
            if self.console is None or not self.console.is_terminal:
                yield
                return
            progress = Progress(
                TextColumn("{task.fields[year]}", markup=False, table_column=Column(no_wrap=True)),
                BarColumn(bar_width=BAR_WIDTH),
                TextColumn(
                    "{task.fields[day]}", markup=False, style="dim", table_column=Column(no_wrap=True)
                ),
                TextColumn(
                    "{task.fields[step]}",
                    markup=False,
                    table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1),
                ),
                console=self.console,
                transient=True,
                expand=True,
            )
            with self._lock:
                self._progress = progress
                self._task = progress.add_task("", total=self._total_days(), year="", day="", step="")
                self._update_bar()
            try:
                with progress:
                    yield
            finally:
                with self._lock:
                    self._progress = None

    def bar(self) -> RenderableType | None:
        """What the bar shows now (None while it is not shown)."""
        with self._lock:
            return self._progress.get_renderable() if self._progress is not None else None

    def _total_days(self) -> int:
        return max((self.last - self.first).days, 1)

    def _update_bar(self) -> None:
        if self._progress is None or self._task is None:
            return
        done = (self.day - self.first).days if self.day is not None else 0
        self._progress.update(
            self._task,
            completed=min(done, self._total_days()),
            year=self.year_label,
            day=self.day.isoformat() if self.day else "",
            step=self.step,
        )


@contextlib.contextmanager
def _library_warnings_hidden() -> Iterator[None]:
    """Temporal's own warnings stay out of the story unless a log level below WARNING was asked for.

    The time-skipping test server lacks capabilities the SDK warns about at
    every worker start; the person watching can do nothing about them.
    Failures still surface as the simulation's own errors.
    """
    library = logging.getLogger("temporalio")
    if logging.getLogger().getEffectiveLevel() < logging.WARNING:
        yield
        return
    before = library.level
    library.setLevel(logging.ERROR)
    try:
        yield
    finally:
        library.setLevel(before)
