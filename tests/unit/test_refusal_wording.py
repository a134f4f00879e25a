"""A refusal names the fields in its message neutrally, for each door to word its own way: the
domain never writes a command-line option, which the web and the API would show as it stands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from lerum_flow.domain.errors import InvalidInput, field_named

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "lerum_flow" / "domain"
OPTION = re.compile(r"(?<![\w-])--[a-z]")


def test_a_field_named_in_a_message_is_its_key_unless_a_door_words_it() -> None:
    """`message` says 'beslut' (as the API and JSON answers), `worded` as the door names it."""
    refusal = InvalidInput(f"Ange {field_named('beslut')} eller {field_named('part-of')}.", field="beslut")

    assert refusal.message == "Ange 'beslut' eller 'part-of'."
    assert str(refusal) == refusal.message
    assert refusal.worded(lambda key: f"--{key}") == "Ange --beslut eller --part-of."


def test_no_domain_text_names_a_command_line_option() -> None:
    """Every string the domain writes is free of '--option': fields are named with `field_named`."""
    found = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for path in sorted(DOMAIN.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and OPTION.search(node.value)
    ]
    assert found == []
