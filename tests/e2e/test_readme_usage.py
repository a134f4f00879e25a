"""The README's "Så används det" block runs as written, in order, on a fresh store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from e2e.cli_world import SRC

ROOT = SRC.parent
README = ROOT / "README.md"


def usage_block() -> str:
    """The first shell block under the "Så används det" heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Så används det", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, "README has no shell block under 'Så används det'"
    return match.group(1)


@pytest.mark.slow
def test_the_readme_usage_block_runs_as_written(tmp_path: Path) -> None:
    """Every line of the block succeeds in a shell on a fresh store, and the records it makes are there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "lerum-flow"
    # The command a user has after the README's install, whatever venv runs the tests.
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m lerum_flow.cli.main "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "LERUM_FLOW_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "80",
    }

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", usage_block()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Genomför budget 2028" in result.stdout
    assert "Intakt" in result.stdout
    assert "Fel:" not in result.stderr
