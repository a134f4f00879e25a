"""The styrmodell file's reference (docs/styrmodell.md) and the template `styrmodell init` writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from lerum_flow.styrmodell import StyrmodellInvalid, parse_styrmodell, template_text
from lerum_flow.styrmodell import model as file_format
from lerum_flow.styrmodell.file_order import in_file_order
from lerum_flow.styrmodell.reading import parse_toml

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "styrmodell.md"
MODELS = [
    value
    for value in vars(file_format).values()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == file_format.__name__
]
# The heading of the section that describes each table of the format (a day and a
# follow-up edge are described where they are used, in the calendar's section).
SECTIONS = {
    "Styrmodell": "Översikt",
    "Kommun": "`[kommun]`",
    "Befattning": "`[[befattning]]`",
    "Bedomningsniva": "`[[bedomningsskala]]`",
    "Beslutsomrade": "`[[beslutsomraden]]`",
    "Dokumenttyp": "`[[dokumenttyper]]`",
    "Allvarlighetsgrad": "`[[allvarlighetsgrader]]`",
    "Eskaleringsniva": "`[[eskalering]]`",
    "Kalender": "`[kalender]`",
    "Dag": "`[kalender]`",
    "Uppfoljningsled": "`[kalender]`",
    "Delarsperiod": "`[kalender]`",
    "Valordning": "`[kalender.val]`",
    "Internkontroll": "`[internkontroll]`",
    "Bolagsrapportering": "`[kalender.namnder]` och `[kalender.bolag]`",
    "Namndrapportering": "`[kalender.namnder]` och `[kalender.bolag]`",
}


def _section(heading: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


@pytest.mark.parametrize("model", [m for m in MODELS if m.model_fields], ids=lambda m: m.__name__)
def test_the_reference_describes_every_key_of_the_file_in_its_table_s_section(model: type[BaseModel]) -> None:
    """Each key of each table of the format is named in that table's section of docs/styrmodell.md."""
    assert model.__name__ in SECTIONS, f"docs/styrmodell.md has no section named for {model.__name__}"
    section = _section(SECTIONS[model.__name__])
    assert [key for key in model.model_fields if f"`{key}`" not in section] == []


def test_the_template_is_a_valid_styrmodell() -> None:
    """What `styrmodell init` writes can be used as it is, before anyone fills it in."""
    model = parse_styrmodell(parse_toml(template_text()))
    assert model.kommun.namn == "Exempelkommun"


def test_problems_without_a_place_in_the_file_come_last() -> None:
    """A section missing from the file has no line; it is listed after the placed problems."""
    text = 'okand = 1\n[kommun]\nkod = "1"\nnamn = "X"\n'
    data = parse_toml(text)
    with pytest.raises(StyrmodellInvalid) as raised:
        parse_styrmodell(data)

    problems = in_file_order(raised.value.problems, text, data)

    placed = [p for p in problems if p.line is not None]
    assert [(p.location, p.line) for p in placed] == [("okand", 1), ("kommun.kod", 3)]
    assert problems[: len(placed)] == placed
    assert "befattning" in [p.location for p in problems[len(placed) :]]
