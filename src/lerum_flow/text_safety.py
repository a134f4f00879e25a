"""Which characters a text may hold, and how to show a stored text that holds others.

A text a person typed is kept as a public record and shown for decades in
terminals, web pages and exports. Some characters act on the display instead
of being shown: ESC starts a terminal command, a lone carriage return lets the
rest of a line overwrite its start, U+202E shows what follows backwards, and
invisible ones make two identical-looking diarienummer differ. They are refused
when typed (`first_unsafe`) and, in texts stored before this rule or imported,
shown as visible escapes (`printable`).

What is refused and why (Unicode categories as in `unicodedata`):
- Cc, the C0 and C1 control characters and DEL. Newline (LF) and tab are
  allowed in multi-line texts (descriptions, reasons, report texts), never in
  one-line texts (titles, diarienummer, names, codes).
- Cf, format characters: the bidirectional controls (U+202A–U+202E,
  U+2066–U+2069, U+200E, U+200F, U+061C), zero-width space, soft hyphen, BOM,
  the invisible tag characters. Except ZWNJ and ZWJ (U+200C, U+200D), which
  some languages and emoji need to be written correctly.
- Cs, lone surrogates: not text at all; undecodable bytes on a command line
  arrive as these.
- Zl and Zp (U+2028, U+2029): line breaks that are not LF.
- Noncharacters (U+FDD0–U+FDEF and the last two of every plane).
Allowed although `str.isprintable` says otherwise: spaces of every kind (Zs),
private use characters (Co; a font's glyph or a box, they move nothing) and
code points this Python's Unicode tables do not know yet (Cn; newer emoji).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_LINE_BREAK = "\n"
_TAB = "\t"
_ESC = "\x1b"
_CR = "\r"
# Needed to spell some languages (ZWNJ) and to join emoji (ZWJ); they reorder nothing.
_ALLOWED_FORMAT = frozenset("\u200c\u200d")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class UnsafeCharacter:
    """The first character of a text that may not be in it, and where (counting from 1)."""

    character: str
    position: int
    what: str

    @property
    def code_point(self) -> str:
        return code_point(self.character)

    def message(self) -> str:
        """One Swedish sentence for the person who typed it."""
        where = f"{self.code_point} på plats {self.position}"
        if self.character in (_LINE_BREAK, _TAB):
            return f"Får inte innehålla {self.what} ({where}); skriv allt på en rad."
        return (
            f"Innehåller {self.what} ({where}). Sådana tecken kan dölja eller förvränga texten "
            "när den visas och tas inte emot; skriv texten utan det."
        )


def code_point(character: str) -> str:
    """U+XXXX, as Unicode writes a character's number."""
    return f"U+{ord(character):04X}"


def first_unsafe(text: str, *, multiline: bool) -> UnsafeCharacter | None:
    """The first character that may not be in `text`; None if every one may."""
    if text.isprintable():  # the common case, at C speed: nothing below can be in it
        return None
    for index, character in enumerate(text):
        what = _refused(character, multiline=multiline)
        if what is not None:
            return UnsafeCharacter(character, index + 1, what)
    return None


def printable(text: str, *, keep_line_breaks: bool = True) -> str:
    """`text` with every character that may not be typed shown as an escape, e.g. \\x1b or \\u202e.

    For showing stored text to people: nothing in it can then act on the
    terminal or the page. Newlines and tabs are kept unless `keep_line_breaks`
    is false (for a text shown on one line). A backslash is shown as it is,
    so a text that really holds the six characters `\\u202e` looks the same as
    one escaped here: the record itself tells them apart.
    """
    if text.isprintable():
        return text
    multiline = keep_line_breaks
    return "".join(
        _escape(character) if _refused(character, multiline=multiline) else character for character in text
    )


def _refused(character: str, *, multiline: bool) -> str | None:
    """What the character is, in Swedish, if it may not be typed; None if it may."""
    if character in (_LINE_BREAK, _TAB):
        if multiline:
            return None
        return "radbrytningar" if character == _LINE_BREAK else "tabbtecken"
    if character.isprintable():
        return None
    category = unicodedata.category(character)
    if category == "Cc":
        return _control(character)
    if category == "Cf":
        if character in _ALLOWED_FORMAT:
            return None
        if character in _BIDI:
            return "ett styrtecken för skrivriktning"
        return "ett osynligt formattecken"
    if category == "Cs":
        return "ett ogiltigt tecken, troligen från fel teckenkodning"
    if category in ("Zl", "Zp"):
        return "en radavgränsare som inte är en vanlig radbrytning"
    if _is_noncharacter(character):
        return "ett icke-tecken"
    return None


def _control(character: str) -> str:
    if character == _ESC:
        return "styrtecknet ESC"
    if character == _CR:
        return "en vagnretur (CR) utan radbrytning"
    if character == "\x00":
        return "nolltecknet NUL"
    return "ett styrtecken"


def _is_noncharacter(character: str) -> bool:
    number = ord(character)
    return 0xFDD0 <= number <= 0xFDEF or (number & 0xFFFE) == 0xFFFE


def _escape(character: str) -> str:
    number = ord(character)
    if number <= 0xFF:
        return f"\\x{number:02x}"
    if number <= 0xFFFF:
        return f"\\u{number:04x}"
    return f"\\U{number:08x}"
