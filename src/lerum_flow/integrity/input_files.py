"""Files the auditors hand to a command (checkpoint file, key, evidence): read whole, or refused by name."""

from __future__ import annotations

from pathlib import Path

from lerum_flow.domain.errors import InvalidInput, NotFound
from lerum_flow.file_reasons import file_reason
from lerum_flow.text_safety import printable


def read_input_file(path: Path, *, what: str, field: str, rule: str) -> bytes:
    """The file's bytes; a missing or unreadable file is a Swedish refusal naming `what` and the path."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{what} {shown(path)} finns inte.", field=field, rule=rule) from None
    except OSError as error:
        raise InvalidInput(
            f"{what} {shown(path)} kan inte läsas: {file_reason(error)}.", field=field, rule=rule
        ) from None


def shown(path: Path) -> str:
    return printable(str(path), keep_line_breaks=False)
