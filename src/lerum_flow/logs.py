"""Logging: one structlog pipeline for our loggers and the libraries' stdlib loggers.

Configured once, by an entrypoint; nothing here runs at import. Logs go to
stderr so that stdout stays the command's output (a table, or one JSON object).

Importing structlog (it brings Rich and asyncio) took some 60 ms of a read
command's start-up, and a read logs nothing. So `ensure_logging` configures
at once only where structlog is loaded already; elsewhere it leaves a stand-in
on the stdlib root logger that configures everything on the first record, and
`get_logger`, the one way to a structlog logger, configures before giving one.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from structlog.typing import Processor

DEFAULT_LEVEL = "WARNING"

# The level an entrypoint asked for while structlog was not loaded (see ensure_logging).
_waiting_level: str | None = None


class _CurrentStderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is when a record is emitted.

    Test runners and Typer's CliRunner replace sys.stderr per call; a handler
    holding the stream of the first call would write to a closed file later.
    (The stdlib's own last-resort handler works the same way.)
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


def configure_logging(level: str = DEFAULT_LEVEL, stream: TextIO | None = None) -> None:
    """Route structlog and stdlib logging through one formatter on `stream` (stderr).

    JSON lines when the stream is not a terminal (CI, pipes, log collectors),
    coloured console lines when a person is watching. An unknown level falls
    back to WARNING rather than failing the command it would only describe.
    """
    global _waiting_level
    import structlog

    from lerum_flow.telemetry import trace_ids

    _waiting_level = None

    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        # A line logged inside a span carries its trace (when tracing is on; a no-op when off).
        trace_ids,
        structlog.processors.add_log_level,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: list[Processor]
    if _is_terminal(stream if stream is not None else sys.stderr):
        renderer = [structlog.dev.ConsoleRenderer()]
    else:
        renderer = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler: logging.Handler = (
        logging.StreamHandler(stream) if stream is not None else _CurrentStderrHandler()
    )
    handler.setFormatter(formatter)
    _set_root(handler, level)

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def ensure_logging(level: str = DEFAULT_LEVEL) -> None:
    """Configure logging unless an entrypoint already has (the CLI run in-process).

    Where structlog is not loaded yet, configuration waits for the first record
    or the first `get_logger`, whichever comes first.
    """
    global _waiting_level
    if "structlog" not in sys.modules:
        _waiting_level = level
        _set_root(_ConfigureOnFirstRecord(), level)
        return
    import structlog

    if not structlog.is_configured():
        configure_logging(level)


def get_logger(name: str) -> Any:
    """A structlog logger; logging is configured first if an entrypoint's configuration waits."""
    import structlog

    _configure_waiting()
    return structlog.get_logger(name)


def _configure_waiting() -> bool:
    """Configure as an entrypoint asked, if that waits; say whether it did."""
    if _waiting_level is None:
        return False
    configure_logging(_waiting_level)
    return True


class _ConfigureOnFirstRecord(logging.Handler):
    """Stands in on the root logger while configuration waits: configures on the first
    record, then hands the record to the handler configured."""

    def emit(self, record: logging.LogRecord) -> None:
        if _configure_waiting():
            logging.getLogger().handle(record)


def _set_root(handler: logging.Handler, level: str) -> None:
    """`handler` alone on the root logger, at `level` (an unknown level: WARNING)."""
    numeric_level = logging.getLevelName(level.strip().upper())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric_level if isinstance(numeric_level, int) else logging.WARNING)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
