"""Swedish help and usage lines for every command, in plain text.

Typer draws its help in English (`Usage:`, `Show this message and exit.`,
type placeholders such as `<str>`) and has no translation hook. Each command
tree is therefore handed to `localize` once, when it is loaded, which gives
every command and group this module's help. Plain text rather than Rich
panels: `--help` must not pay for importing Rich. The same classes convert
flags, text and paths without pydantic (`lerum_flow.cli.plain_values`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path
from types import MappingProxyType
from typing import Any

from typer import _click
from typer._click.exceptions import UsageError
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from lerum_flow.cli.plain_values import convert_plainly

USAGE_PREFIX = "Användning: "
HELP_OPTION_TEXT = "Visa den här hjälpen och avsluta."
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."
# Flags taken anywhere on the line (see lerum_flow.cli.main.split_global_flags).
ANYWHERE_NOTE = "--json (maskinläsbar utdata) får stå före eller efter kommandot."

_TYPE_METAVARS: dict[Any, str] = {
    int: "HELTAL",
    float: "TAL",
    str: "TEXT",
    Path: "SÖKVÄG",
    date: "ÅÅÅÅ-MM-DD",
    datetime: "TIDPUNKT",
}


def metavar(param: _click.Parameter) -> str:
    """What a value of this parameter is called in help and usage; empty for a flag."""
    if isinstance(param, TyperOption) and param.is_flag:
        return ""
    if param.metavar:
        return param.metavar.strip("{}<>")
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and descriptor.is_choice:
        return "|".join(str(getattr(choice, "value", choice)) for choice in descriptor.choices or ())
    if isinstance(param, TyperArgument):
        return (param.name or "värde").upper()
    annotation = descriptor.annotation if descriptor is not None else str
    return _TYPE_METAVARS.get(annotation, "VÄRDE")


def usage_line(command: _click.Command, ctx: _click.Context) -> str:
    pieces = [OPTIONS_METAVAR] if _visible_options(command, ctx) else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument) and not param.hidden:
            name = metavar(param)
            pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append(SUBCOMMAND_METAVAR)
    return f"{USAGE_PREFIX}{ctx.command_path} {' '.join(pieces)}".rstrip()


def write_usage(command: _click.Command, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
    formatter.write(usage_line(command, ctx) + "\n")


def write_help(command: _click.Command, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
    """Usage, description, arguments, flags and subcommands, all in Swedish."""
    write_usage(command, ctx, formatter)
    if command.help:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(inspect.cleandoc(command.help).partition("\f")[0])
    arguments = [_argument_row(p) for p in command.get_params(ctx) if isinstance(p, TyperArgument)]
    if arguments:
        with formatter.section("Argument"):
            formatter.write_dl(arguments)
    options = [_option_row(p) for p in _visible_options(command, ctx)]
    if options:
        with formatter.section("Flaggor"):
            formatter.write_dl(options)
    if isinstance(command, SwedishGroup):
        rows = command.command_rows(ctx)
        if rows:
            with formatter.section("Kommandon"):
                formatter.write_dl(rows)
    if ctx.parent is not None or isinstance(command, TyperGroup):
        formatter.write_paragraph()
        formatter.write_text(ANYWHERE_NOTE)


def _visible_options(command: _click.Command, ctx: _click.Context) -> list[TyperOption]:
    return [p for p in command.get_params(ctx) if isinstance(p, TyperOption) and not p.hidden]


def _argument_row(param: TyperArgument) -> tuple[str, str]:
    notes = ["krävs"] if param.required else []
    return metavar(param), _with_notes(param.help or "", notes)


def _option_row(param: TyperOption) -> tuple[str, str]:
    names = ", ".join(sorted([*param.opts, *param.secondary_opts], key=len))
    value = metavar(param)
    left = f"{names} {value}" if value else names
    if param.opts == ["--help"] or "--help" in param.opts:
        return left, HELP_OPTION_TEXT
    notes: list[str] = []
    if param.required:
        notes.append("krävs")
    default = param.default
    if (
        not param.required
        and not param.is_flag
        and param.show_default is not False
        and default not in (None, "", (), [])
        and not callable(default)
    ):
        notes.append(f"standard: {getattr(default, 'value', default)}")
    if param.envvar and isinstance(param.envvar, str):
        notes.append(f"miljövariabel: {param.envvar}")
    return left, _with_notes(param.help or "", notes)


def _with_notes(text: str, notes: list[str]) -> str:
    return " ".join([inspect.cleandoc(text), *(f"[{note}]" for note in notes)]).strip()


class SwedishCommand(TyperCommand):
    """A Typer command whose help and usage are this module's."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        write_usage(self, ctx, formatter)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        write_help(self, ctx, formatter)


class SwedishGroup(TyperGroup):
    """A Typer group whose help and usage are this module's."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def command_rows(self, ctx: _click.Context) -> list[tuple[str, str]]:
        """Each visible subcommand with its one-line help."""
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            sub = self.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, sub.get_short_help_str(200)))
        return rows

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        write_usage(self, ctx, formatter)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        write_help(self, ctx, formatter)


class LazyGroup(SwedishGroup):
    """A group whose `lazy` subcommands are built only when used (or their own help is asked for).

    `lazy` maps a name to its one-line help and a loader; subcommands built
    eagerly (`commands`) are listed first. The root and `audit` are such groups;
    a test checks `audit`'s one-line helps against each loaded command's own.
    """

    lazy: Mapping[str, tuple[str, Callable[[], _click.Command]]] = MappingProxyType({})

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*(name for name in self.commands if name not in self.lazy), *self.lazy]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            command = localize(self.lazy[cmd_name][1]())
            command.name = cmd_name
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def command_rows(self, ctx: _click.Context) -> list[tuple[str, str]]:
        eager = [
            (name, sub.get_short_help_str(200))
            for name, sub in self.commands.items()
            if name not in self.lazy and not sub.hidden
        ]
        return eager + [(name, summary) for name, (summary, _) in self.lazy.items()]

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        # Typer suggests only from the subcommands already built; suggest from all of them.
        name = args[0]
        if not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            close = get_close_matches(name, self.list_commands(ctx))
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UsageError(f"No such command {name!r}.{hint}", ctx)
        return self._click_resolve_command(ctx, args)


def localize(command: _click.Command) -> _click.Command:
    """Give `command` and everything under it Swedish help; returns the same object.

    The subclasses add no state, so changing the class of a built command is safe
    and spares every command module from naming a class.
    """
    if isinstance(command, TyperGroup):
        if not isinstance(command, SwedishGroup):
            command.__class__ = SwedishGroup
        for sub in command.commands.values():
            localize(sub)
    elif isinstance(command, TyperCommand) and not isinstance(command, SwedishCommand):
        command.__class__ = SwedishCommand
    return command
