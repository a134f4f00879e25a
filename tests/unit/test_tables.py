"""Human tables and text: fitted to 80 columns, control characters made visible, events in Swedish."""

from __future__ import annotations

import inspect

import pytest
from rich.console import Console

from lerum_flow.cli.tables import (
    GAP,
    Grid,
    count,
    date_column,
    id_column,
    number_column,
    safe,
    tag_column,
    text_column,
)
from lerum_flow.domain import avvikelse, befattning, beslut, delegering, uppdrag
from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.event_names import EVENT_NAMES, event_name
from lerum_flow.text_safety import printable

LONG_TEXT = (
    "Nattbemanningen på Solgårdens äldreboende räcker inte när två av tre undersköterskor "
    "är sjuka samtidigt, och vikarier från bemanningspoolen kan inte tas in med kort varsel."
)
FULL_ID = "0c552cf5-7917-52a1-b612-1ca578c6326d"
SHORT_ID = "0c552cf5"


def board_like(rows: int = 3, record_id: str = SHORT_ID) -> Grid:
    grid = Grid(
        "Hos sektorschef-individ-och-familjeomsorg (3)",
        [
            id_column(),
            date_column("Kvittens senast"),
            tag_column("Status"),
            text_column("Beskrivning"),
            tag_column("Rapporterad av", 10),
        ],
    )
    for _ in range(rows):
        grid.add_row(
            record_id,
            "2027-03-15 09:30\nväntat 3 d 4 h",
            "åtgärd beslutad\nstörre",
            safe(LONG_TEXT),
            "enhetschef-solgarden-hemtjanst-nord",
        )
    return grid


def rendered(renderable: object, width: int = 80) -> list[str]:
    console = Console(width=width, record=True, highlight=False)
    console.print(renderable)
    return console.export_text().splitlines()


def test_control_characters_are_written_out_visibly() -> None:
    """ESC, CR, C1 controls and the bidi overrides, isolates and marks become visible escapes."""
    typed = "a\x1b[31mb\rc\x9bd\u202ee\u2066f\u200eg\u061ch\x00i\x7fj"

    shown = printable(typed)

    assert shown == r"a\x1b[31mb\x0dc\x9bd\u202ee\u2066f\u200eg\u061ch\x00i\x7fj"
    assert shown.isprintable()


def test_ordinary_swedish_text_is_left_as_it_is() -> None:
    """Letters, punctuation and symbols users write are not touched; only markup is escaped by safe."""
    text = "Årsredovisning 2027 – § 5, 12 % [utkast] → KS"

    assert printable(text) == text
    assert safe(text) == r"Årsredovisning 2027 – § 5, 12 % \[utkast] → KS"


def test_counts_are_grouped_the_swedish_way_without_breaking() -> None:
    """1234567 reads 1 234 567, with narrow no-break spaces so a cell never splits the number."""
    assert count(1234567) == "1\u202f234\u202f567"
    assert count(12) == "12"


def test_at_80_columns_every_column_keeps_its_minimum_and_ids_their_length() -> None:
    """A long description and a long position shrink; the id and the dates keep their full width."""
    grid = board_like()

    widths = grid.widths(80)

    assert sum(widths) + GAP * (len(widths) - 1) <= 80
    assert widths[0] == len(SHORT_ID)
    assert widths[1] == len("2027-03-15 09:30")
    for column, width in zip(grid.columns, widths, strict=True):
        assert width >= column.minimum, column.header
    assert widths[3] >= 14


def test_a_table_at_80_columns_wraps_text_instead_of_losing_it() -> None:
    """Every line fits in 80 columns, and every word of the description is still there."""
    lines = rendered(board_like())

    assert all(len(line) <= 80 for line in lines)
    text = " ".join(lines)
    for word in LONG_TEXT.split():
        assert word in text
    assert sum(SHORT_ID in line for line in lines) == 3
    assert any("åtgärd beslutad" in line for line in lines)


