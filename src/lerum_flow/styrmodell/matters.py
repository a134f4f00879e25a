"""Which beslutsområden of a styrmodell may never be delegated, and by which rule of the law.

Both lists are the law module's data: the kinds of matter an organ must decide
itself (KL 6 kap. 38 §), and fullmäktige's own matters (KL 5 kap. 1 §), read
from the newest law the engine knows, as `styrmodell validate` reads them.
"""

from __future__ import annotations

from lerum_flow.domain.kommunallag import newest_kommunallag
from lerum_flow.domain.law import NEVER_DELEGABLE_LABELS, reserved_matter
from lerum_flow.styrmodell.model import Beslutsomrade


def never_delegable(area: Beslutsomrade) -> str | None:
    """Why `area` may never be delegated, in Swedish with the rule; None if the law lets it be."""
    label = NEVER_DELEGABLE_LABELS.get(area.kategori)
    if label is not None:
        return f"{label} (KL 6 kap. 38 §)"
    reserved = reserved_matter(area.matter(), newest_kommunallag())
    if reserved is not None:
        return f"fullmäktiges eget ärende: {reserved.ground.cite()}"
    return None
