"""The command line speaks Swedish throughout and answers --json with one document, whatever happens."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.cli_world import SRC, Cli, uppdrag_to_kommundirektor
from typer import _click
from typer.core import TyperGroup

from lerum_flow.cli import command_index
from lerum_flow.cli.main import RootGroup, app, split_global_flags
from lerum_flow.cli.recording_command import RecordingCommand

# English that click and Typer put in help and errors unless told otherwise.
ENGLISH = ("Usage:", "Show this message", "<str>", "<bool>", "<int>", "[OPTIONS]", "COMMAND [ARGS]",
           "[default", "[required]", "Error:", "Try '", "Options", "Arguments", "Commands")  # fmt: skip


def _every_command_path() -> Iterator[list[str]]:
    """Every command and group under the root, as the words a user types."""
    return (path for path, _ in _every_command())


def _every_command() -> Iterator[tuple[list[str], _click.Command]]:
    """Every command and group under the root, with the words a user types for it."""
    root = typer_root()
    ctx = _click.Context(root, info_name="lerum-flow")
    for name in root.list_commands(ctx):
        yield from _paths([name], root.get_command(ctx, name), ctx)


def _paths(
    path: list[str], command: _click.Command | None, parent: _click.Context
) -> Iterator[tuple[list[str], _click.Command]]:
    assert command is not None
    yield path, command
    ctx = _click.Context(command, info_name=path[-1], parent=parent)
    if isinstance(command, TyperGroup):  # lazily built subcommands too
        for name in command.list_commands(ctx):
            yield from _paths([*path, name], command.get_command(ctx, name), ctx)


def typer_root() -> RootGroup:
    import typer

    root = typer.main.get_command(app)
    assert isinstance(root, RootGroup)
    return root


COMMAND_PATHS = [pytest.param(path, id=" ".join(path) or "root") for path in [[], *_every_command_path()]]


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_every_help_page_is_swedish(cli: Cli, path: list[str]) -> None:
    """Each command's --help is Swedish: no English headings, no type placeholders."""
    result = cli(*path, "--help")

    assert result.exit_code == 0, result.output
    assert "Användning: lerum-flow" in result.stdout
    assert "Visa den här hjälpen och avsluta." in result.stdout
    for english in ENGLISH:
        assert english not in result.stdout, (english, result.stdout)


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_no_option_states_its_default_twice(cli: Cli, path: list[str]) -> None:
    """An option's help does not write its default in words when the help adds '[standard: ...]'."""
    page = cli(*path, "--help").stdout
    for option in re.split(r"\n  (?=-)", page):
        assert " ".join(option.split()).lower().count("standard") < 2, option


def test_the_root_lists_every_command_with_its_summary(cli: Cli) -> None:
    """The root's help names every top-level command with its one-line summary."""
    result = cli("--help")

    for entry in command_index.ENTRIES:
        assert entry.name in result.stdout
        assert entry.summary.split()[0] in result.stdout


def usage_document(rule: str, field: str | None, message: str) -> dict[str, str | None]:
    """The one JSON document that answers a command line that cannot run."""
    return {"fel": "anvandningsfel", "falt": field, "regel": rule, "meddelande": message}


@pytest.mark.parametrize(
    ("args", "rule", "field", "message"),
    [
        (["arshjul", "start", "abc"], "ogiltigt_varde", "BUDGETÅR",
         "Ogiltigt värde för BUDGETÅR: 'abc' är inget heltal."),
        (["uppdrag", "accept"], "argument_saknas", "ID", "Argumentet ID saknas men krävs."),
        (["uppdrag", "issue", "--as", "ks"], "flagga_saknas", "--to", "Flaggan --to saknas men krävs."),
        (["uppdrag", "accept", "x", "--role", "ks"], "okand_flagga", "--role", "Okänd flagga --role."),
        (["uppdrg"], "okant_kommando", None, "Okänt kommando uppdrg. Menade du uppdrag?"),
        (["demo", "--years", "0"], "ogiltigt_varde", "--years",
         "Ogiltigt värde för --years: '0' är mindre än 1."),
        (["uppdrag", "accept", "a", "b", "--as", "ks"], "ovantade_argument", None, "Oväntade argument: b."),
        (["uppdrag", "accept", "a", "--as"], "varde_saknas", "--as", "Flaggan --as kräver ett värde."),
        (["rapport", "arsredovisning", "--format", "docx"], "ogiltigt_varde", "--format",
         "Ogiltigt värde för --format: 'docx' är inget av: 'html', 'pdf'."),
    ],
)  # fmt: skip
def test_usage_errors_are_swedish_in_text_and_one_json_document(
    cli: Cli, args: list[str], rule: str, field: str | None, message: str
) -> None:
    """A command line that cannot run says why in Swedish (exit 2); with --json, anywhere, as one document."""
    text = cli(*args)
    as_json = cli(*args, "--json")

    assert text.exit_code == 2
    assert text.stdout == ""
    assert f"Fel: {message}" in text.stderr
    assert "--help' för hjälp." in text.stderr
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout) == usage_document(rule, field, message)