def test_a_table_narrower_than_its_minimums_shows_each_row_as_a_block() -> None:
    """Full ids do not fit beside the rest in 80 columns: each row is shown as 'Rubrik: värde' lines."""
    lines = rendered(board_like(rows=1, record_id=FULL_ID), width=80)

    assert f"Id: {FULL_ID}" in lines
    assert any(line.startswith("Beskrivning: Nattbemanningen") for line in lines)


def test_a_rows_block_indents_a_wrapped_value_under_its_start() -> None:
    """In a block, a long description's further lines stand under its first word, not at the margin."""
    lines = rendered(board_like(rows=1), width=50)

    start = next(i for i, line in enumerate(lines) if line.startswith("Beskrivning: Nattbemanningen"))
    indent = " " * len("Beskrivning: ")
    further = lines[start + 1 : start + 4]
    assert all(line.startswith(indent) and not line[len(indent)].isspace() for line in further), lines
    assert all(len(line) <= 50 for line in lines)


def test_a_row_given_as_labelled_lines_is_shown_so_where_the_table_is_too_narrow() -> None:
    """A row's own block replaces each header over its cell, so no second line of a cell goes unlabelled."""
    grid = board_like(rows=0)
    grid.add_row(
        SHORT_ID,
        "2027-03-15 09:30\nväntat 3 d 4 h",
        "åtgärd beslutad\nstörre",
        "Kort.",
        "kommundirektor",
        block=[("Id", SHORT_ID), ("Väntat", "3 d 4 h"), ("Allvarlighetsgrad", "större")],
    )

    assert [line for line in rendered(grid, width=40) if line][-3:] == [
        f"Id: {SHORT_ID}",
        "Väntat: 3 d 4 h",
        "Allvarlighetsgrad: större",
    ]
    assert "väntat 3 d 4 h" in "\n".join(rendered(grid, width=80))


def test_a_table_that_fits_is_shown_at_its_natural_width() -> None:
    """Short content is not stretched or wrapped."""
    grid = Grid("Vyer", [tag_column("Vy"), text_column("Namn")])
    grid.add_row("uppdrag_view", "Uppdrag")

    assert grid.widths(80) == [len("uppdrag_view"), len("Uppdrag")]


def test_a_row_with_the_wrong_number_of_cells_is_an_error() -> None:
    """A table built wrong fails where it is built, not as a garbled table."""
    with pytest.raises(ValueError, match="5 columns, 2 cells"):
        board_like(rows=0).add_row("a", "b")


def _event_classes() -> list[type[GovernanceAggregate.Event]]:
    found = []
    for module in (avvikelse, befattning, beslut, delegering, uppdrag):
        for _, aggregate in inspect.getmembers(module, inspect.isclass):
            if issubclass(aggregate, GovernanceAggregate) and aggregate is not GovernanceAggregate:
                for _, member in inspect.getmembers(aggregate, inspect.isclass):
                    # Stored events name their own topic; the bases (Event) and the library's
                    # inherited Created (replaced by Issued, Taken ...) are never stored.
                    stored = "TOPIC" in vars(member) and member.__name__ != "Event"
                    if issubclass(member, GovernanceAggregate.Event) and stored:
                        found.append(member)
    return found


def test_every_event_of_the_domain_has_a_swedish_name() -> None:
    """Each event class in lerum_flow.domain, by its stored topic, has a name in Swedish words."""
    classes = _event_classes()
    topics = {cls.TOPIC for cls in classes}

    assert len(topics) >= 20
    missing = [t for t in topics if t.rpartition(":")[2] not in EVENT_NAMES]
    assert missing == []
    assert all(event_name(t) != t.rpartition(":")[2] for t in topics)


def test_event_names_read_as_swedish_words() -> None:
    """Given as a topic or as Aggregate.Event; an unknown event keeps its own name."""
    assert event_name("lerum_flow:Uppdrag.Issued") == "uppdrag givet"
    assert event_name("Avvikelse.Escalated") == "avvikelse eskalerad"
    assert event_name("Uppdrag.SomethingNew") == "Uppdrag.SomethingNew"


