"""What a position could decide on a day, as known on a day, and through which chain of delegations:
the one answer `audit authority` prints and the web's authority page shows.

The styrkedja and the holders of each beslutsområde are those of the styrmodell
in force that day (as recorded by the day known on); the delegations are
replayed from their own events (projections.asof.replay_records), so the answer
costs a few reads whatever the size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from lerum_flow.application import Governance
from lerum_flow.appointments import Holding
from lerum_flow.projections.asof import AsOf, model_version_on, replay_records
from lerum_flow.projections.authority import Authority, authority, candidate_delegations
from lerum_flow.projections.store import Views
from lerum_flow.projections.view import GovernanceView
from lerum_flow.record_ids import RecordLog
from lerum_flow.view_lookups import ViewHoldings, ViewPositions


@dataclass(frozen=True)
class NotEstablished:
    """Why the position asked about was no position on the day: established from `established_on`, a
    later day, as known on the day the answer is known on (`known_then`); or not known then to be
    established at all, and recorded since as established from `established_on`."""

    established_on: date
    known_then: bool

    def describe(self) -> str:
        """In words, where the answer names who held the position: the same on every surface."""
        day = self.established_on.isoformat()
        if self.known_then:
            return f"Befattningen fanns inte den dagen: den inrättades först från {day}."
        return (
            "Befattningen fanns inte den dagen, som det var känt då: att den är inrättad från "
            f"{day} registrerades först senare."
        )


@dataclass(frozen=True)
class AuthorityAnswer:
    held: list[Holding]
    found: list[Authority]
    # The root organ (fullmäktige) of the styrkedja that day: it holds every matter itself.
    root: str
    # Set when the position was none that day (established later): nobody could hold it then.
    not_established: NotEstablished | None = None


def holders_of(governance: Governance, live: Views, role: str, asked: AsOf) -> list[Holding]:
    """Who held `role` that day, looked for in the styrkedja of that day (a nämnd merged since, say):
    from the caught-up förordnande view's history, not a walk of the log."""
    governance.govern_on(asked.on)
    return ViewHoldings(cast(GovernanceView, live.forordnande)).holders(role, asked.on, asked.known_on)


def authority_on(
    governance: Governance, log: RecordLog, live: Views, role: str, asked: AsOf
) -> AuthorityAnswer:
    """`role`'s own matters and its delegations in force on the day, each with its chain; `live` are the
    caught-up views the candidate delegations are found in (then replayed as of the day)."""
    held = holders_of(governance, live, role, asked)
    candidates = candidate_delegations(live, role)
    version = model_version_on(log, asked)
    styrmodell = governance.styrmodell_of(version) if version else governance.styrmodell
    holders = {area.kod: area.innehavare for area in styrmodell.beslutsomraden}
    chain = styrmodell.styrkedja()
    store = replay_records(log, asked, candidates)
    try:
        found = authority(store.views, role, on=asked.on, holders=holders, root=chain.root().id)
    finally:
        store.close()
    later = None if role in chain else not_established(live, role, asked)
    return AuthorityAnswer(held, found, chain.root().id, later)


def not_established(live: Views, role: str, asked: AsOf) -> NotEstablished | None:
    """Whether the established position `role` was none on the day asked about, as known on the day
    known on: established only from a later day, or not known then to be established at all."""
    positions = ViewPositions(cast(GovernanceView, live.befattning))
    then = positions.established_on(role, asked.known_on)
    if then is not None:
        return NotEstablished(then, known_then=True) if then > asked.on else None
    now = positions.established_on(role, None) if asked.known_on is not None else None
    return NotEstablished(now, known_then=False) if now is not None else None