@pytest.mark.parametrize(
    ("args", "usage"), [([], "lerum-flow [FLAGGOR]"), (["uppdrag"], "lerum-flow uppdrag")]
)
def test_a_group_without_its_command_shows_its_help_and_with_json_one_document(
    cli: Cli, args: list[str], usage: str
) -> None:
    """`lerum-flow` or `lerum-flow uppdrag` alone: the Swedish help, exit 2; with --json the usage problem."""
    text = cli(*args)
    as_json = cli("--json", *args)

    assert text.exit_code == 2
    assert f"Användning: {usage}" in text.stderr
    assert "Kommandon:" in text.stderr
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout) == usage_document("kommando_saknas", None, "Ange ett kommando.")


@pytest.mark.parametrize("name", ["Mina dokument", ""], ids=["with-a-space", "empty"])
def test_a_folder_given_for_a_file_is_named_whole_in_swedish(cli: Cli, tmp_path: Path, name: str) -> None:
    """Click's "Path 'Mina dokument' is a directory." keeps the whole name, spaces and all, or says ''."""
    folder = tmp_path / name if name else None
    if folder is not None:
        folder.mkdir()

    result = cli("--json", "audit", "export", "--as-of", "2027-06-30", "--out", str(folder or ""))

    shown = str(folder) if folder is not None else "''"
    assert result.exit_code == 2
    assert json.loads(result.stdout)["meddelande"] == (
        f"Ogiltigt värde för --out: {shown} är en katalog, inte en fil."
    )


def test_json_is_taken_after_the_subcommand_as_before_it(cli: Cli) -> None:
    """`--json` means the same before and after the subcommand."""
    before = cli("--json", "styrmodell", "show")
    after = cli("styrmodell", "show", "--json")

    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_json_after_a_double_dash_is_an_argument() -> None:
    """After `--` everything is an argument, --json included."""
    assert split_global_flags(["uppdrag", "--json", "--", "--json"]) == (
        ["--json", "uppdrag", "--", "--json"],
        True,
    )
    assert split_global_flags(["uppdrag", "--", "--json"]) == (["uppdrag", "--", "--json"], False)


def test_version_names_the_program_and_its_version(cli: Cli) -> None:
    """`--version` prints the installed version."""
    result = cli("--version")

    assert result.exit_code == 0
    assert result.stdout.startswith("lerum-flow ")
    assert result.stdout.split()[1][0].isdigit()


