"""A read command starts at once: reading one record's history loads neither the commands, nor the
styrmodell, nor pydantic, structlog or Temporal, and Rich only to draw a table."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from e2e.cli_world import PERSON, SRC, Cli, uppdrag_to_kommundirektor

# What a read has no use for; all but Temporal and psycopg were once imported on the way to one.
NOT_FOR_A_READ = (
    "pydantic",
    "typer._adapters",
    "structlog",
    "temporalio",
    "psycopg",
    "lerum_flow.commands",
    "lerum_flow.application",
    "lerum_flow.styrmodell",
)


def _loaded_by(args: list[str], data_dir: str) -> tuple[int, list[str], str]:
    """Run the command line in a fresh interpreter; its exit code, the modules it loaded, its stdout."""
    probe = (
        "import contextlib, io, sys\n"
        "from lerum_flow.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main({args!r})\n"
        "print(code, sorted(sys.modules), file=sys.stderr)\n"
        "print(out.getvalue(), end='')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(SRC), "LERUM_FLOW_DATA_DIR": data_dir},
        capture_output=True,
        text=True,
        check=False,
    )
    code, _, modules = result.stderr.strip().splitlines()[-1].partition(" ")
    return int(code), ast.literal_eval(modules), result.stdout


@pytest.mark.parametrize(
    ("as_json", "heavy"),
    [(True, (*NOT_FOR_A_READ, "rich")), (False, NOT_FOR_A_READ)],
    ids=["json", "table"],
)
def test_a_records_history_is_read_without_the_engines_heavy_parts(
    cli: Cli, as_json: bool, heavy: tuple[str, ...]
) -> None:
    """`audit history` by a short id, with a name from the directory, loads nothing it does not use."""
    uppdrag = uppdrag_to_kommundirektor(cli)
    assert cli("katalog", "set", PERSON, "--name", "Signe Ek").exit_code == 0

    code, modules, stdout = _loaded_by(
        [*(["--json"] if as_json else []), "audit", "history", uppdrag[:8]], str(cli.data_dir)
    )

    assert code == 0
    assert [m for m in modules if m.startswith(heavy)] == []
    if as_json:
        assert [entry["handelse"] for entry in json.loads(stdout)] == ["Uppdrag.Issued"]
        assert json.loads(stdout)[0]["namn"] == "Signe Ek"
    else:
        assert "Signe Ek" in stdout
        assert "rich" in modules
