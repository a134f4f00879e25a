"""The `lerum-flow` command: the root Typer app, its global options and the process entrypoint."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, NoReturn

import structlog
import typer
from typer import rich_utils

# typer 0.29 vendors click and does not re-export these.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from lerum_flow.cli import (
    arshjul,
    audit,
    audit_integrity,
    audit_replay,
    avvikelse,
    bench,
    beslut,
    delegering,
    demo,
    katalog,
    organisation,
    runtime,
    uppdrag,
    views,
)
from lerum_flow.cli import styrmodell as styrmodell_commands
from lerum_flow.cli.context import CliSession, settings_from
from lerum_flow.cli.output import Output, console, usage_error
from lerum_flow.domain.errors import Refusal
from lerum_flow.logs import DEFAULT_LEVEL, configure_logging, ensure_logging

PROG_NAME = "lerum-flow"
LOG_LEVEL_ENV = "LERUM_FLOW_LOG_LEVEL"
DEBUG_ENV = "LERUM_FLOW_DEBUG"
# EX_SOFTWARE from sysexits.h: an internal error, distinct from a refusal (1) and a usage error (2).
EXIT_INTERNAL_ERROR = 70

app = typer.Typer(
    name=PROG_NAME,
    help="Registrera och granska hur kommunen styrs: beslut, delegeringar, uppdrag och avvikelser.",
    no_args_is_help=True,
    add_completion=False,
    # Tracebacks with local variables could show personal data; see main() instead.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)
app.add_typer(styrmodell_commands.app, name="styrmodell")
app.add_typer(organisation.app, name="organisation")
app.add_typer(beslut.app, name="beslut")
app.add_typer(delegering.app, name="delegering")
app.add_typer(uppdrag.app, name="uppdrag")
app.add_typer(avvikelse.app, name="avvikelse")
app.add_typer(audit.app, name="audit")
app.command("demo", help=demo.HELP)(demo.demo)
audit_integrity.register(audit.app)
_groups = {
    "uppdrag": uppdrag.app,
    "beslut": beslut.app,
    "delegering": delegering.app,
    "avvikelse": avvikelse.app,
    "audit": audit.app,
}
views.register(_groups)  # also creates the "projections" group
audit_replay.register(_groups)
app.add_typer(_groups["projections"], name="projections")
arshjul.register(app)
runtime.register(app)
app.add_typer(katalog.app, name="katalog")
bench.register(app)


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
) -> None:
    """Registrera och granska hur kommunen styrs."""
    # structlog's unconfigured default prints to stdout, which would break
    # --json when the app is run in-process rather than through run().
    ensure_logging(os.environ.get(LOG_LEVEL_ENV, DEFAULT_LEVEL))
    session = ctx.find_object(CliSession)
    if session is None:  # run in-process (tests), not through main()
        session = ctx.ensure_object(CliSession)
    ctx.call_on_close(session.close)
    session.configure(
        settings_from(data_dir=data_dir, database_url=database_url, styrmodell=styrmodell),
        as_json=as_json,
        data_dir_given=data_dir is not None,
    )


def swedish_help_texts() -> None:
    """Put Swedish headings in Typer's help panels.

    Typer has no translation hook; these module constants are read each time
    help is drawn. Click's "Usage:" and the --help line stay English.
    """
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argument"
    rich_utils.OPTIONS_PANEL_TITLE = "Flaggor"
    rich_utils.COMMANDS_PANEL_TITLE = "Kommandon"
    rich_utils.REQUIRED_LONG_STRING = "[krävs]"
    rich_utils.DEFAULT_STRING = "[standard: {}]"
    rich_utils.ENVVAR_STRING = "[miljövariabel: {}]"
    rich_utils.ERRORS_PANEL_TITLE = "Fel"
    rich_utils.ABORTED_TEXT = "Avbrutet."


def main(argv: Sequence[str] | None = None, session: CliSession | None = None) -> int:
    """Run one command line and return its exit code; the caller closes `session`."""
    swedish_help_texts()
    session = session if session is not None else CliSession()
    try:
        result = app(args=argv, prog_name=PROG_NAME, standalone_mode=False, obj=session)
    except NoArgsIsHelpError as error:
        # Typer has already printed the help while building this error.
        return error.exit_code
    except UsageError as error:
        usage_error(error)
        return error.exit_code
    except ClickException as error:
        error.show()
        return error.exit_code
    except typer.Abort:
        console(stderr=True).print("Avbrutet.")
        return 1
    except Refusal as refusal:
        # Refusals are shown by the commands themselves; this is a safety net.
        session.output.refusal(refusal)
        return 1
    except Exception as error:
        return _internal_error(session.output, error)
    return result if isinstance(result, int) else 0


def _internal_error(output: Output, error: Exception) -> int:
    """One Swedish line for the user and an ERROR log line; the traceback only when debugging,
    since it can hold paths, SQL and values nobody asked to see."""
    debug = os.environ.get(DEBUG_ENV, "") not in ("", "0")
    structlog.get_logger("lerum_flow.cli").error(
        "internt_fel", error=repr(error), exc_info=error if debug else None
    )
    output.internal_error(error)
    return EXIT_INTERNAL_ERROR


def run() -> NoReturn:
    """The console script: run, close everything explicitly, then leave without interpreter teardown."""
    configure_logging(os.environ.get(LOG_LEVEL_ENV, DEFAULT_LEVEL))
    session = CliSession()
    try:
        code = main(session=session)
    finally:
        session.close()
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
