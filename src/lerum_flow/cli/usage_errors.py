"""What was wrong with a command line, in Swedish, with a stable rule code and the field.

Click and Typer raise their usage errors with English messages built from
f-strings (no catalogue to translate), and Typer turns a value pydantic could
not parse into pydantic's English. Each kind a user meets is recognised here
and said again in Swedish; the rule code is what `--json` carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from typer import _click
from typer._click.exceptions import BadParameter, MissingParameter, UsageError

from lerum_flow.cli.help import metavar, usage_line

CODE = "anvandningsfel"


@dataclass(frozen=True)
class UsageProblem:
    """A refused command line: nothing was run, so nothing was recorded."""

    message: str
    rule: str
    field: str | None
    usage: str | None
    command_path: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"fel": CODE, "falt": self.field, "regel": self.rule, "meddelande": self.message}


_QUOTED = r"'?([^' ]+)'?"
# (pattern over click's message, rule, Swedish template over the groups)
_MESSAGES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(rf"^No such option: {_QUOTED}(?: Did you mean (\S+?)\?| \(Possible options: (.+)\))?$"),
     "okand_flagga", "Okänd flagga {0}."),
    (re.compile(rf"^No such command {_QUOTED}\.?(?: Did you mean (.+?)\?)?$"),
     "okant_kommando", "Okänt kommando {0}."),
    (re.compile(rf"^Missing option {_QUOTED}.*"), "flagga_saknas", "Flaggan {0} saknas men krävs."),
    (re.compile(rf"^Missing argument {_QUOTED}.*"), "argument_saknas", "Argumentet {0} saknas men krävs."),
    (re.compile(r"^Missing command\.?$"), "kommando_saknas", "Ange ett kommando."),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$"),
     "ovantade_argument", "Oväntade argument: {0}."),
    (re.compile(rf"^Option {_QUOTED} requires (?:an argument|\d+ arguments)\.?$"),
     "varde_saknas", "Flaggan {0} kräver ett värde."),
    (re.compile(rf"^Option {_QUOTED} does not take a value\.?$"),
     "tar_inget_varde", "Flaggan {0} tar inget värde."),
)  # fmt: skip
# The rules whose first group is the flag or argument the problem is about.
_FLAG_RULES = frozenset(
    {"okand_flagga", "flagga_saknas", "argument_saknas", "varde_saknas", "tar_inget_varde"}
)


def describe(error: UsageError, program: str) -> UsageProblem:
    """The Swedish problem for any usage error click or Typer raises.

    The parser raises some (a flag without its value) before it knows the
    command; their help hint then names the program.
    """
    ctx = error.ctx
    usage = usage_line(ctx.command, ctx) if ctx is not None else None
    path = ctx.command_path if ctx is not None else program
    if isinstance(error, BadParameter) and not isinstance(error, MissingParameter):
        field, message = _bad_value(error)
        return UsageProblem(message, "ogiltigt_varde", field, usage, path)
    text = error.format_message() if hasattr(error, "format_message") else str(error)
    for pattern, rule, template in _MESSAGES:
        match = pattern.match(text)
        if match:
            # 'Missing command.' has no group: there is nothing to name.
            first, *rest = match.groups() or (None,)
            message = template.format(first)
            suggestion = " eller ".join(r for r in rest if r) if any(rest) else None
            if suggestion:
                message += f" Menade du {suggestion.replace(chr(39), '')}?"
            field = first if rule in _FLAG_RULES else None
            return UsageProblem(message, rule, field, usage, path)
    return UsageProblem(f"Ogiltig kommandorad: {text}", "ogiltig_kommandorad", None, usage, path)


def _bad_value(error: BadParameter) -> tuple[str | None, str]:
    """'Ogiltigt värde för BUDGETÅR: 'abc' är inget heltal.' from pydantic's or click's words."""
    param = error.param
    label = _label(param, error.ctx) if param is not None else None
    reason = _reason(error)
    where = f" för {label}" if label else ""
    return label, f"Ogiltigt värde{where}: {reason}"


def _label(param: _click.Parameter, ctx: _click.Context | None) -> str:
    if param.param_type_name == "argument":
        return metavar(param)
    return max(param.opts, key=len) if param.opts else (param.name or "")


def _reason(error: BadParameter) -> str:
    cause: Any = error.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not errors:
        return _translated_click_reason(error.message)
    first = errors[0]
    value = first.get("input")
    shown = f"'{value}'" if value is not None else "värdet"
    kind = first.get("type", "")
    limits = first.get("ctx") or {}
    reasons = {
        "int_parsing": f"{shown} är inget heltal.",
        "int_from_float": f"{shown} är inget heltal.",
        "float_parsing": f"{shown} är inget tal.",
        "bool_parsing": f"{shown} är varken ja eller nej.",
        "date_parsing": f"{shown} är inget datum (ÅÅÅÅ-MM-DD).",
        "date_from_datetime_parsing": f"{shown} är inget datum (ÅÅÅÅ-MM-DD).",
        "greater_than_equal": f"{shown} är mindre än {limits.get('ge')}.",
        "greater_than": f"{shown} måste vara större än {limits.get('gt')}.",
        "less_than_equal": f"{shown} är större än {limits.get('le')}.",
        "less_than": f"{shown} måste vara mindre än {limits.get('lt')}.",
        "enum": f"{shown} är inget av de tillåtna värdena ({limits.get('expected', '')}).",
        "literal_error": f"{shown} är inget av de tillåtna värdena ({limits.get('expected', '')}).",
        "uuid_parsing": f"{shown} är inget id (UUID).",
    }
    if kind == "value_error":
        # A validator's own words, e.g. an Enum's "'docx' is not one of 'html', 'pdf'.", said in Swedish.
        return _translated_click_reason(str(first.get("msg", "")).removeprefix("Value error, "))
    return reasons.get(kind, f"{shown} duger inte ({first.get('msg', kind)}).")


# A path as click quotes it ('Mina dokument/x.csv', spaces and all, or '' for none), else bare.
_PATH = r"(\w+) (?:'(.*)'|(\S.*?))"
_CLICK_PATH_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_PATH} does not exist\.$"), "{} finns inte."),
    (re.compile(rf"^{_PATH} is a file\.$"), "{} är en fil, inte en katalog."),
    (re.compile(rf"^{_PATH} is a directory\.$"), "{} är en katalog, inte en fil."),
    (re.compile(rf"^{_PATH} is not readable\.$"), "{} går inte att läsa."),
    (re.compile(rf"^{_PATH} is not writable\.$"), "{} går inte att skriva."),
)
_CLICK_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Value (.+) is not a valid (.+)\.$"), "{0} är inget giltigt värde."),
    (re.compile(r"^(.+) is not one of (.+)\.$"), "{0} är inget av: {1}."),
)


def _translated_click_reason(message: str) -> str:
    for pattern, template in _CLICK_PATH_REASONS:
        match = pattern.match(message)
        if match:
            _kind, quoted, bare = match.groups()
            return template.format(bare if quoted is None else quoted or "''")
    for pattern, template in _CLICK_REASONS:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups())
    return message
