"""The problems of a styrmodell file in the order of the file, each with its line, column and block.

A problem's location is a key path ('befattning[3].under'). Its place is where
that key is written, or, for a key that is missing, where the table it belongs
in begins; its block is the named item or table it lies in ("befattning
'ks-au'"), so that a person finds it by the name they wrote as well as by line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from lerum_flow.styrmodell.positions import KeyPath, key_places, place_of
from lerum_flow.styrmodell.problems import Problem

_KEY_PATH = re.compile(r"[a-z_]+(?:\.[a-z_]+|\[\d+\])*")
_STEP = re.compile(r"([a-z_]+)|\[(\d+)\]")
# The keys that name an item of a list, in the order they are looked for.
_NAME_KEYS = ("id", "kod", "slag")


def in_file_order(problems: Sequence[Problem], text: str, data: Mapping[str, Any]) -> list[Problem]:
    """The problems placed in `text` (a file tomllib read as `data`), sorted by line and column.

    Problems without a place in the file (a missing section, the file as a
    whole) keep their order and come last: there is no line to point at.
    """
    places = key_places(text)
    placed: list[Problem] = []
    for problem in problems:
        path = key_path(problem.location)
        if path is None or problem.line is not None:
            placed.append(problem)
            continue
        place = place_of(path, places)
        line, column = place if place is not None else (None, None)
        placed.append(replace(problem, line=line, column=column, block=block_name(path, data)))
    return sorted(placed, key=lambda p: (p.line is None, p.line or 0, p.column or 0))


def key_path(location: str) -> KeyPath | None:
    """'befattning[3].under' as ('befattning', 3, 'under'); None for a location that is no key path."""
    if not _KEY_PATH.fullmatch(location):
        return None
    return tuple(int(index) if index else key for key, index in _STEP.findall(location))


def block_name(path: KeyPath, data: Mapping[str, Any]) -> str:
    """The item or table `path` lies in: the innermost list item by its name, else the innermost table."""
    node: Any = data
    keys: list[str] = []
    table = ""
    named = ""
    for step in path[:-1] if len(path) > 1 else ():
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                break
            node = node[step]
            name = _item_name(node)
            named = f"{'.'.join(keys)} '{name}'" if name else named
        else:
            if not isinstance(node, dict) or step not in node:
                break
            node = node[step]
            keys.append(step)
            table = ".".join(keys) if isinstance(node, dict) else table
    if isinstance(path[-1], int) and len(path) > 1 and isinstance(node, list) and path[-1] < len(node):
        # The path is a list item itself: it is its own block when it has a name.
        name = _item_name(node[path[-1]])
        named = f"{'.'.join(keys)} '{name}'" if name else named
    return named or table


def _item_name(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    return next((item[key] for key in _NAME_KEYS if isinstance(item.get(key), str) and item[key]), "")
