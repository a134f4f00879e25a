"""Logging: one structlog pipeline for our loggers and the libraries' stdlib loggers.

Configured once, by an entrypoint; nothing here runs at import. Logs go to
stderr so that stdout stays the command's output (a table, or one JSON object).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog
from structlog.typing import Processor

DEFAULT_LEVEL = "WARNING"


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
    numeric_level = logging.getLevelName(level.strip().upper())
    if not isinstance(numeric_level, int):
        numeric_level = logging.WARNING

    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
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
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric_level)

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
    """Configure logging unless an entrypoint already has (the CLI run in-process)."""
    if not structlog.is_configured():
        configure_logging(level)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