def test_help_imports_nothing_of_the_engine() -> None:
    """`--help` loads no command module, store, Temporal, pydantic, Rich or structlog: it starts at once."""
    heavy = (
        "temporalio",
        "eventsourcing",
        "pydantic",
        "rich",
        "structlog",
        "psycopg",
        "lerum_flow.application",
    )
    probe = (
        "import sys\n"
        "from lerum_flow.cli.main import main\n"
        "code = main(['--help'])\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({heavy!r}))\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stderr.strip() == "0 []", result.stderr


@pytest.mark.parametrize("name", [entry.name for entry in command_index.ENTRIES])
def test_every_entry_loads_as_the_command_it_names(name: str) -> None:
    """Each lazily loaded command builds, is named as listed, and a group keeps its subcommands."""
    command = command_index.load(name)

    assert command.name == name
    assert bool(getattr(command, "commands", None)) == command_index.BY_NAME[name].group


@pytest.mark.slow
def test_a_database_that_does_not_answer_is_named_with_what_to_do(cli: Cli) -> None:
    """A read or write against a server that is not there names the server and the setting, exit 1."""
    unreachable = "postgresql://postgres@127.0.0.1:1/ingen"

    result = cli(
        "--json", "--database-url", unreachable, "beslut", "register", env={"POSTGRES_CONNECT_TIMEOUT": "1"}
    )

    refusal = json.loads(result.stdout)
    assert result.exit_code == 1
    assert refusal["regel"] == "databasen_svarar_inte"
    assert refusal["meddelande"].startswith("PostgreSQL på 127.0.0.1:1 svarar inte")
    assert "--database-url" in refusal["meddelande"]


def keys_of(document: object) -> set[str]:
    if isinstance(document, dict):
        return set(document) | {key for value in document.values() for key in keys_of(value)}
    if isinstance(document, list):
        return {key for item in document for key in keys_of(item)}
    return set()


# Field names that are Swedish words as they stand (or ids), so they may appear as keys.
WORDS_IN_BOTH = frozenset(
    {"id", "version", "period", "person", "process", "text", "status", "diarienummer", "paragraf"}
    | {"organ", "risk", "beslut_id", "delegering_id", "avvikelse_id", "originator_id", "state", "topic"}
    | {"timestamp", "position", "hash"}
    # Swedish domain nouns the code names fields by (`domain.befattning.Ties`).
    | {"delegeringar", "avvikelse", "avvikelser", "styrdokument", "kontroller"}
)


def field_names_in_the_code() -> set[str]:
    """Every field of every domain event and every view row: what the code names in English."""
    import dataclasses
    import importlib
    import inspect
    import pkgutil

    import lerum_flow.domain as domain
    import lerum_flow.integrity.checkpoints as checkpoints
    import lerum_flow.projections.avvikelse as avvikelse_view
    import lerum_flow.projections.rows as rows

    modules = [
        importlib.import_module(f"lerum_flow.domain.{m.name}") for m in pkgutil.iter_modules(domain.__path__)
    ]
    scanned = [*modules, rows, avvikelse_view, checkpoints]
    classes = [c for m in scanned for _, c in inspect.getmembers(m, inspect.isclass)]
    nested = [n for c in classes for _, n in inspect.getmembers(c, inspect.isclass)]
    return {f.name for c in [*classes, *nested] if dataclasses.is_dataclass(c) for f in dataclasses.fields(c)}


def test_every_json_key_of_the_reads_is_swedish(cli: Cli) -> None:
    """Reads dump records whose fields the code names in English; --json says every one in Swedish."""
    uppdrag = uppdrag_to_kommundirektor(cli)
    cli.record("uppdrag", "accept", uppdrag, "--as", "kommundirektor", "--date", "2027-01-11")
    cli.record(
        "avvikelse", "report", "--as", "kommundirektor", "--about", "uppdrag", "--ref", uppdrag,
        "--severity", "avvikelse", "--category", "ekonomi", "--description", "Underskott.",
        "--date", "2027-02-01",
    )  # fmt: skip
    assert cli("audit", "seal").exit_code == 0
    reads = [
        ["uppdrag", "tree"],
        ["uppdrag", "mine", "--as", "kommundirektor"],
        ["beslut", "register"],
        ["delegering", "register"],
        ["avvikelse", "board"],
        ["audit", "history", uppdrag],
        ["audit", "as-of", "2027-06-30"],
        ["audit", "authority", "kommundirektor", "--as-of", "2027-02-01"],
        ["audit", "trace", uppdrag],
        ["audit", "verify"],
        ["drift", "status"],
    ]
    english = field_names_in_the_code() - WORDS_IN_BOTH
    for read in reads:
        result = cli("--json", *read)
        assert result.exit_code == 0, (read, result.output)
        assert keys_of(json.loads(result.stdout)) & english == set(), read


def test_a_lazy_subcommand_is_summarised_as_its_own_help_says() -> None:
    """The one-line help listed before a subcommand is built is the one it gives once built."""
    audit = command_index.load("audit")
    ctx = _click.Context(audit, info_name="audit")
    listed = dict(audit.command_rows(ctx))  # type: ignore[attr-defined]
    for name in audit.list_commands(ctx):  # type: ignore[attr-defined]
        built = audit.get_command(ctx, name)  # type: ignore[attr-defined]
        assert built is not None
        assert listed[name] == built.get_short_help_str(200), name


def test_loading_every_command_prints_no_library_warning() -> None:
    """No command's modules print a library's (English) warning when loaded, as Authlib's did for `bench`."""
    probe = (
        "from lerum_flow.cli import command_index\n"
        "for entry in command_index.ENTRIES:\n"
        "    command_index.load(entry.name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_every_command_that_records_a_command_is_marked_as_recording() -> None:
    """A command taking --command-id records one; its refusals must say that nothing was recorded."""
    unmarked = [
        " ".join(path)
        for path, command in _every_command()
        if any("--command-id" in param.opts for param in command.params)
        and not isinstance(command, RecordingCommand)
    ]
    recording = [" ".join(p) for p, command in _every_command() if isinstance(command, RecordingCommand)]

    assert unmarked == []
    assert "uppdrag issue" in recording
    assert "audit as-of" not in recording
