"""The README's set-up commands and CI cannot drift apart."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"


def _setup_commands() -> list[str]:
    """The one-line commands in the fenced blocks of the '## Kom igång' section."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Kom igång\s*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no '## Kom igång' section"
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```\s*$", section.group(1), re.MULTILINE | re.DOTALL)
    commands = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        assert len(lines) == 1, f"each set-up block holds exactly one command line: {block!r}"
        commands.append(lines[0].strip())
    return commands


def test_readme_shows_exactly_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2, commands
    assert sum("pytest" in command for command in commands) == 1, commands


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    (test_command,) = [command for command in _setup_commands() if "pytest" in command]
    ci_lines = [line.strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert test_command in ci_lines, f".ci/run does not run {test_command!r}"


def test_ci_script_is_executable() -> None:
    assert os.access(CI_RUN, os.X_OK)


def test_readme_main_command_uses_a_declared_console_script() -> None:
    (main_command,) = [command for command in _setup_commands() if "pytest" not in command]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    used = re.findall(r"\.venv/bin/([\w.-]+)", main_command)
    assert any(name in scripts for name in used), (main_command, sorted(scripts))
