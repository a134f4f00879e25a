"""What an operator asks first: what waits past its deadline, how far the relay and the views lag, who leads.

Read from the record and the views, never written: it works under the
auditors' read-only role. The lags are measured before anything is read
(a status that caught the views up first would hide the lag it reports);
the overdue lists are then read from views that are current, or from the
log replayed in memory when they are not (`ViewStore.open_read_only`).

Overdue means, on the municipality's day and clock:
- an uppdrag whose report was due before today and is not in,
- an avvikelse its level has not acknowledged by the escalation's deadline,
- a step of an årshjul the process found missed: the avvikelse an årshjul
  records in its own name when a decision or report did not come, still open,
- a styrdokument in force whose aktualitetsprövning was due before today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eventsourcing.persistence import PersistenceError

from lerum_flow.acting_process import acting_process
from lerum_flow.application import Governance
from lerum_flow.avvikelse_acknowledgement import acknowledgement_deadlines
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.domain.values import AvvikelseStatus
from lerum_flow.leadership import ROLES, leader_present
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.avvikelse import AvvikelseRow, open_avvikelser
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.styrdokument_register import overdue_styrdokument
from lerum_flow.projections.uppdrag_queries import overdue_uppdrag
from lerum_flow.relay import RelayPosition
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell

ARSHJUL_PROCESS_PREFIX = "arshjul-"


@dataclass(frozen=True)
class Overdue:
    """One thing waiting past its deadline: what kind, which record, who must act, since when."""

    kind: str  # uppdrag | avvikelse | arshjul | styrdokument
    id: str
    what: str
    holder: str
    deadline: str  # ISO date, or date and time for an acknowledgement


@dataclass(frozen=True)
class DriftStatus:
    at: datetime
    head: int
    # None: not known (no relay has run yet, or this role may not read its position).
    relay_position: int | None
    view_positions: dict[str, int | None]
    # None: cannot tell from here (a read-only SQLite store takes no lock to ask).
    leaders: dict[str, bool | None]
    overdue: list[Overdue]

    @property
    def relay_lag(self) -> int | None:
        return None if self.relay_position is None else max(0, self.head - self.relay_position)

    def view_lags(self) -> dict[str, int | None]:
        return {name: None if p is None else max(0, self.head - p) for name, p in self.view_positions.items()}


def relay_position(settings: Settings, name: str) -> int | None:
    if not settings.uses_postgres and not settings.sqlite_path("relay").exists():
        return None  # no relay has run against this store
    try:
        position = RelayPosition(settings)
    except PersistenceError:
        return None
    try:
        return position.get(name)
    except PersistenceError:
        return None
    finally:
        position.close()


def view_positions(settings: Settings) -> tuple[int, dict[str, int | None]]:
    """The log's head and each view's position as they stand (nothing caught up)."""
    store = ViewStore.open(settings)
    try:
        projector = store.projector()
        return projector.head(), dict(projector.positions())
    finally:
        store.close()


def gather(settings: Settings, governance: Governance, styrmodell: Styrmodell, now: datetime) -> DriftStatus:
    """The status now (`now` aware, in municipal time); reads only."""
    try:
        head, positions = view_positions(settings)
    except PersistenceError:  # the views were never made in this store (a read-only role cannot)
        head, positions = governance.head(), {}
    relayed = relay_position(settings, governance.name)
    leaders = {role: leader_present(settings, role) for role in ROLES}
    store, _answered = ViewStore.open_read_only(settings)
    try:
        overdue = [
            *_uppdrag(store, now),
            *_avvikelser(store, governance, styrmodell, now),
            *_arshjul(store, governance),
            *_styrdokument(store, governance, now),
        ]
        names = [p.name for p in store.projections]
    finally:
        store.close()
    views: dict[str, int | None] = {name: positions.get(name) for name in names}
    return DriftStatus(now, head, relayed, views, leaders, overdue)


def _uppdrag(store: ViewStore, now: datetime) -> list[Overdue]:
    return [
        Overdue("uppdrag", str(u.id), u.title, u.recipient, u.due.isoformat())
        for u in overdue_uppdrag(store.views, now.date())
        if u.due is not None
    ]


def _avvikelser(
    store: ViewStore, governance: Governance, styrmodell: Styrmodell, now: datetime
) -> list[Overdue]:
    deadline_of = acknowledgement_deadlines(governance, styrmodell)
    late: list[tuple[datetime, AvvikelseRow]] = []
    for row in store.views.avvikelse.select(AvvikelseRow, status=AvvikelseStatus.REPORTED.value):
        deadline = deadline_of(row)
        if deadline is not None and now > deadline:
            late.append((deadline, row))
    late.sort(key=lambda item: item[0])
    return [
        Overdue(
            "avvikelse",
            str(row.id),
            row.description,
            row.level,
            # The municipality's clock, as the board shows it.
            deadline.astimezone(MUNICIPAL_TIME).isoformat(timespec="minutes"),
        )
        for deadline, row in late
    ]


def _arshjul(store: ViewStore, governance: Governance) -> list[Overdue]:
    """Steps an årshjul found missed: the avvikelser it recorded in its own name, while still open.

    From the open deviations (the view's index), each one's first event says who reported it: the
    cost follows what is open now, not every deviation the log has ever held."""
    rows = [r for r in open_avvikelser(store.views.avvikelse) if _reported_by_arshjul(governance, r)]
    return [
        Overdue("arshjul", str(r.id), r.description, r.level, r.occurred_on.isoformat())
        for r in sorted(rows, key=lambda r: (r.occurred_on, r.description))
    ]


def _reported_by_arshjul(governance: Governance, row: AvvikelseRow) -> bool:
    [reported] = governance.events_of(row.id, limit=1)
    process = acting_process(reported)
    return process is not None and process.startswith(ARSHJUL_PROCESS_PREFIX)


def _styrdokument(store: ViewStore, governance: Governance, now: datetime) -> list[Overdue]:
    today = now.date()
    rows = overdue_styrdokument(store.views, today)
    # Named as it is today: the row holds the title recorded last, which may be one decided for a later
    # day. Each overdue document's own events say it (a few reads: only the overdue ones).
    late = [
        (d.review_by, governance.read_with_events(Styrdokument, d.id)[0].title_on(today), d)
        for d in rows
        if d.review_by is not None
    ]
    return [
        Overdue("styrdokument", str(d.id), title, d.adopted_by, review_by.isoformat())
        for review_by, title, d in sorted(late, key=lambda item: item[:2])
    ]
