"""The arrows between the wings: the domain imports nothing of the project, and the command line
answers a question without loading Temporal's activities."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import lerum_flow.domain

DOMAIN = Path(lerum_flow.domain.__file__).parent


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