def test_a_wait_is_told_in_days_and_hours_and_never_below_zero() -> None:
    import dataclasses
    from datetime import UTC, datetime, timedelta
    from typing import Any

    from lerum_flow.cli.views import waited
    from lerum_flow.projections.avvikelse import AvvikelseRow, board_by_urgency

    assert waited(timedelta(hours=5, minutes=59)) == "5 h"
    assert waited(timedelta(days=2, hours=3)) == "2 d 3 h"
    # A simulated store's deviations are reported after this machine's today.
    now = datetime(2026, 12, 4, tzinfo=UTC)
    values: dict[str, Any] = {f.name: None for f in dataclasses.fields(AvvikelseRow)}
    values.update(status="kvitterad", level="ks", at_level_since=now + timedelta(days=1500))
    row = AvvikelseRow(**values)
    [(_, [line])] = board_by_urgency([row], now=now, deadline_of=lambda r: None)
    assert waited(line.waited) == "0 h"


def _tricky() -> Grid:
    """Cells that fit, wrap at spaces, fold long words, hold markup, tabs, trailing spaces, blank
    lines and numbers justified right."""
    grid = Grid(
        "Beslut (4)",
        [
            id_column(),
            tag_column("Av", 6),
            text_column("Rubrik"),
            number_column("Antal"),
            date_column("Datum"),
        ],
        caption="[dim]Sida 1[/]",
    )
    grid.add_row(SHORT_ID, "kommundirektor", safe(LONG_TEXT), count(1234567), "2027-03-15")
    grid.add_row("", "ks", "Ord" * 30 + "\n[dim]ovrigt[/] [bold red]ej anmält[/]", "7", "")
    grid.add_row("x", "a\tb  ", "Kort  \n\nmed :smile: och [red]färg[/]", "", "2027-03-15 09:30 och mer")
    grid.add_row("y", "Mellanrum" + " " * 20 + "efter", "x" * 40 + "   \n" + "ord " * 12 + "   ", "12  ", "")
    return grid


@pytest.mark.parametrize("width", [72, 80, 120, 200])
@pytest.mark.parametrize("colour", [False, True])
def test_a_table_lays_out_its_rows_as_richs_own_table_would(width: int, colour: bool) -> None:
    """Character for character (and colour for colour) what a Rich table of the same column widths
    prints: the rows are laid out without Rich's table only because that is faster."""
    grid = _tricky()
    widths = grid.widths(width)
    assert sum(widths) + GAP * (len(widths) - 1) <= width  # a table, not a block per row
    reference = grid.heading(widths)
    for row in grid.rows:
        reference.add_row(*(cell.text for cell in row))
    reference.caption = grid.caption
    reference.caption_justify = "left"

    def printed(renderable: object) -> str:
        console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None)
        with console.capture() as capture:
            console.print(renderable)
        return capture.get()

    assert printed(grid) == printed(reference)
    assert ("\x1b[" in printed(grid)) == colour


def test_a_decisions_title_is_shown_as_recorded_over_its_kind() -> None:
    """Brackets and emoji codes in a title stay as typed; the corrections and the kind are dimmed,
    the kind on its own line."""
    from datetime import UTC, date, datetime
    from uuid import UUID

    from lerum_flow.cli.beslut import beslut_table
    from lerum_flow.cli.ids import IdLabels
    from lerum_flow.projections.beslut import BeslutRow

    stamp = datetime(2027, 1, 1, tzinfo=UTC)
    row = BeslutRow(
        id=UUID(int=1), decided_by="ks", kind="riktlinje", diarienummer="KS 2027/1", paragraf="§ 1",
        title="[utkast] Mål :smile: \x1b[2J", matter="", delegering_id=None, report_to="",
        decided_on=date(2027, 1, 1), reported=False, reported_on=None, minutes_paragraf="", corrections=2,
        recorded_at=stamp, changed_at=stamp, secrecy="", version=1,
    )  # fmt: skip
    console = Console(width=200, force_terminal=True, color_system="standard")
    with console.capture() as capture:
        console.print(beslut_table([row], "Beslut (1)", IdLabels()))
    shown = capture.get()

    assert r"[utkast] Mål :smile: \x1b[2J" in shown
    assert "\x1b[2m(rättat 2 ggr)\x1b[0m" in shown
    assert "\x1b[2mriktlinje\x1b[0m" in shown
