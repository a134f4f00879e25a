"""Swedish messages for pydantic validation errors, naming the field as the user knows it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

_MESSAGES: dict[str, str] = {
    "missing": "saknas men krävs",
    "extra_forbidden": "är inte ett känt fält",
    "string_too_short": "får inte vara tomt",
    "string_too_long": "är för långt (högst {max_length} tecken)",
    "string_pattern_mismatch": "har fel form: bara bokstäver a-z, siffror och '-', '_', '.', utan mellanslag",
    "string_type": "ska vara text",
    "int_parsing": "ska vara ett heltal",
    "int_type": "ska vara ett heltal",
    "bool_parsing": "ska vara ja eller nej (true/false)",
    "bool_type": "ska vara ja eller nej (true/false)",
    "date_from_datetime_parsing": "ska vara ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2027-06-15",
    "date_from_datetime_inexact": "ska vara ett datum utan klockslag, t.ex. 2027-06-15",
    "date_parsing": "ska vara ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2027-06-15",
    "date_type": "ska vara ett datum på formen ÅÅÅÅ-MM-DD, t.ex. 2027-06-15",
    "uuid_parsing": "ska vara ett id (UUID), t.ex. 3f2c9a1e-...; se utskriften när posten skapades",
    "uuid_type": "ska vara ett id (UUID)",
    "enum": "ska vara en av: {expected}",
    "literal_error": "ska vara en av: {expected}",
    "too_short": "ska ha minst {min_length} värde(n)",
    "too_long": "får ha högst {max_length} värden",
    "list_type": "ska vara en lista",
    "greater_than": "ska vara större än {gt}",
    "greater_than_equal": "ska vara minst {ge}",
    "less_than_equal": "ska vara högst {le}",
    "dict_type": "ska vara en tabell",
    "model_type": "ska vara en tabell",
}


def field_label(model: type[BaseModel] | None, location: tuple[int | str, ...]) -> str:
    """The user's name of a field: its Swedish title on the model, or the path."""
    if model is not None and len(location) >= 1 and isinstance(location[0], str):
        info = model.model_fields.get(location[0])
        if info is not None and info.title:
            rest = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location[1:])
            return info.title + rest
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "(hela)"


def describe_error(detail: ErrorDetails) -> str:
    template = _MESSAGES.get(detail["type"])
    context: dict[str, Any] = dict(detail.get("ctx") or {})
    if "expected" in context:
        context["expected"] = str(context["expected"]).replace(" or ", " eller ")
    if template is None:
        return f"är ogiltigt ({detail['msg']})"
    try:
        text = template.format(**context)
    except (KeyError, IndexError):
        text = template
    value = detail.get("input")
    if detail["type"] not in {"missing", "extra_forbidden"} and isinstance(value, str | int | float):
        text += f" (angivet: {str(value)[:60]!r})"
    return text


def describe_validation_error(
    error: ValidationError, model: type[BaseModel] | None = None
) -> tuple[str, str]:
    """The first field at fault and one message naming every problem."""
    details = error.errors()
    problems = [f"{field_label(model, d['loc'])} {describe_error(d)}" for d in details]
    first = field_label(model, details[0]["loc"]) if details else "(hela)"
    return first, "; ".join(problems) + "."
