"""What a position could decide on a day, as known on a day, and through which chain of delegations:
the one answer `audit authority` prints and the web's authority page shows.

The styrkedja and the holders of each beslutsområde are those of the styrmodell
in force that day (as recorded by the day known on); the delegations are
replayed from their own events (projections.asof.replay_records), so the answer
costs a few reads whatever the size of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from lerum_flow.application import Governance
from lerum_flow.appointments import Holding
from lerum_flow.projections.asof import AsOf, model_version_on, replay_records
from lerum_flow.projections.authority import Authority, authority, candidate_delegations
from lerum_flow.projections.store import Views
from lerum_flow.projections.view import GovernanceView
from lerum_flow.record_ids import RecordLog
from lerum_flow.view_lookups import ViewHoldings


@dataclass(frozen=True)
class AuthorityAnswer:
    held: list[Holding]
    found: list[Authority]
    # The root organ (fullmäktige) of the styrkedja that day: it holds every matter itself.
    root: str


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
    root = styrmodell.styrkedja().root().id
    store = replay_records(log, asked, candidates)
    try:
        found = authority(store.views, role, on=asked.on, holders=holders, root=root)
    finally:
        store.close()
    return AuthorityAnswer(held, found, root)
