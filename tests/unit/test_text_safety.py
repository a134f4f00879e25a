"""The character rule: what a one-line and a multi-line text may hold, what every command field
refuses, and how a stored text is shown safely."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from unit.command_fields import is_list, text_fields

from lerum_flow import commands as c
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.styrmodell import Styrmodell, default_styrmodell
from lerum_flow.text_safety import first_unsafe, printable

# (character, what it is): each refused in every text.
REFUSED_EVERYWHERE = [
    ("\x00", "NUL"),
    ("\x07", "BEL"),
    ("\x08", "backspace"),
    ("\x0b", "vertical tab"),
    ("\x0c", "form feed"),
    ("\r", "lone carriage return"),
    ("\x1b", "ESC, starts terminal sequences"),
    ("\x7f", "DEL"),
    ("\x85", "C1 next line"),
    ("\x9b", "C1 control sequence introducer"),
    ("\u202a", "left-to-right embedding"),
    ("\u202b", "right-to-left embedding"),
    ("\u202c", "pop directional formatting"),
    ("\u202d", "left-to-right override"),
    ("\u202e", "right-to-left override"),
    ("\u2066", "left-to-right isolate"),
    ("\u2067", "right-to-left isolate"),
    ("\u2068", "first strong isolate"),
    ("\u2069", "pop directional isolate"),
    ("\u200e", "left-to-right mark"),
    ("\u200f", "right-to-left mark"),
    ("\u061c", "arabic letter mark"),
    ("\u200b", "zero width space"),
    ("\u00ad", "soft hyphen"),
    ("\u2060", "word joiner"),
    ("\ufeff", "byte order mark"),
    ("\U000e0041", "tag latin capital letter a"),
    ("\u2028", "line separator"),
    ("\u2029", "paragraph separator"),
    ("\udcff", "lone surrogate from an undecodable byte"),
    ("\ufdd0", "noncharacter"),
    ("\uffff", "noncharacter"),
    ("\U0010fffe", "noncharacter"),
]
# Refused in one-line texts only.
LINE_BREAKS = [("\n", "newline"), ("\t", "tab")]
# Accepted everywhere, although str.isprintable() says no to some.
ACCEPTED = [
    ("a", "letter"),
    ("å", "swedish letter"),
    ("§", "section sign"),
    (" ", "space"),
    ("\u00a0", "no-break space"),
    ("\u3000", "ideographic space"),
    ("\u200c", "zero width non-joiner"),
    ("\u200d", "zero width joiner"),
    ("\ufe0f", "emoji variation selector"),
    ("\u0301", "combining acute accent"),
    ("\ue000", "private use"),
    ("\U0001fae8", "emoji newer than this Python's Unicode tables"),
    ("🚒", "emoji"),
]


def _ids(table: list[tuple[str, str]]) -> list[str]:
    return [name for _, name in table]


@pytest.mark.parametrize("multiline", [False, True], ids=["one-line", "multi-line"])
@pytest.mark.parametrize(("character", "name"), REFUSED_EVERYWHERE, ids=_ids(REFUSED_EVERYWHERE))
def test_control_and_format_characters_are_refused_in_every_text(
    character: str, name: str, multiline: bool
) -> None:
    """The character is found, with its code point and its place counted from 1."""
    found = first_unsafe(f"ab{character}c", multiline=multiline)

    assert found is not None, name
    assert (found.character, found.position) == (character, 3)
    assert f"U+{ord(character):04X} på plats 3" in found.message()


@pytest.mark.parametrize(("character", "name"), LINE_BREAKS, ids=_ids(LINE_BREAKS))
def test_newline_and_tab_are_refused_on_one_line_and_allowed_in_long_text(character: str, name: str) -> None:
    """A title is one line; a description may have several lines and tabs."""
    one_line = first_unsafe(f"a{character}b", multiline=False)

    assert one_line is not None
    assert "skriv allt på en rad" in one_line.message()
    assert first_unsafe(f"a{character}b", multiline=True) is None


@pytest.mark.parametrize(("character", "name"), ACCEPTED, ids=_ids(ACCEPTED))
def test_letters_spaces_joiners_and_private_use_are_accepted(character: str, name: str) -> None:
    """Nothing that cannot move, hide or rewrite other text is refused."""
    assert first_unsafe(f"a{character}b", multiline=False) is None


def test_the_message_names_the_kind_of_character_in_swedish() -> None:
    """The person who typed it learns what it was, not only its number."""
    bidi = first_unsafe("x\u202e", multiline=False)
    escape = first_unsafe("x\x1b[31m", multiline=False)
    carriage_return = first_unsafe("x\ry", multiline=True)

    assert bidi is not None
    assert "styrtecken för skrivriktning (U+202E" in bidi.message()
    assert escape is not None
    assert "styrtecknet ESC (U+001B" in escape.message()
    assert carriage_return is not None
    assert "vagnretur (CR)" in carriage_return.message()


# --- every free-text field of every command ---------------------------------------------------

MULTI_LINE_FIELDS = {"reason", "text", "comment", "description", "conditions", "action", "resolution"}
# Process commands and bases carry no text a person typed beyond what the base has.
COMMANDS = sorted(
    (
        model
        for model in vars(c).values()
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == c.__name__
    ),
    key=lambda model: model.__name__,
)


TEXT_FIELDS = [(model, name) for model in COMMANDS for name in text_fields(model)]


def _error_at(model: type[BaseModel], name: str, value: object) -> dict[str, Any] | None:
    """The validation error of field `name` when it is given `value`, if any."""
    given_value = [value] if is_list(model.model_fields[name].annotation) else value
    try:
        model.model_validate({name: given_value})
    except ValidationError as error:
        for details in error.errors():
            if details["loc"][0] == name:
                return dict(details)
    return None


def test_every_command_has_text_fields_to_check() -> None:
    """The table below covers the commands (a guard against an empty parametrisation)."""
    assert len(TEXT_FIELDS) > 60
    assert {name for _, name in TEXT_FIELDS} >= MULTI_LINE_FIELDS | {"title", "diarienummer", "paragraf"}


@pytest.mark.parametrize(
    ("model", "name"), TEXT_FIELDS, ids=[f"{model.__name__}.{name}" for model, name in TEXT_FIELDS]
)
def test_every_text_field_of_every_command_refuses_control_characters(
    model: type[BaseModel], name: str
) -> None:
    """A right-to-left override is refused in each field with the rule 'styrtecken'; a newline
    only in one-line fields."""
    bidi = _error_at(model, name, "ok\u202eko")
    newline = _error_at(model, name, "rad ett\nrad två")

    assert bidi is not None, "not refused"
    assert bidi["type"] == "styrtecken", bidi
    assert "U+202E" in bidi["msg"]
    if name in MULTI_LINE_FIELDS:
        assert newline is None, newline
    else:
        assert newline is not None
        assert newline["type"] == "styrtecken", newline


def test_a_refused_command_names_the_field_and_the_rule() -> None:
    """parse_command turns the character rule into a refusal naming the option and 'styrtecken'."""
    with pytest.raises(InvalidInput) as refusal:
        c.parse_command(
            c.ReportAvvikelse,
            actor="ks",
            person="p-1",
            subject_kind="handelse",
            subject_ref="x",
            severity="avvikelse",
            category="ekonomi",
            description="Ett\x1b[2Jfel",
            occurred_on="2027-01-01",
        )

    assert (refusal.value.field, refusal.value.rule) == ("description", "styrtecken")
    assert refusal.value.message.startswith("description: Innehåller styrtecknet ESC (U+001B på plats 4).")


# --- the styrmodell file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("kommun", "namn"), "Lerum\u202e"),
        (("befattning", 0, "namn"), "Kommun\x1bfullmäktige"),
        (("befattning", 0, "namn"), "Kommun-\nfullmäktige"),
        (("bedomningsskala", 0, "namn"), "Upp\u200bfyllt"),
    ],
    ids=["kommun-bidi", "befattning-escape", "befattning-newline", "bedomning-zero-width"],
)
def test_names_in_the_styrmodell_file_pass_the_same_character_rule(path: tuple[Any, ...], value: str) -> None:
    """A name from the file is shown like any typed text, so it is refused the same way."""
    data = default_styrmodell().model_dump(mode="json")
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value

    with pytest.raises(ValidationError) as raised:
        Styrmodell.model_validate(data)

    assert [e["type"] for e in raised.value.errors()] == ["styrtecken"]


# --- showing stored text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("Budget\u202e2027", "Budget\\u202e2027"),
        ("\x1b[2Jrensad", "\\x1b[2Jrensad"),
        ("rad\rskriven över", "rad\\x0dskriven över"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("trasig \udcff", "trasig \\udcff"),
        ("två\nrader\toch tabb", "två\nrader\toch tabb"),
        ("Åsa Öberg 🚒 § 5", "Åsa Öberg 🚒 § 5"),
    ],
    ids=["bidi", "escape", "carriage-return", "tag", "surrogate", "line-breaks-kept", "plain"],
)
def test_printable_shows_each_refused_character_as_a_visible_escape(stored: str, shown: str) -> None:
    """Older records and imports are shown with escapes instead of acting on the terminal."""
    assert printable(stored) == shown


def test_printable_on_one_line_escapes_newlines_and_tabs_too() -> None:
    """For a cell that must stay one line, a newline is shown as \\x0a."""
    assert printable("a\nb\tc", keep_line_breaks=False) == "a\\x0ab\\x09c"


@given(st.text(st.characters(exclude_categories=())))
def test_printable_text_is_always_accepted_and_safe_text_is_unchanged(text: str) -> None:
    """Whatever is stored, what printable gives passes the rule; text that passed is shown as it is."""
    shown = printable(text)

    assert first_unsafe(shown, multiline=True) is None
    shown.encode("utf-8")  # a lone surrogate would make printing itself fail
    if first_unsafe(text, multiline=True) is None:
        assert shown == text
