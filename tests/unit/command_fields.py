"""Which fields of a command hold text a person typed, read from the fields' declared types."""

from __future__ import annotations

import types
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def holds(annotation: Any, kind: type) -> bool:
    """`kind` itself, or a list or optional of it (so a str enum or a UUID is no str)."""
    if annotation is kind:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return holds(get_args(annotation)[0], kind)
    if origin in (Union, types.UnionType, list):
        return any(holds(arg, kind) for arg in get_args(annotation))
    return False


def is_list(annotation: Any) -> bool:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return get_origin(annotation) is list


def text_fields(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if holds(info.annotation, str)]


def date_fields(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if holds(info.annotation, date)]
