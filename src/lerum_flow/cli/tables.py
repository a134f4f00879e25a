"""Every table a person reads: columns by kind, fitted to the terminal, text made safe to print.

A column is an id, a date, a tag (status, severity, position), a number or free
text. Ids, dates and numbers keep their full width and never wrap; tags keep
their natural width as long as they can and never shrink below a minimum; free
text wraps and takes what is left. So a table stays readable in 80 columns
however long its ids, titles and descriptions are.

Anything a user typed (or an older record, or imported data, holds) is shown
through `printable`, which makes control characters visible instead of letting
the terminal obey them, and through `safe`, which also escapes Rich markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.constrain import Constrain
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lerum_flow.cli.table_rows import CellText, ColumnLayout, laid_out_rows
from lerum_flow.swedish_numbers import number
from lerum_flow.text_safety import printable

if TYPE_CHECKING:
    # Only named: a table of records does not load (and validate) a styrmodell.
    from lerum_flow.styrmodell import Problem


def safe(text: str) -> str:
    """Text for a Rich markup string: control characters made visible and markup escaped."""
    return escape(printable(text))


def count(value: int) -> str:
    """A count as Swedish text writes it, 12 345, with a space that never breaks the number."""
    return number(value)


class Kind(Enum):
    ID = "id"
    DATE = "date"
    NUMBER = "number"
    TAG = "tag"
    TEXT = "text"


# How far each kind of column gives way, in turn, when a table is too wide: text
# first down to a comfortable width, then long tags (position codes) down to a
# width most tags fit, then text down to its minimum, and last tags to theirs.
TEXT_COMFORTABLE = 24
TAG_COMFORTABLE = 16
TAG_MIN_WIDTH = 8
TEXT_MIN_WIDTH = 14
# Between two columns: one space of padding and one of the (invisible) vertical line.
GAP = 2
_FIXED = (Kind.ID, Kind.DATE, Kind.NUMBER)


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind
    min_width: int | None = None

    @property
    def minimum(self) -> int:
        if self.min_width is not None:
            return self.min_width
        return TEXT_MIN_WIDTH if self.kind is Kind.TEXT else TAG_MIN_WIDTH


def id_column(header: str = "Id") -> Column:
    return Column(header, Kind.ID)


def date_column(header: str) -> Column:
    return Column(header, Kind.DATE)


def number_column(header: str) -> Column:
    return Column(header, Kind.NUMBER)


def tag_column(header: str, min_width: int | None = None) -> Column:
    return Column(header, Kind.TAG, min_width)


def text_column(header: str, min_width: int | None = None) -> Column:
    return Column(header, Kind.TEXT, min_width)


Cell = str | Text


class Grid:
    """A table whose column widths are chosen for the width it is printed in.

    Cells are Rich markup (escape what users typed with `safe`) or Text.
    """

    def __init__(self, title: str, columns: Sequence[Column], *, caption: str = "") -> None:
        self.title = title
        self.columns = list(columns)
        self.caption = caption
        self.rows: list[list[CellText]] = []
        # The rows given as labelled lines of their own, by their place in `rows`.
        self.blocks: dict[int, list[tuple[str, CellText]]] = {}

    def add_row(self, *cells: Cell, block: Sequence[tuple[str, Cell]] = ()) -> None:
        """A row, one cell per column. `block` is the row where the table is too narrow for its
        columns, as (label, value) lines: for a row whose cells hold several things each, which
        under one header would leave the second line unlabelled. Else each cell under its header."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(self.columns)} columns, {len(cells)} cells")
        if block:
            self.blocks[len(self.rows)] = [(label, CellText(value)) for label, value in block]
        self.rows.append([CellText(c) for c in cells])

    def widths(self, available: int) -> list[int]:
        """Each column's width (without the gaps) for a table at most `available` wide."""
        room = available - GAP * (len(self.columns) - 1)
        natural = [
            max([cell_len(column.header), *(row[i].width for row in self.rows)])
            for i, column in enumerate(self.columns)
        ]
        widths = list(natural)
        excess = sum(widths) - room
        for kind, floor in (
            (Kind.TEXT, TEXT_COMFORTABLE),
            (Kind.TAG, TAG_COMFORTABLE),
            (Kind.TEXT, 0),
            (Kind.TAG, 0),
        ):
            giving = [i for i, c in enumerate(self.columns) if c.kind is kind]
            excess = _shrink(widths, giving, [max(floor, self.columns[i].minimum) for i in giving], excess)
        return widths

    def heading(self, widths: Sequence[int], *, titled: bool = True) -> Table:
        """The title and the header row as a Rich table of these column widths, without rows:
        those `laid_out_rows` lays out as this table would."""
        table = Table(
            title=(self.title or None) if titled else None,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1, 0, 0),
            header_style="bold",
        )
        for column, width in zip(self.columns, widths, strict=True):
            table.add_column(
                column.header,
                width=width,
                no_wrap=column.kind in _FIXED,
                overflow="fold",
                justify=_justify(column),
            )
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        table_width = sum(widths) + GAP * (len(widths) - 1)
        if table_width <= options.max_width:
            # Rich lays out the title and the header; the rows, thousands in `audit as-of`, are laid
            # out here as Rich's table would, cell by cell, at a fraction of its cost (issue 14).
            # A title wider than a narrow table (a short list) is not folded into its width.
            title_fits = Text.from_markup(self.title).cell_len <= table_width
            if not title_fits:
                yield Text.from_markup(self.title, style="table.title")
            yield self.heading(widths, titled=title_fits)
            layouts = [
                ColumnLayout(width, column.kind in _FIXED, _justify(column))
                for column, width in zip(self.columns, widths, strict=True)
            ]
            yield from laid_out_rows(console, layouts, self.rows, GAP)
            if self.caption:
                caption = Text.from_markup(self.caption, style="table.caption", justify="left")
                yield Constrain(caption, width=table_width)
            return
        # Too narrow even for the minimums: one block per row, rather than ids and dates cut short.
        if self.title:
            yield Text.from_markup(self.title, style="italic")
        for index, row in enumerate(self.rows):
            yield Text()
            headed = [(column.header, cell) for column, cell in zip(self.columns, row, strict=True)]
            for label, cell in self.blocks.get(index, headed):
                yield from _labelled(console, label, cell.text, options.max_width)
        if self.caption:
            yield Text.from_markup(self.caption)


