"""Query parameters the paged pages share, read as the API reads its own: a refusal in Swedish."""

from __future__ import annotations

from lerum_flow.domain.errors import InvalidInput

# Past this a page of any register is empty; a larger number is a typing mistake, not a page.
MAX_OFFSET = 10_000_000


def offset_param(text: str, field: str = "fran") -> int:
    """`fran=`: how many rows the page skips (empty: none)."""
    text = text.strip()
    if not text:
        return 0
    if not text.isdigit() or int(text) > MAX_OFFSET:
        raise InvalidInput(
            f"'{text[:20]}' är inget radnummer; ange ett heltal från 0 till {MAX_OFFSET}.",
            field=field,
            rule="ogiltigt_varde",
        )
    return int(text)
