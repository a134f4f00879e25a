"""Random histories of grants, vidaredelegationer, revocations, appointments and decisions: the
engine, `audit authority` and an independent oracle written here accept exactly the same decisions.

The oracle knows the law as a person would state it: a decision under a
delegation stands if the delegate takes it, on a day when its delegation and
every delegation that one rests on had begun and not yet been revoked, and it
is an individual decision (or the director's own vidaredelegation); and the
person who takes it held the delegate's position that day (appointed on or
before it, not yet left). It shares no code with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unit.governance_world import STAFFED_FROM, appoint, event_count, governance, person_of, send

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import Refusal
from lerum_flow.projections.asof import AsOf, replay
from lerum_flow.projections.authority import authority
from lerum_flow.styrmodell import default_styrmodell

DIRECTOR = "kommundirektor"
SECTORS = ("larande", "samhallsbyggnad")
MATTERS = ("upphandling", "personal")
DAYS = tuple(date(2027, 1, 1) + timedelta(days=15 * step) for step in range(8))
KINDS = ("ovrigt", "budget", "delegationsordning")
HOLDERS = {area.kod: area.innehavare for area in default_styrmodell().beslutsomraden}


@dataclass(frozen=True)
class Grant:
    matter: str
    on: date


@dataclass(frozen=True)
class Vidare:
    parent: int
    sector: str
    on: date


@dataclass(frozen=True)
class Revoke:
    target: int
    on: date


@dataclass(frozen=True)
class Decide:
    target: int
    by: str
    kind: str
    on: date
    # 0: the sector's first holder; 1: the one the director appoints later (who may not be yet).
    newcomer: int = 0


@dataclass(frozen=True)
class Leave:
    """The sector's first holder leaves: the director ends the förordnande, `on` its last day."""

    sector: str
    on: date


@dataclass(frozen=True)
class Appoint:
    """The director appoints the sector's newcomer from `on`."""

    sector: str
    on: date


Step = Grant | Vidare | Revoke | Decide | Leave | Appoint

days = st.sampled_from(DAYS)
targets = st.integers(min_value=0, max_value=20)
steps = st.lists(
    st.one_of(
        st.builds(Grant, st.sampled_from(MATTERS), days),
        st.builds(Vidare, targets, st.sampled_from(SECTORS), days),
        st.builds(Revoke, targets, days),
        st.builds(
            Decide,
            targets,
            st.sampled_from((DIRECTOR, *SECTORS)),
            st.sampled_from(KINDS),
            days,
            st.integers(min_value=0, max_value=1),
        ),
        st.builds(Leave, st.sampled_from(SECTORS), days),
        st.builds(Appoint, st.sampled_from(SECTORS), days),
    ),
    min_size=1,
    max_size=14,
)


@dataclass
class Delegation:
    """The oracle's own record of a delegation granted."""

    granted_by: str
    delegate: str
    parent: UUID | None
    start: date
    end: date | None = None


def newcomer(sector: str) -> str:
    return f"p-ny-{sector}"


@dataclass
class Oracle:
    delegations: dict[UUID, Delegation] = field(default_factory=dict)
    # Who holds a position: (position, person) -> (first day, last day or None).
    terms: dict[tuple[str, str], tuple[date, date | None]] = field(default_factory=dict)

    def holds(self, position: str, person: str, on: date) -> bool:
        """The world's people hold their positions from the first day a record can have."""
        if (position, person) not in self.terms:
            return person == person_of(position) and position not in self.left
        start, last = self.terms[(position, person)]
        return start <= on and (last is None or on <= last)

    @property
    def left(self) -> set[str]:
        return {position for (position, person), _ in self.terms.items() if person == person_of(position)}

    def holder(self, position: str, on: date) -> str | None:
        people = [person_of(position)] + [p for (pos, p) in self.terms if pos == position]
        return next((p for p in people if self.holds(position, p, on)), None)

    def in_force_through_the_chain(self, ident: UUID, on: date) -> bool:
        current: UUID | None = ident
        while current is not None:
            d = self.delegations[current]
            if on < d.start or (d.end is not None and on >= d.end):
                return False
            current = d.parent
        return True

    def may_decide(self, ident: UUID, by: str, kind: str, on: date) -> bool:
        delegation = self.delegations[ident]
        lawful_kind = kind == "ovrigt" or (kind == "delegationsordning" and by == DIRECTOR)
        return by == delegation.delegate and lawful_kind and self.in_force_through_the_chain(ident, on)


