"""Fixtures for the end-to-end tests of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e.cli_world import Cli


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The CLI in-process, on a fresh SQLite store whose fixed chain LERUM_FLOW_PERSON holds."""
    return Cli(data_dir=tmp_path / "data").staff()
