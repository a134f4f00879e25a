"""Staffing: the förordnanden of a whole cast, in the order the law lets them be made.

Where many people take up their positions at once (the demo's municipality,
the bench, the tests' worlds, a register moved in from another system), each
förordnande is still made by its appointer (`lerum_flow.domain.tillsattning`),
who must be in the cast and appointed before; an organ's förordnanden rest on
one decision of that organ, taken first. The plan is commands, so it can be
recorded at once (`staff`) or scheduled among others (the workload).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.appointments import Appointments
from lerum_flow.domain.forordnande import ELECTED_ROLES, ROLE_NAMES, Basis, Role
from lerum_flow.domain.styrkedja import Position, chain_above
from lerum_flow.domain.tillsattning import Appointer, appointer, role_for
from lerum_flow.domain.values import BeslutKind
from lerum_flow.recording import Outcome

DEFAULT_BEVIS = "Länsstyrelsens bevis om vilka som valts till ledamöter och ersättare i fullmäktige"


@dataclass(frozen=True)
class Seat:
    """One person to hold one position; the usual role for it when `role` is empty."""

    position: str
    person: str
    role: str = ""


@dataclass(frozen=True)
class StaffingAct:
    """One command of a staffing plan, the Governance method that records it, and what it is."""

    method: str
    command: c.Command
    what: str


@dataclass
class _Staffed:
    """Who holds what so far in the plan, and each organ's decision on its förordnanden."""

    seats: dict[str, list[tuple[str, Role]]]
    decisions: dict[str, UUID]

    def actor(self, by: Appointer) -> str | None:
        """A person who may act for the appointer: in the role it requires, if it requires one."""
        return next(
            (p for p, r in self.seats.get(by.position, []) if by.actor_role in (None, r)),
            None,
        )


def staffing_plan(
    cast: Iterable[Seat],
    resolve: Callable[[str], Position],
    *,
    on: date,
    until: date,
    held: Sequence[Seat] = (),
    introduce: Seat | None = None,
    bevis: str = DEFAULT_BEVIS,
    matter: str = "förordnanden",
) -> list[StaffingAct]:
    """The commands that give every seat of `cast` from `on` (elected ones until `until`).

    `held` are seats recorded before; with `introduce` (fullmäktige's first
    sekreterare), the plan starts by taking the register into use. Each organ's
    decision is filed as `<ORGAN> <year>/<matter>`: another plan for the same
    organ and day needs a matter of its own.
    Raises ValueError for a seat whose appointer nobody in the cast holds.
    """
    staffed = _Staffed({}, {})
    acts: list[StaffingAct] = []
    if introduce is not None:
        acts.append(
            StaffingAct(
                "introduce_register",
                c.IntroduceRegister(
                    actor=introduce.position,
                    person=introduce.person,
                    appointee=introduce.person,
                    valid_from=on,
                ),
                f"Registret införs: {introduce.person} blir sekreterare i {introduce.position}",
            )
        )
        held = [*held, replace(introduce, role=Role.SEKRETERARE)]
    for seat in held:
        role = role_for(resolve(seat.position), seat.role)
        staffed.seats.setdefault(seat.position, []).append((seat.person, role))
    pending = [s for s in cast if not _already(staffed, s, resolve)]
    while pending:
        ready = [(s, by, person) for s, by, person in _appointable(pending, staffed, resolve) if person]
        if not ready:
            raise ValueError(f"ingen i rollistan kan tillsätta {', '.join(s.position for s in pending)}")
        for seat, by, person in ready:
            acts.extend(
                _appointment(
                    seat, by, person, staffed, resolve, on=on, until=until, bevis=bevis, matter=matter
                )
            )
            pending.remove(seat)
    return acts


def _already(staffed: _Staffed, seat: Seat, resolve: Callable[[str], Position]) -> bool:
    role = role_for(resolve(seat.position), seat.role)
    return (seat.person, role) in staffed.seats.get(seat.position, [])


def _appointable(
    pending: Sequence[Seat], staffed: _Staffed, resolve: Callable[[str], Position]
) -> list[tuple[Seat, Appointer, str | None]]:
    found = []
    for seat in pending:
        position = resolve(seat.position)
        by = appointer(position, role_for(position, seat.role), chain_above(position, resolve))
        found.append((seat, by, staffed.actor(by)))
    return found


def _appointment(
    seat: Seat,
    by: Appointer,
    actor: str,
    staffed: _Staffed,
    resolve: Callable[[str], Position],
    *,
    on: date,
    until: date,
    bevis: str,
    matter: str,
) -> list[StaffingAct]:
    acts = []
    role = role_for(resolve(seat.position), seat.role)
    if by.basis is Basis.BESLUT and by.position not in staffed.decisions:
        decision = c.TakeBeslut(
            actor=by.position,
            person=actor,
            decided_by=by.position,
            kind=BeslutKind.OVRIGT,
            diarienummer=f"{by.position.upper()} {on.year}/{matter}",
            paragraf="§ 1",
            title="Val och förordnanden",
            decided_on=on,
        )
        staffed.decisions[by.position] = decision.beslut_id()
        acts.append(StaffingAct("take_beslut", decision, f"{by.position} beslutar om val och förordnanden"))
    if by.basis is Basis.VALBEVIS:
        what = (
            f"{by.position}:s sekreterare registrerar länsstyrelsens bevis: {seat.person} {ROLE_NAMES[role]}"
        )
    else:
        what = f"{by.position} förordnar {seat.person} som {ROLE_NAMES[role]} i {seat.position}"
    command = c.Appoint(
        actor=by.position,
        person=actor,
        position=seat.position,
        appointee=seat.person,
        role=str(role),
        valid_from=on,
        valid_until=until if role in ELECTED_ROLES else None,
        decided_on=on,
        beslut_id=staffed.decisions.get(by.position) if by.basis is Basis.BESLUT else None,
        bevis=bevis if by.basis is Basis.VALBEVIS else "",
    )
    acts.append(StaffingAct("appoint", command, what))
    staffed.seats.setdefault(seat.position, []).append((seat.person, role))
    return acts


def record_plan(governance: Appointments, acts: Iterable[StaffingAct]) -> list[Outcome]:
    """Record a plan through `governance` in one transaction (in the caller's batch, if one is open):
    every act, or on a refusal, which is raised, none."""
    if governance.in_batch:
        return [getattr(governance, act.method)(act.command) for act in acts]
    with governance.batch():
        return [getattr(governance, act.method)(act.command) for act in acts]
