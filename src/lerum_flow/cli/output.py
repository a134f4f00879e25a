"""What the command line shows: Rich text for people, one JSON object with --json.

Results go to stdout, refusals and errors to stderr, except with --json,
where stdout always carries exactly one JSON document so a script can parse
it whatever happened.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

# typer 0.29 vendors click and does not re-export its usage error.
from typer._click.exceptions import UsageError

from lerum_flow.application import Outcome
from lerum_flow.cli.tables import problems_table
from lerum_flow.domain.errors import Refusal
from lerum_flow.styrmodell import Problem

# Rich falls back to 80 columns when stdout is a pipe or a file, unless COLUMNS
# says otherwise; a pipe or file gets more room unless COLUMNS was set on purpose.
MIN_WIDTH_WHEN_NOT_A_TERMINAL = 120

REFUSAL_TITLES: Mapping[str, str] = {
    "ogiltig_indata": "Ogiltig uppgift",
    "finns_inte": "Finns inte",
    "ej_behorig": "Ej behörig",
    "fel_lage": "Fel läge",
    "konflikt": "Konflikt",
}


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout/stderr (looked up per call: tests swap them)."""
    result = Console(stderr=stderr, highlight=False)
    if not result.is_terminal and not os.environ.get("COLUMNS"):
        result.width = max(result.width, MIN_WIDTH_WHEN_NOT_A_TERMINAL)
    return result


class Output:
    """Renders results, refusals and errors, as text or as JSON."""

    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json

    def json(self, data: Any) -> None:
        # Not through Rich: it would wrap long lines and break the JSON.
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")

    def outcome(self, outcome: Outcome, what: str) -> None:
        if self.as_json:
            self.json(outcome.as_dict())
            return
        out = console()
        style = "green" if outcome.recorded else "yellow"
        out.print(f"[{style}]{escape(outcome.message)}[/] {escape(what)}")
        out.print(f"Id: [bold]{outcome.id}[/]  (version {outcome.version})")

    def refusal(self, refusal: Refusal, hints: Mapping[str, str] | None = None) -> None:
        """The refusal in Swedish, naming the field as the user typed it and the rule."""
        if self.as_json:
            self.json(refusal.as_dict())
            return
        field = (hints or {}).get(refusal.field or "", refusal.field)
        title = REFUSAL_TITLES.get(refusal.code, "Nekat")
        err = console(stderr=True)
        err.print(f"[bold red]{title}:[/] {escape(refusal.message)}")
        where = f"gäller {escape(field)}, " if field else ""
        err.print(f"  ({where}regel: {escape(refusal.rule)})")
        err.print("Inget registrerades.")

    def problems(self, source: str, problems: Iterable[Problem]) -> None:
        """Everything wrong with a styrmodell file, in the order of the file."""
        listed = list(problems)
        if self.as_json:
            self.json(
                {
                    "fel": "ogiltig_styrmodell",
                    "fil": source,
                    "giltig": False,
                    "problem": [{"plats": p.location, "meddelande": p.message} for p in listed],
                }
            )
            return
        err = console(stderr=True)
        # Not a table title: Rich would wrap the path to the table's width.
        err.print(f"[bold red]Styrmodellen {escape(source)} har {len(listed)} fel:[/]", soft_wrap=True)
        err.print(problems_table(listed))

    def internal_error(self, error: BaseException) -> None:
        message = f"Internt fel: {type(error).__name__}: {error}".splitlines()[0]
        if self.as_json:
            self.json({"fel": "internt_fel", "falt": None, "regel": "", "meddelande": message})
            return
        console(stderr=True).print(f"[bold red]{escape(message)}[/]", soft_wrap=True)


def option_hints(ctx: typer.Context | None) -> dict[str, str]:
    """How each field a refusal can name is written on this command line.

    A command's field titles are its option names without '--'; a record's id
    given as an argument is named after the record ('uppdrag', 'beslut') or 'id'.
    """
    # Settings refusals name the environment variable; the global option overrides it.
    hints: dict[str, str] = {"LERUM_FLOW_DATABASE_URL": "--database-url (LERUM_FLOW_DATABASE_URL)"}
    for param in ctx.command.params if ctx is not None else []:
        for opt in param.opts:
            if opt.startswith("--"):
                hints[opt[2:]] = opt
        if param.param_type_name == "argument" and param.name:
            label = param.metavar or param.name.upper()
            hints.setdefault(param.name, label)
            hints.setdefault("id", label)
    return hints


# Click's own usage messages are English; these are the ones a user meets.
_USAGE_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing option '([^']+)'.*"), "Flaggan {0} saknas men krävs."),
    (re.compile(r"^Missing argument '([^']+)'.*"), "Argumentet {0} saknas men krävs."),
    (re.compile(r"^No such option: (\S+?)(?: Did you mean (.+)\?)?$"), "Okänd flagga {0}.{1}"),
    (re.compile(r"^No such command '([^']+)'.*"), "Okänt kommando '{0}'."),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "Oväntade argument: {0}."),
    (re.compile(r"^Option '([^']+)' requires an argument.*"), "Flaggan {0} kräver ett värde."),
)


def usage_error(error: UsageError) -> None:
    """Usage, a hint and the error in Swedish (exit code 2 is the caller's)."""
    message: str = error.format_message()
    for pattern, template in _USAGE_TRANSLATIONS:
        match = pattern.match(message)
        if match:
            first, *rest = match.groups()
            suggestion = f" Menade du {rest[0]}?" if rest and rest[0] else ""
            message = template.format(first, suggestion)
            break
    err = console(stderr=True)
    ctx = error.ctx
    if ctx is not None:
        err.print(escape(ctx.get_usage()))
        err.print(f"Se '{escape(ctx.command_path)} --help' för hjälp.")
    err.print(f"[bold red]Fel:[/] {escape(message)}")
