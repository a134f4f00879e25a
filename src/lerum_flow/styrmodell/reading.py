"""Reading a styrmodell file into a TOML document, with every reason it cannot be read in Swedish."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from lerum_flow.file_reasons import file_reason
from lerum_flow.styrmodell.problems import Problem, StyrmodellInvalid

_COORDINATES = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"
_SYNTAX_IN_SWEDISH = {
    "Invalid value": 'ogiltigt värde; text ska stå inom citattecken, t.ex. "Kommunstyrelsen"',
    "Invalid statement": "ogiltig rad; väntade 'nyckel = värde', [tabell] eller [[lista]]",
    "Expected '=' after a key": "'=' saknas efter nyckeln; en nyckel utan citattecken får bara "
    "innehålla a–z, A–Z, 0–9, '_' och '-' (inte å, ä, ö)",
    "Expected newline or end of document": "väntade radbrytning efter värdet",
    "Unterminated string": "texten saknar avslutande citattecken",
    # A line break inside "..." is how tomllib reports a missing closing quote.
    "Illegal character '\\n'": "texten saknar avslutande citattecken",
    "Illegal character": "otillåtet tecken i texten",
    "Unclosed array": "listan saknar avslutande ']'",
    "Unclosed inline table": "tabellen saknar avslutande '}'",
    "Cannot overwrite a value": "nyckeln har redan ett värde; ange varje nyckel en gång",
    "Cannot declare": "tabellen är redan deklarerad; ange den en gång",
    "Duplicate inline table key": "nyckeln finns redan i tabellen",
    "Expected ']' at the end": "']' saknas efter tabellens namn",
    "Expected ']]' at the end": "']]' saknas efter listans namn",
    "Invalid initial character for a key": "ogiltigt tecken i början av en nyckel",
    "Invalid date or datetime": "ogiltigt datum",
}


def read_text(path: Path) -> str:
    """The text of a file, or StyrmodellInvalid saying why it cannot be read as UTF-8."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise StyrmodellInvalid([Problem("fil", _unreadable(path, error))]) from None
    try:
        # utf-8-sig: some Windows editors put a byte order mark first.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StyrmodellInvalid([_not_utf8(raw, error.start)]) from None


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML document in a text, or StyrmodellInvalid naming the line and column of the fault."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StyrmodellInvalid([_syntax_problem(str(error), text)]) from None
    except RecursionError:
        raise StyrmodellInvalid(
            [
                Problem(
                    "fil",
                    "Värdena är för djupt nästlade för att läsas; en styrmodell behöver "
                    "bara några nivåer av tabeller och listor.",
                )
            ]
        ) from None


def _unreadable(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"Filen {path} finns inte."
    if isinstance(error, IsADirectoryError):
        return f"{path} är en katalog; ange en TOML-fil."
    if isinstance(error, PermissionError):
        return f"Behörighet saknas att läsa {path}."
    return f"Filen {path} kan inte läsas: {file_reason(error)}."


def _not_utf8(raw: bytes, start: int) -> Problem:
    line = raw.count(b"\n", 0, start) + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    return Problem(
        f"rad {line}, kolumn {column}",
        f"Filen är inte giltig UTF-8 (byte 0x{raw[start]:02x}); spara den som UTF-8.",
        line=line,
        column=column,
    )


def _syntax_problem(message: str, text: str) -> Problem:
    coordinates = _COORDINATES.search(message)
    if coordinates:
        line, column = int(coordinates[1]), int(coordinates[2])
        location = f"rad {line}, kolumn {column}"
        reason = message[: coordinates.start()]
    else:
        line, column = text.count(chr(10)) + 1, 0
        location = f"rad {line} (slutet av filen)"
        reason = message.removesuffix(_AT_END)
    swedish = next((sv for en, sv in _SYNTAX_IN_SWEDISH.items() if reason.startswith(en)), reason)
    return Problem(location, f"TOML-syntaxfel: {swedish}.", line=line, column=column or None)
