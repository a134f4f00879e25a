"""What the escalation tests share: a unit with a chef and a medarbetare, reporting, reading the record."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from unit.governance_world import appoint, staff

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.values import AvvikelseSubject
from lerum_flow.municipal_time import business_day

PERSON = "p-test"
SECTOR = "larande"
CHEF = "enhetschef-test"
MEDARBETARE = "medarbetare-test"
# The Lerum styrmodell's kvittens_timmar by level, for the levels above a medarbetare of the unit.
LEVEL_HOURS = {CHEF: 24, SECTOR: 24, "kommundirektor": 24, "ks": 72, "kf": 168}
FROM_MEDARBETARE = [CHEF, SECTOR, "kommundirektor", "ks", "kf"]


def establish_unit(governance: Governance, on: date) -> None:
    """A chef under the sector and a medarbetare under the chef, PERSON holding the chain and both
    (idempotent: ids are deterministic)."""
    staff(governance, person=PERSON)
    for code, kind, parent, held in ((CHEF, "chef", SECTOR, ()), (MEDARBETARE, "medarbetare", CHEF, (CHEF,))):
        governance.establish_befattning(
            c.EstablishBefattning(
                actor=parent,
                person=PERSON,
                code=code,
                name=code.replace("-", " ").capitalize(),
                kind=kind,
                parent=parent,
                established_on=on,
            )
        )
        appoint(governance, code, PERSON, on=on, held=held, holder=PERSON)


def report(governance: Governance, actor: str, *, severity: str = "avvikelse", key: str = "") -> uuid.UUID:
    outcome = governance.report_avvikelse(
        c.ReportAvvikelse(
            actor=actor,
            person=PERSON,
            subject_kind=AvvikelseSubject.HANDELSE,
            subject_ref="provning",
            severity=severity,
            category="verksamhet",
            description=f"Avvikelse {key or 'i provningen'}.",
            occurred_on=business_day(governance.clock()),
            key=key,
        )
    )
    return outcome.id


def reported_at(governance: Governance, when: datetime, report_it: Callable[[], uuid.UUID]) -> uuid.UUID:
    """Report with the store's clock stopped at `when`: the deviation reaches its level then."""
    clock = governance.clock
    governance.clock = lambda: when
    try:
        return report_it()
    finally:
        governance.clock = clock


def history(governance: Governance, avvikelse_id: uuid.UUID) -> list[Any]:
    return list(governance.events_of(avvikelse_id))


def deadlines_recorded(events: list[Any]) -> list[tuple[str, datetime, datetime]]:
    """(level, the time it reached the level, the deadline recorded as missed) per missed deadline."""
    found = []
    since: datetime | None = None
    for event in events:
        if isinstance(event, Avvikelse.Reported | Avvikelse.Escalated):
            since = event.timestamp
        elif isinstance(event, Avvikelse.DeadlineMissed):
            assert since is not None
            found.append((event.level, since.astimezone(UTC), event.deadline.astimezone(UTC)))
    return found


def hours(n: int) -> timedelta:
    return timedelta(hours=n)
