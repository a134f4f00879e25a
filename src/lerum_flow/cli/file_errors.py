"""A file the user named that cannot be opened or written is the user's to fix, said in Swedish.

Commands write where the user points them (`rapport --ut`, `audit keygen`,
`audit export --out`, `audit checkpoint export`); a folder that does not exist
or may not be written is a refusal naming the path, not an internal error.
The file is written before anything is registered, so nothing is.
"""

from __future__ import annotations

from lerum_flow.domain.errors import InvalidInput, Refusal
from lerum_flow.file_reasons import file_reason, is_known


def file_refusal(error: Exception) -> Refusal | None:
    """The refusal for an operating system error about a named file; None for any other error."""
    if not isinstance(error, OSError) or error.filename is None or not is_known(error):
        return None
    return InvalidInput(f"Filen {error.filename} går inte att använda: {file_reason(error)}.", rule="fil")
