"""The `lerum-flow` command: the root Typer app, its global options and the process entrypoint."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, NoReturn

import typer

# typer 0.29 vendors click and does not re-export these.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from lerum_flow.cli import command_index
from lerum_flow.cli.file_errors import file_refusal
from lerum_flow.cli.help import LazyGroup
from lerum_flow.cli.output import Output
from lerum_flow.cli.session import CliSession, settings_from
from lerum_flow.cli.usage_errors import describe
from lerum_flow.domain.errors import Refusal

PROG_NAME = "lerum-flow"
LOG_LEVEL_ENV = "LERUM_FLOW_LOG_LEVEL"
DEBUG_ENV = "LERUM_FLOW_DEBUG"
# EX_SOFTWARE from sysexits.h: an internal error, distinct from a refusal (1) and a usage error (2).
EXIT_INTERNAL_ERROR = 70
# Flags that mean the same wherever they stand on the line (see split_global_flags).
ANYWHERE_FLAGS = frozenset({"--json"})


class RootGroup(LazyGroup):
    """The root command: every subcommand is loaded by name from the index, only when used."""

    lazy = MappingProxyType(
        {
            entry.name: (entry.summary, functools.partial(command_index.load, entry.name))
            for entry in command_index.ENTRIES
        }
    )


app = typer.Typer(
    name=PROG_NAME,
    cls=RootGroup,
    help="Registrera och granska hur kommunen styrs: beslut, delegeringar, uppdrag och avvikelser.",
    no_args_is_help=True,
    add_completion=False,
    # Tracebacks with local variables could show personal data; see main() instead.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib import metadata  # 50 ms: only when asked

        sys.stdout.write(f"{PROG_NAME} {metadata.version('lerum-flow')}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Maskinläsbar utdata: ett JSON-objekt på stdout.")
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="KATALOG",
            help="Katalog för händelselagret (SQLite). Ersätter LERUM_FLOW_DATA_DIR.",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            metavar="URL",
            help="sqlite:///fil.db eller postgresql://användare@värd:port/databas. "
            "Ersätter LERUM_FLOW_DATABASE_URL.",
        ),
    ] = None,
    styrmodell: Annotated[
        Path | None,
        typer.Option(
            "--styrmodell",
            metavar="FIL",
            help="Styrmodell (TOML). Ersätter LERUM_FLOW_STYRMODELL; standard: Lerums.",
        ),
    ] = None,
    kommun: Annotated[
        str | None,
        typer.Option(
            "--kommun",
            metavar="KOD",
            help="Kommunen (kommunkod) vars lager kommandot gäller, i en driftsättning med flera kommuner. "
            "Ersätter LERUM_FLOW_KOMMUN; standard: den enda kommunen.",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Skriv bara den registrerade postens id (för skript som använder det)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_version, help="Visa versionen och avsluta."),
    ] = False,
) -> None:
    """Registrera och granska hur kommunen styrs."""
    # Configured here, not at start-up: --help and usage errors never reach this.
    # structlog's unconfigured default would print to stdout and break --json; a
    # command that has not loaded structlog (a read) does not load it for this:
    # configuration then waits for the first log line (lerum_flow.logs).
    from lerum_flow.logs import DEFAULT_LEVEL, ensure_logging

    ensure_logging(os.environ.get(LOG_LEVEL_ENV, DEFAULT_LEVEL))
    session = ctx.find_object(CliSession)
    if session is None:  # run in-process (tests), not through main()
        session = ctx.ensure_object(CliSession)
    ctx.call_on_close(session.close)
    session.configure(
        settings_from(data_dir=data_dir, database_url=database_url, styrmodell=styrmodell, kommun=kommun),
        as_json=as_json or session.output.as_json,
        data_dir_given=data_dir is not None,
        quiet=quiet,
    )
    if session.settings.kommun and ctx.invoked_subcommand != "kommun":
        # Before anything opens the store: a code the register does not hold never creates one.
        from lerum_flow.kommun_register import require_registered

        require_registered(session.settings)


def split_global_flags(args: Sequence[str]) -> tuple[list[str], bool]:
    """Move flags that may stand anywhere (`--json`) to the front; say whether --json was given.

    Only before a `--`, after which everything is an argument. A text option whose
    value is literally "--json" would lose it: no title or name is that.
    """
    given = list(args)
    end = given.index("--") if "--" in given else len(given)
    anywhere = [arg for arg in given[:end] if arg in ANYWHERE_FLAGS]
    rest = [arg for arg in given[:end] if arg not in ANYWHERE_FLAGS] + given[end:]
    return sorted(set(anywhere)) + rest, "--json" in anywhere


def main(argv: Sequence[str] | None = None, session: CliSession | None = None) -> int:
    """Run one command line and return its exit code; the caller closes `session`."""
    args, as_json = split_global_flags(sys.argv[1:] if argv is None else argv)
    session = session if session is not None else CliSession()
    # Known before parsing, so that a usage error is answered in the format asked for.
    session.output = Output(as_json=as_json)
    try:
        result = app(args=args, prog_name=PROG_NAME, standalone_mode=False, obj=session)
    except NoArgsIsHelpError as error:
        # A group without its command: its help (on stderr, as click does), or with --json one document.
        if session.output.as_json:
            session.output.usage_problem(describe(UsageError("Missing command.", error.ctx), PROG_NAME))
        else:
            error.show()
        return error.exit_code
    except UsageError as error:
        session.output.usage_problem(describe(error, PROG_NAME))
        return error.exit_code
    except ClickException as error:
        session.output.usage_problem(describe(UsageError(error.format_message()), PROG_NAME))
        return error.exit_code
    except typer.Abort:
        session.output.aborted()
        return 1
    except Refusal as refusal:
        # Refusals are shown by the commands themselves; this is a safety net.
        session.output.refusal(refusal)
        return 1
    except Exception as error:
        # Imported on the way out: only a run whose store failed needs it.
        from lerum_flow.cli.store_errors import store_refusal

        unusable_store = store_refusal(error, session.settings)
        if unusable_store is not None:
            session.output.refusal(unusable_store)
            return 1
        unusable_file = file_refusal(error)
        if unusable_file is not None:
            session.output.refusal(unusable_file)
            return 1
        return _internal_error(session.output, error)
    return result if isinstance(result, int) else 0


def _internal_error(output: Output, error: Exception) -> int:
    """One Swedish line for the user and an ERROR log line; the traceback only when debugging,
    since it can hold paths, SQL and values nobody asked to see."""
    from lerum_flow.logs import get_logger

    debug = os.environ.get(DEBUG_ENV, "") not in ("", "0")
    get_logger("lerum_flow.cli").error("internt_fel", error=repr(error), exc_info=error if debug else None)
    output.internal_error(error)
    return EXIT_INTERNAL_ERROR


def run() -> NoReturn:
    """The console script: run, close everything explicitly, then leave without interpreter teardown."""
    session = CliSession()
    try:
        code = main(session=session)
    finally:
        session.close()
        telemetry = sys.modules.get("lerum_flow.telemetry")  # loaded only by a command that traced
        if telemetry is not None:
            telemetry.flush_tracing()
    # The temporalio SDK (used by later commands of this CLI) can crash at
    # interpreter exit after all output is correct ("Fatal Python error:
    # PyGILState_Release", temporalio/sdk-python issue 300). Leaving with
    # os._exit() skips interpreter teardown and so avoids it; atexit handlers
    # then do not run, which is why everything is closed and flushed above.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe must not hide the exit code
            stream.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    run()
