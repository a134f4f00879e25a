"""Where keys are written in a TOML file: what gives a styrmodell's problems their line and column."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lerum_flow.styrmodell import shipped_styrmodell_path
from lerum_flow.styrmodell.file_order import block_name, key_path
from lerum_flow.styrmodell.positions import KeyPath, key_places, place_of

TRICKY = '''\
# [inte en tabell] = "inte heller en nyckel"
titel = "med # och ] och { i"   # kommentar [x]
"citerad.nyckel" = 1
'bokstavlig' = 'C:\\\\sökväg\\\\'
punkt.delad.nyckel = true
datum = 1979-05-27 07:32:00Z
flerrad = """
rad ett "" med citat
\\""" slut """"
bokstavlig_flerrad = \'\'\'
[inte] en tabell\'\'\'\'
lista = [
  1, # kommentar
  [2, 3],
  { a = 1, b = { c = "}" } },
]

[ tabell . "med punkt" ]
x = 1

[[frukt]]
namn = "äpple"

[[frukt.sort]]
namn = "röd"

[[frukt]]
namn = "banan"

[[frukt.sort]]
namn = "gul"
'''


def _paths(value: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def test_every_key_and_item_of_a_tricky_file_has_a_place() -> None:
    """Quoted and dotted keys, strings holding brackets and comment signs, nested arrays of tables."""
    places = key_places(TRICKY)
    assert set(_paths(tomllib.loads(TRICKY))) <= set(places)


@pytest.mark.parametrize(
    ("path", "place"),
    [
        (("titel",), (2, 1)),
        (("citerad.nyckel",), (3, 1)),
        (("punkt", "delad", "nyckel"), (5, 13)),
        (("datum",), (6, 1)),
        (("bokstavlig_flerrad",), (10, 1)),
        (("lista", 1, 0), (14, 4)),
        (("lista", 2, "b", "c"), (15, 18)),
        (("tabell",), (18, 1)),
        (("tabell", "med punkt", "x"), (19, 1)),
        (("frukt", 1), (27, 1)),
        (("frukt", 1, "sort", 0, "namn"), (31, 1)),
    ],
)
def test_a_key_is_placed_where_it_is_written(path: KeyPath, place: tuple[int, int]) -> None:
    """Line and column count from 1, as editors and tomllib's own errors do."""
    assert key_places(TRICKY)[path] == place


@pytest.mark.parametrize("name", ["lerum", "norrvik"])
def test_every_key_of_a_shipped_model_is_placed_at_its_own_name(name: str) -> None:
    """Each key's place is where its name, or its table's header, starts on that line."""
    text = shipped_styrmodell_path(name).read_text(encoding="utf-8")
    places = key_places(text)
    lines = text.splitlines()
    for path in _paths(tomllib.loads(text)):
        line, column = places[path]
        written = lines[line - 1][column - 1 :]
        header = ".".join(str(key) for key in path if isinstance(key, str))
        if isinstance(path[-1], str):
            assert written.startswith((path[-1], f"[{header}]", f"[[{header}]]")), (path, written)


def test_a_missing_key_is_placed_at_its_table() -> None:
    """'namn' missing from the second [[frukt]] points at that item's header."""
    assert place_of(("frukt", 1, "saknas"), key_places(TRICKY)) == (27, 1)


def test_a_location_that_is_no_key_path_is_not_parsed() -> None:
    """Syntax errors and whole-file problems already say where they are, or cannot."""
    assert key_path("befattning[3].under") == ("befattning", 3, "under")
    assert key_path("rad 11, kolumn 26") is None
    assert key_path("(hela filen)") is None


def test_a_block_is_named_by_its_item_or_its_table(tmp_path: Path) -> None:
    """A list item by its id, kod or slag; otherwise the table the key lies in; top level: none."""
    data = {
        "befattning": [{"id": "kf"}, {"namn": "utan id"}],
        "kalender": {"val": {"manad": 9}, "uppfoljningsled": [{"fran": "chef", "till": "ks"}]},
        "okand": 1,
    }
    assert block_name(("befattning", 0, "under"), data) == "befattning 'kf'"
    assert block_name(("befattning", 0), data) == "befattning 'kf'"
    assert block_name(("befattning", 1, "id"), data) == ""
    assert block_name(("kalender", "val", "manad"), data) == "kalender.val"
    assert block_name(("kalender", "uppfoljningsled", 0), data) == "kalender"
    assert block_name(("okand",), data) == ""


# Characters that change how TOML reads the text around them.
_TOML_CHARACTERS = st.sampled_from(list(" \n\t\"'[]{}=.,#abc123-_\\"))


@given(
    edits=st.lists(st.tuples(st.integers(0, len(TRICKY)), st.integers(0, 2), _TOML_CHARACTERS), max_size=3)
)
@settings(max_examples=300, deadline=None)
def test_every_key_of_any_file_tomllib_reads_has_a_place(edits: list[tuple[int, int, str]]) -> None:
    """The tricky file with a few characters put in, taken out or changed: whenever tomllib still reads
    it, every key and item it holds has a place (and placing never fails)."""
    text = list(TRICKY)
    for position, kind, character in edits:
        at = min(position, len(text) - 1)
        if kind == 0:
            text.insert(at, character)
        elif kind == 1:
            del text[at]
        else:
            text[at] = character
    changed = "".join(text)
    try:
        data = tomllib.loads(changed)
    except tomllib.TOMLDecodeError:
        assume(False)
        return
    assert set(_paths(data)) <= set(key_places(changed))
