"""Where each key of a TOML file is written: line and column by key path, so problems can name the place.

tomllib gives values without positions. This is a second pass over a file that
tomllib has already read: it follows tables, arrays of tables, dotted keys,
inline tables and arrays (without deciding what the values are), and notes
where every key, table and list item begins. A path is the key path pydantic
reports an error at, e.g. ('befattning', 3, 'under').
"""

from __future__ import annotations

import re
import tomllib

KeyPath = tuple[str | int, ...]
Place = tuple[int, int]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# A number, boolean, date or time: up to the next separator. A date and a time
# may be separated by one space ("1979-05-27 07:32:00").
_SCALAR = re.compile(r"[^\s,\]\}#]+(?: [0-9]{2}:[^\s,\]\}#]*)?")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.places: dict[KeyPath, Place] = {}
        # How many items each array of tables has so far: [[a]] twice is a[0] and a[1].
        self.counts: dict[KeyPath, int] = {}

    # --- reading -------------------------------------------------------------

    def place(self) -> Place:
        line = self.text.count("\n", 0, self.at) + 1
        return line, self.at - (self.text.rfind("\n", 0, self.at) + 1) + 1

    def peek(self, length: int = 1) -> str:
        return self.text[self.at : self.at + length]

    def skip_blanks(self, *, newlines: bool) -> None:
        """Spaces and tabs, comments, and (inside arrays) line breaks."""
        while self.at < len(self.text):
            char = self.text[self.at]
            if char in " \t" or (newlines and char in "\r\n"):
                self.at += 1
            elif char == "#":
                end = self.text.find("\n", self.at)
                self.at = len(self.text) if end < 0 else end
            else:
                return

    def note(self, path: KeyPath, place: Place) -> None:
        self.places.setdefault(path, place)

    def note_header(self, path: KeyPath, place: Place) -> None:
        """A header is the place of its table and, where not written before, of the tables around it."""
        for end in range(1, len(path) + 1):
            self.note(path[:end], place)

    # --- the document ----------------------------------------------------------

    def document(self) -> dict[KeyPath, Place]:
        table: KeyPath = ()
        while True:
            self.skip_blanks(newlines=True)
            if self.at >= len(self.text):
                return self.places
            if self.peek(2) == "[[":
                table = self.array_table()
            elif self.peek() == "[":
                table = self.table()
            else:
                self.key_value(table)

    def table(self) -> KeyPath:
        place = self.place()
        self.at += 1
        path = self.resolved(self.keys())
        self.at += 1  # ]
        self.note_header(path, place)
        return path

    def array_table(self) -> KeyPath:
        place = self.place()
        self.at += 2
        keys = self.keys()
        self.at += 2  # ]]
        array = (*self.resolved(keys[:-1]), keys[-1])
        index = self.counts.get(array, 0)
        self.counts[array] = index + 1
        self.note_header((*array, index), place)
        return (*array, index)

    def resolved(self, keys: list[str]) -> KeyPath:
        """A header's keys as a path: a key naming an array of tables means its latest item."""
        path: KeyPath = ()
        for key in keys:
            path = (*path, key)
            if path in self.counts:
                path = (*path, self.counts[path] - 1)
        return path

    def key_value(self, table: KeyPath) -> None:
        path = table
        self.skip_blanks(newlines=False)
        for key in self.keys(note_under=table):
            path = (*path, key)
        self.skip_blanks(newlines=False)
        self.at += 1  # =
        self.skip_blanks(newlines=False)
        self.value(path)

    def keys(self, note_under: KeyPath | None = None) -> list[str]:
        """A dotted key; with `note_under`, each part's place is noted under that path."""
        keys: list[str] = []
        while True:
            self.skip_blanks(newlines=False)
            place = self.place()
            keys.append(self.key())
            if note_under is not None:
                self.note((*note_under, *keys), place)
            self.skip_blanks(newlines=False)
            if self.peek() != ".":
                return keys
            self.at += 1

    def key(self) -> str:
        if self.peek() in "\"'":
            start = self.at
            self.string()
            decoded: str = tomllib.loads("k = " + self.text[start : self.at])["k"]
            return decoded
        match = _BARE_KEY.match(self.text, self.at)
        assert match is not None  # tomllib accepted the file
        self.at = match.end()
        return match.group()

    # --- values ------------------------------------------------------------------

    def value(self, path: KeyPath) -> None:
        char = self.peek()
        if char == "{":
            self.inline_table(path)
        elif char == "[":
            self.array(path)
        elif char in "\"'":
            self.string()
        else:
            match = _SCALAR.match(self.text, self.at)
            self.at = match.end() if match else self.at + 1

    def inline_table(self, path: KeyPath) -> None:
        self.at += 1
        while True:
            self.skip_blanks(newlines=False)
            if self.peek() == "}":
                self.at += 1
                return
            if self.peek() == ",":
                self.at += 1
                continue
            self.key_value(path)

    def array(self, path: KeyPath) -> None:
        self.at += 1
        index = 0
        while True:
            self.skip_blanks(newlines=True)
            if self.peek() == "]":
                self.at += 1
                return
            if self.peek() == ",":
                self.at += 1
                continue
            self.note((*path, index), self.place())
            self.value((*path, index))
            index += 1

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            end = (
                self.text.find(quote * 3, self.at + 3) if quote == "'" else self._basic_end(self.at + 3, True)
            )
            self.at = end + 3
            while self.peek() == quote:  # up to two quotes may close the content itself
                self.at += 1
        elif quote == "'":
            self.at = self.text.index("'", self.at + 1) + 1
        else:
            self.at = self._basic_end(self.at + 1, False) + 1

    def _basic_end(self, start: int, multiline: bool) -> int:
        """Where the closing quote(s) of a basic string begin, escapes skipped."""
        closing = '"""' if multiline else '"'
        at = start
        while not self.text.startswith(closing, at):
            at += 2 if self.text[at] == "\\" else 1
        return at


def key_places(text: str) -> dict[KeyPath, Place]:
    """Line and column (both from 1) of every key, table header and list item in a TOML text
    that tomllib accepts; the first place wins where a path is written more than once."""
    return _Scanner(text).document()


def place_of(path: KeyPath, places: dict[KeyPath, Place]) -> Place | None:
    """Where `path` is written, or the nearest enclosing part that is (a missing key: its table)."""
    for end in range(len(path), 0, -1):
        found = places.get(path[:end])
        if found is not None:
            return found
    return None
