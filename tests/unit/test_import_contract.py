"""The arrows between the wings: the domain imports nothing of the project, the command line
answers a question without loading Temporal's activities, and loggers come from lerum_flow.logs."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import lerum_flow.domain

DOMAIN = Path(lerum_flow.domain.__file__).parent
REPOSITORY = Path(__file__).resolve().parents[2]
# src/lerum_flow/{workflows,projections} are links to these two.
CODE = (REPOSITORY / "src" / "lerum_flow", REPOSITORY / "workflows", REPOSITORY / "projections")


def test_the_domain_imports_nothing_of_the_project_but_itself() -> None:
    """Every import of lerum_flow from a domain module is of lerum_flow.domain."""
    outside = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            outside += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("lerum_flow") and not n.startswith("lerum_flow.domain")
            ]
    assert outside == []


def test_the_command_line_loads_no_activity_module_to_answer_about_a_deviation() -> None:
    """Importing the CLI's avvikelse commands loads neither activity module of the workflows."""
    probe = (
        "import sys, lerum_flow.cli.avvikelse; "
        "print(sorted(m for m in sys.modules if m.endswith('activities')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""


def test_only_the_logging_module_imports_structlog() -> None:
    """Every logger comes from lerum_flow.logs.get_logger, which configures logging first where
    the command line let configuration wait (a read starts without structlog)."""
    importers = {
        str(path.relative_to(REPOSITORY))
        for root in CODE
        for path in root.rglob("*.py")
        if not path.is_relative_to(CODE[0] / "workflows") and not path.is_relative_to(CODE[0] / "projections")
        for name in _imports(path)
        if name == "structlog" or name.startswith("structlog.")
    }
    assert importers == {"src/lerum_flow/logs.py"}


def test_the_web_door_and_the_command_line_share_the_facade_not_each_other() -> None:
    """lerum_flow.web imports nothing of lerum_flow.cli, and only `serve` and `up` import lerum_flow.web
    (and the bench, which measures its pages): both doors call Governance and the views, so no rule
    lives in one door for the other to borrow."""
    web = CODE[0] / "web"
    web_imports_cli = {
        f"{path.name}: {name}"
        for path in web.rglob("*.py")
        for name in _imports(path)
        if name.startswith("lerum_flow.cli")
    }
    web_importers = {
        str(path.relative_to(REPOSITORY))
        for root in CODE
        for path in root.rglob("*.py")
        if not path.is_relative_to(web)
        for name in _imports(path)
        if name.startswith("lerum_flow.web")
    }
    assert web_imports_cli == set()
    assert web_importers <= {
        "src/lerum_flow/cli/serve.py",
        "src/lerum_flow/cli/runtime.py",
        "src/lerum_flow/bench/bench_web.py",
    }
