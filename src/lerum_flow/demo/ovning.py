"""Rehearsals (övningar) the simulation can play: what goes wrong on purpose, so that the
engine's answer to it can be watched: a deadline missed, a report late, a deviation left lying.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.styrmodell import Styrmodell


class Ovning(StrEnum):
    # The newly elected KF adopts the budget a week after its deadline (30 November in Lerum).
    KF_MISSAR_BUDGET = "kf-missar-budget"
    # One nämnd sends its first delårsrapport to KS five days late.
    SEN_NAMND = "sen-namnd"
    # Nobody acknowledges one deviation: it goes up level by level as each deadline passes.
    OKVITTERAD = "okvitterad"


def chosen_rehearsals(styrmodell: Styrmodell, names: Iterable[str]) -> frozenset[Ovning]:
    """The rehearsals asked for, refused (nothing recorded) if one is unknown or the styrmodell
    has nothing it could rehearse."""
    chosen = set()
    for name in names:
        try:
            chosen.add(Ovning(name))
        except ValueError:
            raise InvalidInput(
                f"'{name}' är ingen övning; välj bland: {', '.join(Ovning)}.",
                field="ovning",
                rule="okand_ovning",
            ) from None
    if Ovning.SEN_NAMND in chosen and styrmodell.kalender.namnder is None:
        raise InvalidInput(
            f"Övningen '{Ovning.SEN_NAMND}' behöver nämnder som rapporterar till kommunstyrelsen, men "
            f"{styrmodell.kommun.namn}s styrmodell har ingen [kalender.namnder].",
            field="ovning",
            rule="ovning_saknar_namnder",
        )
    return frozenset(chosen)