class History:
    """Runs steps through Governance, asking the oracle before each what must happen."""

    def __init__(self) -> None:
        self.app: Governance = governance()
        self.oracle = Oracle()
        self.granted: list[UUID] = []
        self.serial = 0

    def _key(self) -> int:
        self.serial += 1
        return self.serial

    def leave(self, step: Leave) -> None:
        person = person_of(step.sector)
        # A second ending of the same förordnande is refused ("redan avslutat"); the same one
        # again is a retry, answered "already recorded".
        earlier = self.oracle.terms.get((step.sector, person))
        lawful = earlier is None or earlier[1] == step.on
        ended = self.attempt(
            lawful, "end_forordnande", DIRECTOR, position=step.sector, appointee=person, valid_until=step.on,
            reason="Ny tjänst", decided_on=step.on,
        )  # fmt: skip
        if ended is not None:
            self.oracle.terms[(step.sector, person)] = (STAFFED_FROM, step.on)

    def appoint(self, step: Appoint) -> None:
        person = newcomer(step.sector)
        if (step.sector, person) in self.oracle.terms:
            return  # one term each: a second would have to wait for the first to end
        appoint(self.app, step.sector, person, on=step.on)
        self.oracle.terms[(step.sector, person)] = (step.on, None)

    def attempt(self, expected: bool, method: str, actor: str, **fields: Any) -> UUID | None:
        """Send a command; it must be accepted exactly when the oracle expects, and record nothing if not.
        An identical command sent again is accepted as already recorded, as every retry is."""
        before = event_count(self.app)
        try:
            outcome: Outcome | Refusal = send(self.app, method, actor, **fields)
        except Refusal as refusal:
            outcome = refusal
        if isinstance(outcome, Refusal):
            assert not expected, f"{method} refused, the oracle accepts it: {outcome.message}"
            assert event_count(self.app) == before
            return None
        assert expected, f"{method} accepted, the oracle refuses it"
        return outcome.id

    def grant(self, step: Grant) -> None:
        key = self._key()
        ordning = send(
            self.app, "take_beslut", "ks", decided_by="ks", kind="delegationsordning",
            diarienummer=f"KS 2026/{key}", paragraf=f"§ {key}", title="Delegationsordning",
            decided_on=date(2026, 12, 10),
        ).id  # fmt: skip
        granted = self.attempt(
            True, "grant_delegering", "ks", delegates=[DIRECTOR], matter=step.matter, beslut_id=ordning,
            valid_from=step.on,
        )  # fmt: skip
        assert granted is not None
        self.oracle.delegations[granted] = Delegation("ks", DIRECTOR, None, step.on)
        self.granted.append(granted)

    def vidare(self, step: Vidare) -> None:
        parent = self.granted[step.parent % len(self.granted)]
        lawful = self.oracle.may_decide(parent, DIRECTOR, "delegationsordning", step.on)
        decision = {
            "decided_by": DIRECTOR, "kind": "delegationsordning", "diarienummer": f"KS 2027/V{self._key()}",
            "title": "Vidaredelegation", "decided_on": step.on, "delegering_id": parent,
        }  # fmt: skip
        self.attempt(lawful, "take_beslut", DIRECTOR, **decision)
        beslut_id = c.parse_command(c.TakeBeslut, actor=DIRECTOR, person="p", **decision).beslut_id()
        matter = self.app.delegation_chain(parent)[0].matter
        granted = self.attempt(
            lawful, "grant_delegering", DIRECTOR, delegates=[step.sector], matter=matter, beslut_id=beslut_id,
            parent_delegering_id=parent, valid_from=step.on,
        )  # fmt: skip
        if granted is not None:
            self.oracle.delegations[granted] = Delegation(DIRECTOR, step.sector, parent, step.on)
            self.granted.append(granted)

    def revoke(self, step: Revoke) -> None:
        target = self.granted[step.target % len(self.granted)]
        delegation = self.oracle.delegations[target]
        # The same revocation again is a retry, answered "already recorded".
        lawful = (delegation.end is None and step.on >= delegation.start) or delegation.end == step.on
        revoked = self.attempt(
            lawful, "revoke_delegering", delegation.granted_by, delegering_id=target, reason="Ny ordning",
            valid_from=step.on,
        )  # fmt: skip
        if revoked is not None:
            delegation.end = step.on

    def decide(self, step: Decide) -> None:
        target = self.granted[step.target % len(self.granted)]
        person = newcomer(step.by) if step.newcomer and step.by in SECTORS else person_of(step.by)
        lawful = self.oracle.may_decide(target, step.by, step.kind, step.on) and self.oracle.holds(
            step.by, person, step.on
        )
        self.attempt(
            lawful, "take_beslut", step.by, person=person,
            decided_by=step.by, kind=step.kind, diarienummer=f"D {self._key()}", title="Beslut",
            decided_on=step.on, delegering_id=target,
        )  # fmt: skip

    def run(self, step: Step) -> None:
        if isinstance(step, Grant):
            self.grant(step)
        elif isinstance(step, Leave):
            self.leave(step)
        elif isinstance(step, Appoint):
            self.appoint(step)
        elif self.granted and isinstance(step, Vidare):
            self.vidare(step)
        elif self.granted and isinstance(step, Revoke):
            self.revoke(step)
        elif self.granted and isinstance(step, Decide):
            self.decide(step)

    def audit_says(self, on: date) -> set[UUID]:
        """The delegations `audit authority` says carried a decision on `on`, for every delegate."""
        store = replay(self.app, AsOf(on))
        try:
            return {
                item.chain[0].delegering.id
                for delegate in (DIRECTOR, *SECTORS)
                for item in authority(store.views, delegate, on=on, holders=HOLDERS, root="kf")
                if item.chain and item.valid
            }
        finally:
            store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_engine_auditor_and_oracle_accept_the_same_decisions(history_steps: list[Step]) -> None:
    """Every step is accepted exactly when the oracle accepts it (refused ones record nothing); then,
    for every delegation and day, the command path, `audit authority` and the oracle agree."""
    history = History()
    for step in history_steps:
        history.run(step)
    for on in DAYS:
        carried_by_audit = history.audit_says(on)
        for ident in history.granted:
            delegate = history.oracle.delegations[ident].delegate
            oracle = history.oracle.may_decide(ident, delegate, "ovrigt", on)
            # The position's authority is the audit's; a person acts in it only while holding it.
            assert (ident in carried_by_audit) == oracle
            person = history.oracle.holder(delegate, on)
            if person is None:
                continue
            command = history.attempt(
                oracle, "take_beslut", delegate, person=person, decided_by=delegate, kind="ovrigt",
                diarienummer=f"P {history._key()}", title="Prov", decided_on=on, delegering_id=ident,
            )  # fmt: skip
            assert (command is not None) == oracle
