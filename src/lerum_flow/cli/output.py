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
from typing import TYPE_CHECKING, Any

# Rich and the engine are imported where they are used: --help and usage
# errors go through this module and must start fast.
if TYPE_CHECKING:
    import typer
    from rich.console import Console

    from lerum_flow.application import Outcome
    from lerum_flow.cli.usage_errors import UsageProblem
    from lerum_flow.domain.errors import Refusal
    from lerum_flow.styrmodell import Problem

# Rich falls back to 80 columns when stdout is a pipe or a file; tables of
# dates, positions and ids read badly that narrow.
MIN_WIDTH_WHEN_NOT_A_TERMINAL = 120


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout/stderr (looked up per call: tests swap them)."""
    from rich.console import Console

    result = Console(stderr=stderr, highlight=False)
    # A pipe or file gets more room, unless COLUMNS was set on purpose.
    if not result.is_terminal and not os.environ.get("COLUMNS"):
        result.width = max(result.width, MIN_WIDTH_WHEN_NOT_A_TERMINAL)
    return result


class Output:
    """Renders results, refusals and errors, as text or as JSON."""

    def __init__(self, *, as_json: bool, quiet: bool = False) -> None:
        self.as_json = as_json
        # Only the record's id after a command: for scripts that pass it to the next one.
        self.quiet = quiet
        # Whether the command records (lerum_flow.cli.recording_command): only then does a refusal
        # end by saying that nothing was recorded.
        self.records = False

    def json(self, data: Any) -> None:
        """One JSON document, its keys in Swedish (lerum_flow.cli.json_keys)."""
        from lerum_flow.cli.json_keys import swedish_keys

        # Not through Rich: it would wrap long lines and break the JSON.
        sys.stdout.write(json.dumps(swedish_keys(data), ensure_ascii=False) + "\n")

    def json_streamed(self, data: Mapping[str, Any], lists: Mapping[str, Iterable[Any]]) -> None:
        """`json` of `data` with each key of `lists` holding the list of its items, written as
        they come: byte for byte the same document, without holding a long list in memory.
        Each key of `lists` stands in `data` (any value) where its list goes."""
        from lerum_flow.cli.json_keys import swedish_keys

        # Each list's place is marked by a string no value holds, then filled in as written.
        marks = {key: f"\x00lista:{key}\x00" for key in lists}
        document = json.dumps(swedish_keys({**data, **marks}), ensure_ascii=False)
        for key in [k for k in data if k in lists]:
            items = lists[key]
            before, _, document = document.partition(json.dumps(marks[key], ensure_ascii=False))
            sys.stdout.write(before + "[")
            separator = ""
            for item in items:
                sys.stdout.write(separator + json.dumps(swedish_keys(item), ensure_ascii=False))
                separator = ", "
            sys.stdout.write("]")
        sys.stdout.write(document + "\n")

    def outcome(
        self,
        outcome: Outcome,
        what: str,
        *,
        lines: Iterable[str] = (),
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        """What a command did; `lines` and `fields` say what it brought with it (text, JSON)."""
        if self.as_json:
            self.json(outcome.as_dict() | dict(fields or {}))
            return
        if self.quiet:
            sys.stdout.write(f"{outcome.id}\n")
            return
        from rich.markup import escape

        out = console()
        style = "green" if outcome.recorded else "yellow"
        out.print(f"[{style}]{escape(outcome.message)}[/] {escape(what)}")
        out.print(f"Id: [bold]{outcome.id}[/]  (version {outcome.version})")
        for line in lines:
            out.print(escape(line))

    def refusal(self, refusal: Refusal, hints: Mapping[str, str] | None = None) -> None:
        """The refusal in Swedish, naming the field as the user typed it and the rule."""
        if self.as_json:
            self.json(refusal.as_dict())
            return
        from rich.markup import escape

        from lerum_flow.text_safety import printable

        # Without a command's own hints (a refusal caught at the root), the global options' still apply.
        hints = hints if hints is not None else option_hints(None)
        field = hints.get(refusal.field or "", refusal.field)
        title = refusal.title
        # A field the message names is an option here; one this command lacks, as it would be typed.
        named = refusal.worded(lambda key: hints.get(key, f"--{key}"))
        message = _options_as_typed(named, hints)
        err = console(stderr=True)
        # A message can repeat what the user typed, or an old record: never raw to the terminal.
        err.print(f"[bold red]{title}:[/] {escape(printable(message))}")
        where = f"gäller {escape(field)}, " if field else ""
        err.print(f"  ({where}regel: {escape(refusal.rule)})")
        if self.records:
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
                    "problem": [
                        {
                            "plats": p.location,
                            "rad": p.line,
                            "kolumn": p.column,
                            "block": p.block,
                            "meddelande": p.message,
                        }
                        for p in listed
                    ],
                }
            )
            return
        from rich.markup import escape

        from lerum_flow.cli.tables import problems_table

        err = console(stderr=True)
        # Not a table title: Rich would wrap the path to the table's width.
        err.print(f"[bold red]Styrmodellen {escape(source)} har {len(listed)} fel:[/]", soft_wrap=True)
        err.print(problems_table(listed))

    def internal_error(self, error: BaseException) -> None:
        message = f"Internt fel: {type(error).__name__}: {error}".splitlines()[0]
        if self.as_json:
            self.json({"fel": "internt_fel", "falt": None, "regel": "", "meddelande": message})
            return
        from rich.markup import escape

        console(stderr=True).print(f"[bold red]{escape(message)}[/]", soft_wrap=True)

    def usage_problem(self, problem: UsageProblem) -> None:
        """A command line that could not be run: the error, the usage line and where help is."""
        if self.as_json:
            self.json(problem.as_dict())
            return
        from lerum_flow.text_safety import printable

        lines = [f"Fel: {printable(problem.message)}"]
        if problem.usage:
            lines.append(problem.usage)
        if problem.command_path:
            lines.append(f"Se '{problem.command_path} --help' för hjälp.")
        sys.stderr.write("\n".join(lines) + "\n")

    def aborted(self) -> None:
        if self.as_json:
            self.json({"fel": "avbrutet", "falt": None, "regel": "avbrutet", "meddelande": "Avbrutet."})
            return
        sys.stderr.write("Avbrutet.\n")


# Where a validation message names a field: at its start or after the previous field's sentence.
_FIELD_AT_SENTENCE_START = re.compile(r"(?:^|(?<=\. ))([A-Za-z][\w-]*): ")


def _options_as_typed(message: str, hints: Mapping[str, str]) -> str:
    """'date: ... title: ...' as '--date: ... --title: ...': each option as the user typed it.
    An argument keeps the record's name ('avvikelse: ...'), which says more than its placeholder."""

    def as_typed(field: re.Match[str]) -> str:
        option = hints.get(field.group(1), "")
        return f"{option if option.startswith('--') else field.group(1)}: "

    return _FIELD_AT_SENTENCE_START.sub(as_typed, message)


def option_hints(ctx: typer.Context | None) -> dict[str, str]:
    """How each field a refusal can name is written on this command line.

    A command's field titles are its option names without '--'; a record's id
    given as an argument is named after the record ('uppdrag', 'beslut') or 'id'.
    """
    # Settings refusals name the environment variable; the global option overrides it.
    hints: dict[str, str] = {
        "LERUM_FLOW_DATABASE_URL": "--database-url (LERUM_FLOW_DATABASE_URL)",
        "database-url": "--database-url",
        "styrmodell": "--styrmodell (LERUM_FLOW_STYRMODELL)",
    }
    for param in ctx.command.params if ctx is not None else []:
        for opt in param.opts:
            if opt.startswith("--"):
                hints[opt[2:]] = opt
        if param.param_type_name == "argument" and param.name:
            label = param.metavar or param.name.upper()
            hints.setdefault(param.name, label)
            hints.setdefault("id", label)
    return hints
