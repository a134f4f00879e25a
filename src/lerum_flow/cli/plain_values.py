"""Flags, text and paths on the command line, converted as Typer converts them, without pydantic.

Typer 0.29 converts each parameter's value through a pydantic TypeAdapter that
it builds when the parameter is first used (--help's too, whose value is None
until given); importing pydantic and building the adapters took some 70 ms
of a read command's start-up. A flag's value is already a bool, text needs no
converting and a path only `Path(value)`, which is what those adapters do.
So, before a command parses its line, each such parameter is given a
converter that does just that and hands anything else (a value of another
type, a path that `Path` would rewrite, so that a message names it as typed)
to Typer's own. A test compares the two on the values a user can give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer import _click
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import TyperArgument, TyperOption


@dataclass(frozen=True)
class PlainValue(RuntimeParam):
    """A flag's, a text's or a path's converter: the value as given, or its `Path`."""

    def _coerce_value(self, value: Any, param: Any, ctx: _click.Context) -> Any:
        kind = self.annotation
        if type(value) is kind and kind in (bool, str):
            return value
        if kind is Path and type(value) is str and str(Path(value)) == value:
            # Then Typer's adapter would reach these same checks with this same path.
            return coerce_cli_path(Path(value), self.parameter_info, path_type=Path, param=param, ctx=ctx)
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)


def is_plain(descriptor: TypeDescriptor) -> bool:
    """A parameter of one flag, text or path, with no parser of its own."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return False
    kind = descriptor.annotation
    return kind in (bool, str) or (kind is Path and info.path_type is None)


def convert_plainly(params: Iterable[_click.Parameter]) -> None:
    """Give each flag, text and path parameter not yet used the plain converter."""
    for param in params:
        if (
            isinstance(param, TyperArgument | TyperOption)
            and param._runtime_param is None
            and is_plain(param.type_descriptor)
        ):
            descriptor = param.type_descriptor
            param._runtime_param = PlainValue(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )
