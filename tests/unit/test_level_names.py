"""A level (a kind of position) is named in Swedish, in the plural where several positions stand at it."""

from __future__ import annotations

from lerum_flow.level_names import level_name


def test_a_level_is_named_in_the_singular_for_one_holder_and_the_plural_for_several() -> None:
    assert level_name("sektorschef") == "Sektorschef"
    assert level_name("sektorschef", holders=5) == "Sektorschefer"
    assert level_name("forvaltningschef", holders=1) == "Förvaltningschef"


def test_an_unknown_level_is_named_as_unknown() -> None:
    assert level_name("okand") == "Okänd nivå"
