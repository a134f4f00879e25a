"""Logging goes to stderr through one pipeline, also where the command line let its configuration
wait for the first log line (a read that never loads structlog)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    """`code` after `ensure_logging` in a fresh interpreter, where nothing has loaded structlog."""
    prelude = (
        "import logging, sys\n"
        "from lerum_flow.logs import ensure_logging, get_logger\n"
        "ensure_logging('INFO')\n"
        "print('structlog' in sys.modules)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=True,
    )


def test_a_librarys_first_record_configures_logging_and_is_written_as_json_on_stderr() -> None:
    """Nothing loads structlog until a library logs; its record then goes through the pipeline,
    at the level asked for."""
    result = _run(
        "print('structlog' in sys.modules)\n"
        "logging.getLogger('eventsourcing').info('biblioteket loggar')\n"
        "logging.getLogger('eventsourcing').debug('under nivån')\n"
        "print('structlog' in sys.modules)\n"
    )

    assert result.stdout.split() == ["False", "False", "True"]
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["event"], line["level"]) for line in lines] == [("biblioteket loggar", "info")]


def test_a_logger_taken_while_configuration_waits_writes_json_on_stderr_not_stdout() -> None:
    """get_logger configures first: the line is not structlog's unconfigured print to stdout."""
    result = _run("get_logger('lerum_flow.cli').info('kommando', version=2)\n")

    assert result.stdout.split() == ["False"]
    line = json.loads(result.stderr)
    assert (line["event"], line["level"], line["version"]) == ("kommando", "info", 2)
