"""Read commands refuse what does not exist, with the same refusals the write commands give.

Without this a question about a position or record that never existed (a
misspelt `--role`, an id from another store) is answered "nothing is waiting",
which reads as a true answer. The rules are the write side's own: a position
is known when `Governance.position` finds it, a record when the store holds
events for its id.
"""

from __future__ import annotations

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.field_types import CHARACTER_RULE
from lerum_flow.text_safety import first_unsafe

# Governance.position's refusal of a discontinued position: it existed, so its
# history can still be read.
_DISCONTINUED = "avvecklad"


def require_position(governance: Governance, code: str, *, field: str) -> None:
    """Refuse (NotFound) a position or organ that is neither in the styrkedja nor ever established."""
    # First the rule every typed text obeys: the refusal below repeats the code to the terminal.
    unsafe = first_unsafe(code, multiline=False)
    if unsafe is not None:
        raise InvalidInput(unsafe.message(), field=field, rule=CHARACTER_RULE)
    try:
        governance.position(code, field=field)
    except InvalidState as refusal:
        if refusal.rule != _DISCONTINUED:
            raise
