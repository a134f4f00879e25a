"""The README stands alone: every setting the code reads is in its table, and it points nowhere outside."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTING = re.compile(r"^LERUM_FLOW_[A-Z_]+$")


def settings_read_by_the_code() -> set[str]:
    """Every LERUM_FLOW_* name written as a whole string in the engine, its workflows and projections."""
    names: set[str] = set()
    for folder in ("src/lerum_flow", "workflows", "projections"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and SETTING.match(node.value)
                ):
                    names.add(node.value)
    return names


def test_the_settings_table_lists_every_setting_the_code_reads() -> None:
    """A setting the code reads but the README does not name is a setting nobody can find."""
    found = settings_read_by_the_code()
    table = README.split("### Inställningar", 1)[1].split("\n## ", 1)[0]

    assert found, "no settings found: the scan is broken"
    assert sorted(name for name in found if f"`{name}`" not in table) == []


def test_the_readme_points_to_nothing_outside_the_repository() -> None:
    """No relative path climbs out of the repository and no shared document is cited."""
    assert "../" not in README
    assert "shared/" not in README
    for name in re.findall(r"`([\w./-]+\.(?:md|toml|txt))`", README):
        assert (ROOT / name).exists() or not name.startswith(("docs/", "src/", "deploy/")), name


def test_the_licence_is_the_one_the_readme_names() -> None:
    """The repository carries the EUPL-1.2 text the README and the package metadata name."""
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "EUPL-1.2" in README
    assert 'license = "EUPL-1.2"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
