"""The code's own checks run with the tests: mypy strict over the package and the tests (so a command
built with a misspelt or missing field fails here, not in a user's hands), and ruff's lint and format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
        env={"PATH": str(Path(sys.executable).parent), "MYPY_CACHE_DIR": str(tmp_path / "mypy"),
             "RUFF_CACHE_DIR": str(tmp_path / "ruff"), "HOME": str(tmp_path)},
    )  # fmt: skip


def test_mypy_strict_finds_no_problem_in_the_package_and_the_tests(tmp_path: Path) -> None:
    checked = run(tmp_path, "mypy")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_mypy_refuses_a_command_built_with_a_misspelt_field(tmp_path: Path) -> None:
    """The typed constructors are what make the check above mean something for commands."""
    snippet = tmp_path / "misspelt.py"
    snippet.write_text(
        "from lerum_flow import commands as c\n"
        "c.parse_command(c.AcceptUppdrag, actor='ks', person='p', uppdrag_idd='x', on='2027-01-01')\n",
        encoding="utf-8",
    )
    checked = run(tmp_path, "mypy", str(snippet))
    assert checked.returncode == 1
    assert 'Unexpected keyword argument "uppdrag_idd"' in checked.stdout


def test_ruff_finds_no_lint_and_no_unformatted_file(tmp_path: Path) -> None:
    linted = run(tmp_path, "ruff", "check", ".")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    formatted = run(tmp_path, "ruff", "format", "--check", ".")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
