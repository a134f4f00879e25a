"""Every kind of record the log holds.

A stored event names its class by topic (`lerum_flow:Beslut.Taken`), and a
topic is known once the module defining it is imported. Whoever decodes the
log (the application, the views' rebuild in its own process, the integrity
chain) imports this module, so that no event is unreadable because its
aggregate's module was not loaded on that path.
"""

from __future__ import annotations

from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.forordnande import Forordnande
from lerum_flow.domain.inforande import Inforande
from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.internkontroll_bedomning import Internkontrollbedomning
from lerum_flow.domain.rapportutkast import Rapportutkast
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.domain.styrmodell_record import StyrmodellRecord
from lerum_flow.domain.uppdrag import Uppdrag

RECORD_KINDS: tuple[type[GovernanceAggregate], ...] = (
    Avvikelse,
    Befattning,
    Beslut,
    Delegering,
    Forordnande,
    Inforande,
    Internkontrollbedomning,
    Internkontrollplan,
    Rapportutkast,
    Styrdokument,
    StyrmodellRecord,
    Uppdrag,
)
