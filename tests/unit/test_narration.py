"""What a person watching the simulation sees: dated lines, the bar of the years, no library warnings."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from rich.console import Console

from lerum_flow.demo.narration import Narrator

LONG = (
    "Avvikelse till Sektorschef, sektor lärande: Skola Lerum 1: Vattenläcka i köket; "
    "verksamheten flyttad två veckor medan golvet byts och köket saneras."
)
INDENT = " " * len("2031-03-14  ")


def narrator(console: Console | None, years: int = 4) -> Narrator:
    budget_years = [2031 + n for n in range(years)]
    return Narrator(console, budget_years, date(2030, 1, 1), date(2031 + years, 6, 30))


def plain_console(width: int, *, terminal: bool = False) -> tuple[Console, io.StringIO]:
    output = io.StringIO()
    return Console(file=output, width=width, force_terminal=terminal, color_system=None), output


@pytest.mark.parametrize("width", [60, 100])
def test_a_long_line_wraps_under_its_text_and_leaves_the_date_column_clear(width: int) -> None:
    """Continuation lines start under the text, at the terminal's width, and lose no word."""
    console, output = plain_console(width)

    narrator(console).say(date(2031, 3, 14), LONG, "red")

    first, *rest = output.getvalue().splitlines()
    assert first.startswith("2031-03-14  Avvikelse")
    assert rest
    assert all(line.startswith(INDENT) and line[len(INDENT)] != " " for line in rest)
    assert all(len(line) <= width for line in [first, *rest])
    assert " ".join(line.strip() for line in [first[len(INDENT) :], *rest]).split() == LONG.split()


def test_on_a_very_narrow_terminal_the_date_stands_on_a_line_of_its_own() -> None:
    """Too narrow for two columns: the date, then the text at full width."""
    console, output = plain_console(20)

    narrator(console).say(date(2031, 3, 14), LONG)

    lines = output.getvalue().splitlines()
    assert lines[0] == "2031-03-14"
    assert all(len(line) <= 20 for line in lines)


@pytest.mark.parametrize("width", [60, 100])
def test_the_bar_shows_which_year_of_how_many_the_day_and_the_latest_step(width: int) -> None:
    """One line within the width: 'år 2 av 4', the simulated day, and as much of the step as fits."""
    terminal, _ = plain_console(width, terminal=True)
    story = narrator(terminal)
    shown, output = plain_console(width)

    with story.showing_progress():
        story.say(date(2032, 3, 1), "Månadsuppföljning 2032-03: rapporter begärs enligt uppföljningsplanen")
        bar = story.bar()
        assert bar is not None
        shown.print(bar)

    (line,) = output.getvalue().splitlines()
    assert line.startswith("år 2 av 4 ")
    assert "2032-03-01 Månadsuppföljning" in line
    assert len(line) <= width
    assert story.bar() is None  # gone after the block


def test_the_year_counts_the_budget_years_from_the_first_to_the_last() -> None:
    """Before the first budget year it is year 1; after the last it stays the last."""
    story = narrator(None)
    seen = []
    for day in (date(2030, 6, 10), date(2031, 1, 1), date(2033, 5, 1), date(2035, 6, 12)):
        story.say(day, "händelse")
        seen.append(story.year_label)

    assert seen == ["år 1 av 4", "år 1 av 4", "år 3 av 4", "år 4 av 4"]


def test_where_it_broke_off_names_the_year_the_simulated_day_and_the_latest_step() -> None:
    """The account of a failure, even when nothing is shown (--json)."""
    story = narrator(None)
    assert story.whereabouts() == "innan simuleringen kom igång"

    story.say(date(2032, 3, 14), "Kommunstyrelsen beslutar: Verksamhetsplan 2033")

    assert story.whereabouts() == (
        "under år 2 av 4 (budgetår 2032), simulerad dag 2032-03-14, "
        "senast: «Kommunstyrelsen beslutar: Verksamhetsplan 2033»"
    )


def test_a_console_that_is_not_a_terminal_gets_the_lines_and_no_bar() -> None:
    """Piped to a file: only the dated lines, no bar and no control codes."""
    console, output = plain_console(100)
    story = narrator(console)

    with story.showing_progress():
        story.say(date(2031, 1, 1), "Månadsuppföljning 2031-01")
        story.say(date(2031, 2, 1), "Månadsuppföljning 2031-02")

    assert (
        output.getvalue() == "2031-01-01  Månadsuppföljning 2031-01\n2031-02-01  Månadsuppföljning 2031-02\n"
    )


def test_on_a_terminal_the_bar_is_drawn_with_the_lines() -> None:
    """On a terminal the lines are printed and the bar is drawn beneath them."""
    console, output = plain_console(100, terminal=True)
    story = narrator(console, years=2)

    with story.showing_progress():
        story.say(date(2031, 1, 1), "Månadsuppföljning 2031-01")
        console.print(story.bar() or "")

    text = output.getvalue()
    assert "2031-01-01  Månadsuppföljning 2031-01" in text
    assert "år 1 av 2" in text


@pytest.mark.parametrize(("level", "shown"), [(logging.WARNING, False), (logging.DEBUG, True)])
def test_temporal_warnings_stay_out_of_the_story_unless_a_lower_log_level_was_asked_for(
    level: int, shown: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """At the default level the SDK's warnings are not printed among the lines; at debug they are."""
    caplog.set_level(level)
    story = narrator(None)

    with story.showing_progress():
        logging.getLogger("temporalio.core").warning("servern saknar en förmåga")
    logging.getLogger("temporalio.core").warning("efteråt")

    messages = [record.getMessage() for record in caplog.records]
    assert ("servern saknar en förmåga" in messages) is shown
    assert "efteråt" in messages
