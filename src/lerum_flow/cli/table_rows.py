"""The rows of a `Grid` laid out line by line as Rich's table lays them out, at a fraction of its cost.

Rich measures, wraps and pads every cell through its whole rendering machinery; for the
tens of thousands of rows of `audit as-of` that was most of the command's time (issue 14).
Here a cell is measured once, a line that fits is only padded, and only a line too long for
its column goes through Rich's own wrapping, so the characters are the same as Rich's table.
Without colours (a pipe or a file) each line is written as one plain segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.console import Console, JustifyMethod
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.text import Text

# The control characters Text drops (rich.control.strip_control_codes): a search for them is
# cheaper than the translation of every cell.
_STRIPPED = re.compile("[\x07\x08\x0b\x0c\x0d]")


# Whitespace at the end of a line, as Text.rstrip_end finds it.
_TRAILING_SPACE = re.compile(r"\s+$")


class CellText:
    """A cell (Rich markup or Text), with its lines and their widths measured once.

    Markup without tags or emoji codes is its own text: it is made a Text only when printed
    in colour or wrapped, which spares most cells of a long table Rich's parsing."""

    __slots__ = ("_markup", "_text", "lines", "sizes", "width")

    def __init__(self, cell: str | Text) -> None:
        self._markup = ""
        self._text: Text | None = None
        if isinstance(cell, Text):
            self._text = cell
            plain = cell.plain
        elif "[" in cell or ":" in cell:
            # Emoji codes (':smile:') need colons: without one Rich's search for them is skipped.
            self._text = Text.from_markup(cell, emoji=":" in cell)
            plain = self._text.plain
        else:
            self._markup = cell
            plain = strip_control_codes(cell) if _STRIPPED.search(cell) else cell
        if "\n" in plain:
            self.lines = plain.split("\n")
            self.sizes = [_cells(line) for line in self.lines]
            self.width = max(self.sizes)
        else:
            self.lines = [plain]
            self.width = _cells(plain)
            self.sizes = [self.width]

    @property
    def text(self) -> Text:
        if self._text is None:
            # What Text.from_markup makes of markup without tags or emoji codes.
            self._text = Text(self._markup)
        return self._text


def _cells(line: str) -> int:
    """The line's width on a terminal: printable ASCII is as wide as it is long, which is
    much cheaper to know than measuring the line the terminal's way."""
    return len(line) if line.isascii() and line.isprintable() else cell_len(line)


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """How a column's cells are fitted: wrapped or kept on one line, and to which side."""

    width: int
    no_wrap: bool
    justify: JustifyMethod


def laid_out_rows(
    console: Console, columns: Sequence[ColumnLayout], rows: Iterable[Sequence[CellText]], gap: int
) -> Iterator[Segment]:
    """The rows as Rich renders a table without edges: each cell's lines fitted to its column,
    top-aligned with blank lines below, `gap` spaces between the columns."""
    if console.color_system is None:
        # Without colours only the characters count: a row is one plain segment.
        between = " " * gap
        plain_blanks = [" " * column.width for column in columns]
        for row in rows:
            plain = [_plain_lines(console, cell, column) for cell, column in zip(row, columns, strict=True)]
            height = max(len(lines) for lines in plain)
            yield Segment(
                "".join(
                    between.join(
                        lines[n] if n < len(lines) else plain_blanks[i] for i, lines in enumerate(plain)
                    )
                    + "\n"
                    for n in range(height)
                )
            )
        return
    blanks = [[Segment(" " * column.width)] for column in columns]
    divider = Segment(" " * gap)
    new_line = Segment.line()
    for row in rows:
        styled = [_styled_lines(console, cell, column) for cell, column in zip(row, columns, strict=True)]
        for n in range(max(len(lines) for lines in styled)):
            for index, lines in enumerate(styled):
                if index:
                    yield divider
                yield from lines[n] if n < len(lines) else blanks[index]
            yield new_line


def _fits(line: str, size: int, column: ColumnLayout) -> bool:
    """Whether Rich would only pad the line: it fits and has nothing to expand or strip."""
    return size <= column.width and "\t" not in line and not line[-1:].isspace()


def _wrapped(text: Text, console: Console, column: ColumnLayout) -> Iterator[tuple[Text, int]]:
    """Rich's own wrapping, folding and justifying of a line too long for the column, each part
    with the spaces it still needs."""
    for part in text.wrap(
        console, column.width, justify=column.justify, overflow="fold", no_wrap=column.no_wrap
    ):
        yield part, column.width - cell_len(part.plain)


def _plain_lines(console: Console, cell: CellText, column: ColumnLayout) -> list[str]:
    """The cell's lines, each exactly as wide as the column."""
    found: list[str] = []
    for line, size in zip(cell.lines, cell.sizes, strict=True):
        if _fits(line, size, column):
            pad = " " * (column.width - size)
            found.append(pad + line if column.justify == "right" else line + pad)
        elif "\t" in line:
            found += [part.plain + " " * pad for part, pad in _wrapped(Text(line), console, column)]
        else:
            found += _plain_wrapped(line, column)
    return found


def _plain_wrapped(line: str, column: ColumnLayout) -> list[str]:
    """What `Text.wrap` (rich 15, pinned) makes of a line without tabs, folding long words and
    justifying to the column, as plain strings: the same steps without a Text for each piece."""
    width = column.width
    if column.no_wrap:
        parts = [line]
    else:
        bounds = [0, *divide_line(line, width, fold=True), len(line)]
        parts = [_without_spaces_beyond(line[start:end], width) for start, end in pairwise(bounds)]
    found = []
    for part in parts:
        if column.justify == "right":
            part = part.rstrip()
        size = _cells(part)
        if size > width:
            part, size = set_cell_size(part, width), width
        pad = " " * (width - size)
        found.append(pad + part if column.justify == "right" else part + pad)
    return found


def _without_spaces_beyond(part: str, width: int) -> str:
    """`Text.rstrip_end`: the trailing whitespace that lies beyond `width` characters dropped."""
    excess = len(part) - width
    trailing = _TRAILING_SPACE.search(part) if excess > 0 else None
    if trailing is None:
        return part
    return part[: len(part) - min(len(trailing.group(0)), excess)]


def _styled_lines(console: Console, cell: CellText, column: ColumnLayout) -> list[list[Segment]]:
    """The cell's lines as segments in their styles, each exactly as wide as the column."""
    pieces = cell.text.split("\n", allow_blank=True) if len(cell.lines) > 1 else [cell.text]
    found: list[list[Segment]] = []
    for line, size, piece in zip(cell.lines, cell.sizes, pieces, strict=True):
        if _fits(line, size, column):
            pad = [Segment(" " * (column.width - size))]
            segments = list(piece.render(console))
            found.append([*pad, *segments] if column.justify == "right" else [*segments, *pad])
        else:
            found += [
                [*part.render(console), Segment(" " * pad)] for part, pad in _wrapped(piece, console, column)
            ]
    return found
