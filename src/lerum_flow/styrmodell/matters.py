"""Which beslutsområden of a styrmodell may never be delegated, and by which rule of the law.

The kinds of matter an organ must decide itself (KL 6 kap. 38 §) are the law
module's data. Fullmäktige's own matters (KL 5 kap. 1 §) are read from the
styrmodell for now, through one hook, `reserved_for_fullmaktige`.
"""

from __future__ import annotations

from lerum_flow.domain.law import NEVER_DELEGABLE_LABELS
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.styrmodell.model import Beslutsomrade, Styrmodell


def never_delegable(area: Beslutsomrade, model: Styrmodell) -> str | None:
    """Why `area` may never be delegated, in Swedish with the rule; None if the law lets it be."""
    label = NEVER_DELEGABLE_LABELS.get(area.kategori)
    if label is not None:
        return f"{label} (KL 6 kap. 38 §)"
    if reserved_for_fullmaktige(area, model):
        return "fullmäktiges eget ärende (KL 5 kap. 1 §)"
    return None


def reserved_for_fullmaktige(area: Beslutsomrade, model: Styrmodell) -> bool:
    """Whether `area` is one of the matters fullmäktige alone decides (KL 5 kap. 1 §).

    The hook for the law's own list: until the law module names those matters
    as data, the styrmodell's word is taken, and an area it gives to
    fullmäktige stays with fullmäktige.
    """
    holder = next((b for b in model.befattning if b.id == area.innehavare), None)
    return holder is not None and holder.slag is PositionKind.FULLMAKTIGE
