"""Swedish messages for pydantic's validation errors: where each one is, and what would be right.

One translator serves every model: the commands, whose field titles are the
command line's option names, and the styrmodell file, whose fields are named by
their TOML keys. The type declared where an error lies says what the value
should be, and an unknown key or value is compared with the known ones, so
that a near miss gets a 'menade du ...?'.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from uuid import UUID

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from lerum_flow.text_safety import printable

Location = tuple[int | str, ...]

# Close enough for 'ks-ordf' to suggest 'ks-ordforande', not for 'okand' to suggest 'kalender'.
_SUGGESTION_CUTOFF = 0.7
# Any other type is an application's own error (PydanticCustomError), already in Swedish.
_PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))
_BOUNDS = {
    "greater_than": ("gt", "större än"),
    "greater_than_equal": ("ge", "minst"),
    "less_than": ("lt", "mindre än"),
    "less_than_equal": ("le", "högst"),
}
_FIXED = {
    "string_too_long": "Får vara högst {max_length} tecken.",
    "too_long": "Får ha högst {max_length} värden.",
    "date_from_datetime_inexact": "Ska vara ett datum utan klockslag, t.ex. 2027-06-15.",
}
# What a value that could not be read should have been, when no declared type says it: a query or
# path parameter of the web API is validated without a model to look the type up in.
_PARSED_AS: dict[str, type] = {
    "date_parsing": date,
    "date_from_datetime_parsing": date,
    "int_parsing": int,
    "int_from_float": int,
    "bool_parsing": bool,
    "uuid_parsing": UUID,
}


@dataclass(frozen=True)
class Wording:
    """What differs with where the values were written, e.g. a TOML file or a command line."""

    # What a text value is called: a TOML file needs it in quotes.
    text: str = "en text"
    # The location of an error in the input as a whole rather than in one field.
    whole: str = "(hela)"


PLAIN = Wording()


def describe_errors(
    error: ValidationError, model: type[BaseModel] | None = None, wording: Wording = PLAIN
) -> list[tuple[str, str]]:
    """Each error as (location, message): the location in the user's names, e.g.
    'befattning[3].under', the message one Swedish sentence saying what would be right."""
    return [_translate(details, model, wording) for details in error.errors()]


def describe_validation_error(
    error: ValidationError, model: type[BaseModel] | None = None
) -> tuple[str, str]:
    """The first field at fault and one message naming every field at fault."""
    return summarise(describe_errors(error, model))


def summarise(problems: list[tuple[str, str]]) -> tuple[str, str]:
    """Problems as (location, message) as one: the first location, and one message naming each."""
    first = problems[0][0] if problems else PLAIN.whole
    return first, " ".join(f"{location}: {message}" for location, message in problems)


def own_rule(error: ValidationError) -> str | None:
    """The rule code of the first error, if an application raised it under its own type
    (e.g. 'styrtecken', 'datum'); None for pydantic's own errors."""
    errors = error.errors()
    if not errors or errors[0]["type"] in _PYDANTIC_ERROR_TYPES:
        return None
    return errors[0]["type"]


def field_label(model: type[BaseModel] | None, location: Location) -> str:
    """The user's name of a field: each key's title on the model where it has one, else the key."""
    return _Path(model, location).label(PLAIN.whole)


