"""Where a deviation stands now: its level, the level above, and the deadline to acknowledge.

One reading for the escalation's activities and for what a person is shown
after a command (`avvikelse report`): the deadline a person sees is the one the
workflow keeps. No Temporal here, so the command line can ask it.
"""

from __future__ import annotations

from datetime import UTC
from uuid import UUID

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse, Status
from lerum_flow.domain.escalation_route import informed_levels, next_level
from lerum_flow.styrmodell.frister import acknowledgement_deadline, acknowledgement_time
from lerum_flow.workflows.eskalering.models import Lage


def read_lage(governance: Governance, avvikelse_id: UUID) -> Lage:
    """Where the deviation stands now: one consistent read of its events."""
    avvikelse, events = governance.read_with_events(Avvikelse, avvikelse_id)
    delivered = next(e for e in reversed(events) if isinstance(e, Avvikelse.Reported | Avvikelse.Escalated))
    position = governance.position(avvikelse.level)
    above = governance.deviation_chain(avvikelse.level)
    allowed = acknowledgement_time(governance.styrmodell, str(position.kind))
    awaiting = avvikelse.status is Status.REPORTED
    return Lage(
        avvikelse_id=avvikelse_id,
        version=avvikelse.version,
        status=str(avvikelse.status),
        is_open=avvikelse.is_open,
        level=avvikelse.level,
        level_name=position.name,
        visit=delivered.originator_version,
        at_level_since=delivered.timestamp.astimezone(UTC),
        deadline=(
            acknowledgement_deadline(delivered.timestamp, allowed)
            if awaiting and avvikelse.is_open and allowed is not None
            else None
        ),
        above=next_level(above),
        severity=avvikelse.severity,
        inform=informed_levels(above, governance.styrmodell.allvarlighetsgrad(avvikelse.severity)),
    )
