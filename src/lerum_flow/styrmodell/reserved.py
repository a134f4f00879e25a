"""Whether the styrmodell keeps to what the law reserves to fullmäktige (KL 5 kap. 1-2 §§).

The reserved matters are the law's data (`lerum_flow.domain.kommunallag`), not
the model's: a matter is one of them when a kind of decision taken in it is,
or when the model files it under the category 'fullmaktige'. Such a matter is
held by fullmäktige and can never be declared delegable.
"""

from __future__ import annotations

from collections.abc import Iterator

from lerum_flow.domain.kommunallag import newest_kommunallag
from lerum_flow.domain.law import UNDELEGABLE_CATEGORIES, MatterCategory, reserved_matter
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.styrmodell.chain import Chain
from lerum_flow.styrmodell.model import Beslutsomrade
from lerum_flow.styrmodell.problems import Problem
from lerum_flow.styrmodell.salvage import Section


def reserved_matter_problems(chain: Chain, omraden: Section[Beslutsomrade]) -> Iterator[Problem]:
    # A model describes governance from now on: it is held to the newest law the engine knows.
    law = newest_kommunallag()
    # Without fullmäktige in the chain its root already has a problem; a holder then cannot be right.
    has_fullmaktige = any(b.slag is PositionKind.FULLMAKTIGE for _, b in chain.items)
    for index, omrade in omraden.items:
        reserved = reserved_matter(omrade.matter(), law)
        if reserved is None:
            continue
        what = f"'{omrade.kod}' gäller {reserved.ground.cite()}, som bara fullmäktige beslutar om"
        if omrade.kategori not in UNDELEGABLE_CATEGORIES:
            yield Problem(
                f"beslutsomraden[{index}].kategori",
                f"{what} och som aldrig får delegeras (KL {law.fullmaktige_delegates.paragraph}); "
                f"kategorin '{omrade.kategori}' gör det delegerbart. Ange kategori = "
                f"'{MatterCategory.FULLMAKTIGE}'.",
            )
        holder = chain.get(omrade.innehavare)
        if has_fullmaktige and holder is not None and holder.slag is not PositionKind.FULLMAKTIGE:
            yield Problem(
                f"beslutsomraden[{index}].innehavare",
                f"{what}; innehavaren ska vara fullmäktige, inte '{holder.id}' ({holder.slag}).",
            )