def close_match(word: str, known: Iterable[str]) -> str | None:
    """The one of `known` that `word` is most likely a misspelling of, if any is close."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=_SUGGESTION_CUTOFF)
    return close[0] if close else None


class _Path:
    """A location in the input, with the name the user knows and the type declared at each step."""

    def __init__(self, model: type[BaseModel] | None, location: Location) -> None:
        self.names: list[int | str] = []
        # declared[0] is the model itself; None where a step is not declared.
        self.declared: list[Any] = [model]
        annotation: Any = model
        for part in location:
            annotation = _unwrap(annotation)
            name: int | str = part
            if isinstance(part, int):
                annotation = get_args(annotation)[0] if get_origin(annotation) is list else None
            elif _is_model(annotation) and (field := _field_named(annotation, part)) is not None:
                name, annotation = field.title or part, field.annotation
            else:
                annotation = None
            self.names.append(name)
            self.declared.append(annotation)

    def label(self, whole: str) -> str:
        text = ""
        for name in self.names:
            if isinstance(name, int):
                text += f"[{name}]"
            else:
                text += f".{name}" if text else name
        return text or whole

    @property
    def key(self) -> str:
        return str(self.names[-1]) if self.names else ""

    @property
    def expected(self) -> Any:
        return _unwrap(self.declared[-1])

    @property
    def owner(self) -> Any:
        return _unwrap(self.declared[-2]) if len(self.declared) > 1 else None


def _translate(error: ErrorDetails, model: type[BaseModel] | None, wording: Wording) -> tuple[str, str]:
    path = _Path(model, error["loc"])
    return path.label(wording.whole), _message(error, path, wording)


def _message(error: ErrorDetails, path: _Path, wording: Wording) -> str:
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    value = error["input"]
    if kind not in _PYDANTIC_ERROR_TYPES:
        return error["msg"]
    if kind == "missing":
        return f"'{path.key}' saknas; ange {_expected(path.expected, wording, path.key)}."
    if kind == "extra_forbidden":
        return _unknown_key(path)
    if kind in ("enum", "literal_error"):
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = _did_you_mean(value, allowed)
        return f"{_show(value)} är inte tillåtet; {hint}välj ett av: {', '.join(allowed)}."
    if kind in _BOUNDS:
        bound, words = _BOUNDS[kind]
        return f"Ska vara {words} {ctx.get(bound)}, inte {_show(value)}."
    if kind in _FIXED:
        return _FIXED[kind].format_map(ctx)
    if kind == "string_too_short":
        return "Får inte vara tomt."
    if kind == "too_short":
        return f"Får inte vara tom; ange minst {ctx.get('min_length')}."
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} har fel form: bara bokstäver a–z, siffror och '-', '_', '.', utan mellanslag."
    if kind.endswith(("_type", "_parsing")) or kind in _PARSED_AS:
        expected = path.expected if path.expected is not None else _PARSED_AS.get(kind)
        return f"Ska vara {_expected(expected, wording, path.key)}, inte {_kind_of(value)}."
    return f"Ogiltigt värde {_show(value)} ({kind})."


def _unknown_key(path: _Path) -> str:
    owner = path.owner
    # A key is written as its alias where it has one (the web API's 'part-of').
    allowed = [f.alias or name for name, f in owner.model_fields.items()] if _is_model(owner) else []
    if not allowed:
        return f"Okänd nyckel '{path.key}'."
    hint = _did_you_mean(path.key, allowed)
    return f"Okänd nyckel '{path.key}'; {hint}tillåtna nycklar här: {', '.join(allowed)}."


def _did_you_mean(value: object, known: list[str]) -> str:
    close = close_match(value, known) if isinstance(value, str) else None
    return f"menade du '{close}'? " if close else ""


def _unwrap(annotation: Any) -> Any:
    """The type itself, without Annotated metadata or the `| None` of an optional key."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            present = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(present) != 1:
                return annotation
            annotation = present[0]
        else:
            return annotation


def _field_named(model: type[BaseModel], key: str) -> FieldInfo | None:
    """The field `key` names, by its name or by its alias (the key the input was written with)."""
    if key in model.model_fields:
        return model.model_fields[key]
    return next((f for f in model.model_fields.values() if f.alias == key), None)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _expected(annotation: Any, wording: Wording, key: str = "") -> str:
    """In words, a value of the declared type, e.g. 'ett heltal'."""
    if _is_model(annotation):
        return f"en tabell med nycklarna {', '.join(annotation.model_fields)}"
    if get_origin(annotation) is list:
        item = _unwrap(get_args(annotation)[0])
        if _is_model(item) and key:
            return f"en lista av tabeller, [[{key}]], med nycklarna {', '.join(item.model_fields)}"
        return f"en lista [...] där varje värde är {_expected(item, wording)}"
    if get_origin(annotation) is Literal:
        return "ett av värdena " + ", ".join(f"'{arg}'" for arg in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "ett av värdena " + ", ".join(f"'{member.value}'" for member in annotation)
    named = {
        bool: "true eller false",
        int: "ett heltal",
        str: wording.text,
        date: "ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2027-06-15",
        UUID: "ett id (UUID) som skrevs ut när posten skapades, t.ex. 3f2c9a1e-...",
    }
    return named.get(annotation, "ett giltigt värde")


def _kind_of(value: object) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return f"ett sanningsvärde ({_show(value)})"
    if isinstance(value, int | float | str):
        name = {int: "ett heltal", float: "ett decimaltal"}.get(type(value), "en text")
        return f"{name} ({_show(value)})"
    if isinstance(value, date | datetime | time):
        return f"ett datum eller klockslag ({value.isoformat()})"
    return _show(value)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Echoed to a terminal: a control character in it must not act there.
        shown = printable(value, keep_line_breaks=False)
        return f"'{shown[:40]}…'" if len(shown) > 40 else f"'{shown}'"
    if isinstance(value, int) and abs(value) > 10**15:
        # str() of a huge int raises ValueError (the 4300 digit limit).
        return "ett mycket stort tal"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "en lista"
    if isinstance(value, dict):
        return "en tabell"
    return f"ett värde av typen {type(value).__name__}"