def _labelled(console: Console, label: str, value: Text, width: int) -> Iterator[Text]:
    """'Rubrik: värde' with the value's further lines, its own or wrapped, indented under its start,
    so that none reads as a line of its own; under a label too wide for that, at the margin."""
    head = Text(f"{label}: ", style="bold")
    indent = head.cell_len
    if indent * 2 > width:
        yield Text.assemble(head, value)
        return
    for place, line in enumerate(value.wrap(console, width - indent, overflow="fold")):
        line.rstrip()  # in place: the space a wrap leaves at the end of a line
        yield Text.assemble(head if place == 0 else " " * indent, line)


def _justify(column: Column) -> JustifyMethod:
    return "right" if column.kind is Kind.NUMBER else "left"


def _shrink(widths: list[int], indexes: Sequence[int], minimums: Sequence[int], excess: int) -> int:
    """Take up to `excess` cells, one at a time from the widest of `indexes` still above its minimum;
    return what could not be taken."""
    least = dict(zip(indexes, minimums, strict=True))
    while excess > 0:
        above = [i for i in indexes if widths[i] > least[i]]
        if not above:
            break
        widths[max(above, key=lambda i: widths[i])] -= 1
        excess -= 1
    return excess


def lines(*parts: str) -> str:
    """Several pieces of markup in one cell, one per line (empty ones left out)."""
    return "\n".join(p for p in parts if p)


def problems_table(problems: Iterable[Problem]) -> Grid:
    """Everything wrong with a styrmodell file, in the order of the file."""
    grid = Grid("", [tag_column("Plats", 12), text_column("Problem")])
    for problem in problems:
        block = f"\n[dim]{safe(problem.block)}[/]" if problem.block else ""
        place = problem.place_beside_location
        where = f"[bold]{safe(place)}[/]\n" if place else ""
        grid.add_row(f"{where}[bold]{safe(problem.location)}[/]{block}", safe(problem.message))
    return grid
