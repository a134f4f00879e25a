"""Typed values read from the environment: yes/no, numbers, and secrets given directly or as a file.

One reading for every settings class, so a malformed value is refused in the
same Swedish words whichever setting it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.file_reasons import file_reason

_YES = frozenset({"1", "ja", "true", "yes", "on"})
_NO = frozenset({"0", "nej", "false", "no", "off"})


def yes_no(env: Mapping[str, str], name: str) -> bool | None:
    value = env.get(name, "").strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(f"{name} ska vara 'ja' eller 'nej', inte '{value}'.", field=name, rule="ja_nej")


def secret(env: Mapping[str, str], name: str) -> str:
    """A secret given as `NAME` or as a file named by `NAME_FILE` (a mounted Kubernetes Secret), not both."""
    direct = env.get(name, "")
    file_name = env.get(f"{name}_FILE", "").strip()
    if direct and file_name:
        raise InvalidInput(f"Ange {name} eller {name}_FILE, inte båda.", field=name, rule="hemlighet_dubbel")
    if not file_name:
        return direct.strip()
    try:
        value = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise InvalidInput(
            f"Filen {file_name} ({name}_FILE) kan inte läsas: {file_reason(error)}.",
            field=f"{name}_FILE",
            rule="hemlighet_fil",
        ) from None
    if not value:
        raise InvalidInput(
            f"Filen {file_name} ({name}_FILE) är tom.", field=f"{name}_FILE", rule="hemlighet_fil"
        )
    return value


def number(env: Mapping[str, str], name: str, kind: type[int] | type[float], default: float) -> Any:
    text = env.get(name, "").strip()
    if not text:
        return kind(default)
    try:
        return kind(text.replace(",", ".") if kind is float else text)
    except ValueError:
        what = "ett heltal" if kind is int else "ett tal"
        raise InvalidInput(f"{name} ska vara {what}, inte '{text}'.", field=name, rule="tal") from None
