"""Flags, text and paths on the command line come out as Typer's own (pydantic) converters make them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer import _click
from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperArgument, TyperOption

from lerum_flow.cli.plain_values import PlainValue, convert_plainly

app = typer.Typer(add_completion=False)


@app.command()
def command(
    word: Annotated[str, typer.Argument()],
    text: Annotated[str, typer.Option()] = "",
    maybe_text: Annotated[str | None, typer.Option()] = None,
    path: Annotated[Path | None, typer.Option()] = None,
    file_only: Annotated[Path, typer.Option(dir_okay=False)] = Path("ut.json"),
    flag: Annotated[bool, typer.Option()] = False,
    count: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """A command with each kind of parameter the CLI has."""


def _built() -> _click.Command:
    return typer.main.get_command(app)


def _outcome(
    converter: RuntimeParam, value: Any, param: _click.Parameter, ctx: _click.Context
) -> tuple[str, Any]:
    """What a conversion gave: the value and its type, or the error and its message."""
    try:
        converted = converter.coerce(value, param=param, ctx=ctx)  # type: ignore[arg-type]
    except Exception as error:
        return type(error).__name__, str(error)
    return type(converted).__name__, converted


def _values(tmp_path: Path) -> list[Any]:
    existing_file = tmp_path / "fil.txt"
    existing_file.write_text("x", encoding="utf-8")
    return [
        *("abc", "", " a b ", "åäö", "\udcff", "a/./b/", "/", "-", ".", "~", "ett\nradbyte"),
        *(str(tmp_path), str(tmp_path) + "/", str(existing_file), str(tmp_path / "saknas.json")),
        *(None, True, False, 3, Path("x"), b"bytes"),
    ]


def test_plain_converters_give_what_typers_own_give(tmp_path: Path) -> None:
    """For every flag, text and path parameter and every value, the same value or the same message."""
    built = _built()
    ctx = _click.Context(built)
    checked = 0
    for param in built.params:
        assert isinstance(param, TyperArgument | TyperOption)
        descriptor = param.type_descriptor
        if descriptor.annotation is int:
            continue
        plain = PlainValue(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
        own = build_runtime_param(descriptor)
        for value in _values(tmp_path):
            assert _outcome(plain, value, param, ctx) == _outcome(own, value, param, ctx), (param.name, value)
            checked += 1
    assert checked == 6 * len(_values(tmp_path))


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("word", True),
        ("text", True),
        ("maybe_text", True),
        ("path", True),
        ("file_only", True),
        ("flag", True),
        ("count", False),
    ],
)
def test_only_flags_texts_and_paths_get_the_plain_converter(name: str, plain: bool) -> None:
    """A number (with its range) keeps Typer's converter and its messages."""
    built = _built()
    convert_plainly(built.params)
    param = next(p for p in built.params if p.name == name)
    assert isinstance(param, TyperArgument | TyperOption)
    assert isinstance(param._runtime_param, PlainValue) is plain
