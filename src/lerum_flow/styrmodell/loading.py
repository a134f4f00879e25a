"""Reading a styrmodell file and reporting everything wrong with it, in Swedish.

Every way a file can be wrong (unreadable, not UTF-8, broken TOML, a value of
the wrong type, a reference to a befattning that does not exist) ends as one
`StyrmodellInvalid` listing all problems found, so whoever edits the file can
fix it in one round instead of one error at a time.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from lerum_flow.styrmodell.file_order import in_file_order
from lerum_flow.styrmodell.model import Styrmodell
from lerum_flow.styrmodell.problems import Problem, StyrmodellInvalid
from lerum_flow.styrmodell.reading import parse_toml, read_text
from lerum_flow.styrmodell.references import consistency_problems
from lerum_flow.styrmodell.salvage import Parts
from lerum_flow.validation_messages import Wording, describe_errors

__all__ = [
    "Problem",
    "StyrmodellInvalid",
    "default_styrmodell",
    "load_styrmodell",
    "parse_styrmodell",
    "shipped_styrmodell_path",
    "template_text",
    "validate_styrmodell_file",
]

_MODELLER = Path(__file__).parent / "modeller"
_TEMPLATE = Path(__file__).parent / "mall" / "styrmodell.toml"
_SECTIONS = list(Styrmodell.model_fields)
# In TOML a text value needs its quotes, and the whole input is a file.
_TOML = Wording(text="en text inom citattecken", whole="(hela filen)")


def load_styrmodell(path: Path) -> Styrmodell:
    """The styrmodell in a TOML file, or StyrmodellInvalid listing every problem in it, in the
    order of the file, each with its line and column."""
    text = read_text(path)
    data = parse_toml(text)
    try:
        return parse_styrmodell(data)
    except StyrmodellInvalid as invalid:
        raise StyrmodellInvalid(in_file_order(invalid.problems, text, data)) from None


def validate_styrmodell_file(path: Path) -> list[Problem]:
    """Every problem in a styrmodell file; an empty list means it can be used."""
    try:
        load_styrmodell(path)
    except StyrmodellInvalid as invalid:
        return invalid.problems
    return []


def parse_styrmodell(data: object) -> Styrmodell:
    """A styrmodell from already-read data (a TOML document as a dict), fully checked; its problems
    come section by section (the data holds no lines to order them by)."""
    model: Styrmodell | None = None
    problems: list[Problem] = []
    try:
        model = Styrmodell.model_validate(data)
    except ValidationError as error:
        problems = [Problem(*described) for described in describe_errors(error, Styrmodell, _TOML)]
    # Cross references are checked even when some values are broken, on the
    # parts that are whole, so one round of editing can fix everything.
    problems += consistency_problems(Parts.salvaged(data))
    if problems or model is None:
        raise StyrmodellInvalid(_by_section(problems))
    return model


def shipped_styrmodell_path(name: str = "lerum") -> Path:
    """The file of a styrmodell shipped with the engine, e.g. 'lerum' or 'norrvik'."""
    if name not in _shipped_names():
        raise StyrmodellInvalid(
            [
                Problem(
                    "modell",
                    f"Det finns ingen medföljande styrmodell '{name}'; "
                    f"välj en av: {', '.join(_shipped_names())}.",
                )
            ]
        )
    return _MODELLER / f"{name}.toml"


def template_text() -> str:
    """A commented styrmodell to fill in (`styrmodell init`); valid as it is."""
    return _TEMPLATE.read_text(encoding="utf-8")


@cache
def default_styrmodell() -> Styrmodell:
    """Lerum's styrmodell, shipped with the engine and read once."""
    return load_styrmodell(shipped_styrmodell_path("lerum"))


def _shipped_names() -> list[str]:
    return sorted(path.stem for path in _MODELLER.glob("*.toml"))


def _by_section(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=_section_rank)


def _section_rank(problem: Problem) -> int:
    section = re.match(r"[a-z_]+", problem.location)
    if section and section.group() in _SECTIONS:
        return _SECTIONS.index(section.group())
    return len(_SECTIONS)
