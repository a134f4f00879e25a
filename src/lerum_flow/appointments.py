"""The register of förordnanden in `Governance`: who held which position when, the check every
person's command passes, and the commands that appoint and end.

A person acts in a position only on a day they held it (`check_acting`, called
from every stamp); a process (a workflow carrying out a decision) holds none
and is not asked. Who may appoint whom is `lerum_flow.domain.tillsattning`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from lerum_flow import commands as c
from lerum_flow.domain.acting import check_holds_position, check_not_auditor, is_process_person
from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import Conflict, NotFound, NotPermitted
from lerum_flow.domain.forordnande import Appointment, Basis, Forordnande, Role, Term, forordnande_id
from lerum_flow.domain.inforande import INFORANDE_ID, Inforande
from lerum_flow.domain.styrkedja import is_auditor
from lerum_flow.domain.tillsattning import (
    Appointer,
    appointer,
    check_appointer,
    check_basis,
    check_introduction,
    describe,
    ending_appointer,
    role_for,
)
from lerum_flow.domain.values import Actor, derive_id
from lerum_flow.recording import ALREADY_RECORDED, Outcome, project, serialised
from lerum_flow.use_cases import UseCases

FORORDNANDE_TOPICS = (
    Forordnande.Appointed.TOPIC,
    Forordnande.Reappointed.TOPIC,
    Forordnande.Ended.TOPIC,
)


@dataclass(frozen=True)
class Holding:
    """One person's term in one position, as the register shows it."""

    position: str
    person: str
    term: Term


class Appointments(UseCases):
    """Förordnanden: recorded, checked and read."""

    clock: Callable[[], datetime]

    # --- the check ------------------------------------------------------------------

    def check_acting(self, position: str, person: str, on: date) -> None:
        """Refuse a person who did not hold `position` on `on`; a process is not a person."""
        if not is_process_person(person):
            check_holds_position(self.forordnande(position, person), position=position, person=person, on=on)

    # --- the commands ----------------------------------------------------------------

    @serialised
    def introduce_register(self, cmd: c.IntroduceRegister) -> Outcome:
        """Take the register into use: fullmäktige's first sekreterare, once per store."""
        position = self.position(cmd.actor, field="as")
        check_not_auditor(is_auditor(position, self.position))
        _person_only(cmd)
        stamp = Stamp(
            command_id=cmd.derived_command_id(),
            explicit_id=cmd.command_id is not None,
            actor=Actor(position=position.id, person=cmd.person),
            recorded_at=self.clock(),
            effective_on=cmd.valid_from,
            secrecy=cmd.secrecy,
        )
        new_id = forordnande_id(position.id, cmd.appointee)
        # The marker's event is the command's second: it gets an id of its own, derived from the
        # command's, so that each event stands for one command id.
        marker_stamp = replace(stamp, command_id=derive_id("inforande", str(stamp.command_id)))
        introduced = self._existing(Inforande, INFORANDE_ID)
        if introduced is not None and introduced.has_handled(marker_stamp.command_id):
            return Outcome(new_id, False, 1, ALREADY_RECORDED)
        check_introduction(position, introduced)
        marker = Inforande.introduce(marker_stamp, position=position.id, secretary=cmd.appointee)
        appointment = Appointment(Role.SEKRETERARE, None, cmd.valid_from, Basis.INFORANDE)
        first = Forordnande.appoint(
            new_id, stamp, position=position.id, appointee=cmd.appointee, appointment=appointment
        )
        if self.in_batch:
            # The batch is saved in one transaction: both, or neither.
            self._commit(marker)
            self._commit(first)
            return Outcome(new_id, True, first.version, "Registrerat.")
        try:
            # Both or neither: the marker's fixed id is what lets only one introduction in.
            self.save(marker, first)
        except IntegrityError:
            # Another introduction got in first, or ours landed and the connection dropped.
            introduced = self._existing(Inforande, INFORANDE_ID)
            if introduced is None or not introduced.has_handled(marker_stamp.command_id):
                check_introduction(position, introduced)
                raise Conflict(
                    "Registret kunde inte införas; försök igen.", field="id", rule="konflikt"
                ) from None
            return Outcome(new_id, introduced.recorded_at == stamp.recorded_at, 1, "Registrerat.")
        return Outcome(new_id, True, first.version, "Registrerat.")

    @serialised
    def appoint(self, cmd: c.Appoint) -> Outcome:
        """A förordnande by its appointer, who held their own position on the day of the decision."""
        # Stamped first: the stamp reads the established positions afresh (one may be discontinued).
        stamp = self._stamp(cmd, cmd.decided_on)
        # It must exist from the term's first day (it may be decided before, to be held from then).
        position = self.position_on(cmd.position, cmd.valid_from, field="position")
        role = role_for(position, cmd.role)
        by = appointer(position, role, self.ancestors(position.id))
        check_appointer(
            by,
            stamp.actor.position,
            self._acting_role(cmd, cmd.decided_on),
            describe(position.id, cmd.appointee, role),
        )
        self._check_basis(by, cmd.bevis, cmd.beslut_id, cmd.decided_on)
        # A term reaching the day its position is discontinued from would be held in no position.
        self.check_not_outlived(position.id, cmd.valid_until, what="förordnandet", field="valid-until")
        appointment = Appointment(role, cmd.valid_until, cmd.decided_on, by.basis, cmd.bevis, cmd.beslut_id)
        stamp = replace(stamp, effective_on=cmd.valid_from)
        record_id = forordnande_id(position.id, cmd.appointee)
        if self._existing(Forordnande, record_id) is None:
            return self._create(
                Forordnande,
                record_id,
                stamp,
                lambda: Forordnande.appoint(
                    record_id, stamp, position=position.id, appointee=cmd.appointee, appointment=appointment
                ),
            )
        return self._update(Forordnande, record_id, stamp, lambda f, s: f.reappoint(s, appointment))

    @serialised
    def end_forordnande(self, cmd: c.EndForordnande) -> Outcome:
        """The latest term ends after `valid_until`, by whoever appoints to it."""
        stamp = self._stamp(cmd, cmd.decided_on)  # first, as in appoint
        position = self.position(cmd.position, field="position")
        found = self.forordnande(position.id, cmd.appointee)
        if found is None:
            raise NotFound(
                f"{cmd.appointee} har inget förordnande som '{position.id}'.",
                field="PERSON",
                rule="okant_forordnande",
            )
        role = found.terms[-1].role
        by = ending_appointer(appointer(position, role, self.ancestors(position.id)))
        check_appointer(
            by,
            stamp.actor.position,
            self._acting_role(cmd, cmd.decided_on),
            describe(position.id, cmd.appointee, role),
        )
        self._check_basis(by, "", cmd.beslut_id, cmd.decided_on)
        return self._update(
            Forordnande,
            found.id,
            replace(stamp, effective_on=cmd.valid_until + timedelta(days=1)),
            lambda f, s: f.end(s, decided_on=cmd.decided_on, reason=cmd.reason, beslut_id=cmd.beslut_id),
        )

    def _acting_role(self, cmd: c.Command, decided_on: date) -> Role:
        """The role the appointer's person acts in; a process appoints nobody."""
        _person_only(cmd)
        term = self.holding(cmd.actor, cmd.person, decided_on)
        assert term is not None  # _stamp refused anyone who did not hold it
        return term.role

    def _check_basis(self, by: Appointer, bevis: str, beslut_id: UUID | None, decided_on: date) -> None:
        cited = None
        if beslut_id is not None:
            beslut = self._get(Beslut, beslut_id, field="beslut")
            cited = (beslut.decided_by, beslut.decided_on)
        check_basis(by, bevis=bevis, beslut=cited, decided_on=decided_on)

    # --- the register, read -------------------------------------------------------------

    def appointments(self, *, known_until: datetime | None = None) -> list[Forordnande]:
        """Every förordnande in the register, as recorded before `known_until` (None: now)."""
        events: dict[UUID, list[GovernanceAggregate.Event]] = {}
        for page in self.pages(topics=FORORDNANDE_TOPICS):
            for notification in page.notifications:
                event = self.to_event(notification)
                if known_until is None or event.timestamp < known_until:
                    events.setdefault(event.originator_id, []).append(event)
        return [project(None, history) for history in events.values()]

    def holders(self, position: str, on: date, *, known_until: datetime | None = None) -> list[Holding]:
        """Who held `position` on `on`, as recorded before `known_until`."""
        return sorted(
            (
                Holding(f.position, f.appointee, term)
                for f in self.appointments(known_until=known_until)
                if f.position == position and (term := f.held_on(on)) is not None
            ),
            key=lambda h: (h.term.role, h.person),
        )

    def held_by(self, person: str, on: date, *, known_until: datetime | None = None) -> list[Holding]:
        """The positions `person` held on `on`, as recorded before `known_until`: what a login may do."""
        return sorted(
            (
                Holding(f.position, f.appointee, term)
                for f in self.appointments(known_until=known_until)
                if f.appointee == person and (term := f.held_on(on)) is not None
            ),
            key=lambda h: h.position,
        )

    def register(self) -> Iterator[Holding]:
        """Every term of every förordnande, by position, person and first day."""
        terms = [Holding(f.position, f.appointee, t) for f in self.appointments() for t in f.terms]
        yield from sorted(terms, key=lambda h: (h.position, h.person, h.term.valid_from))


def _person_only(cmd: c.Command) -> None:
    """Refuse a förordnande recorded by a process: it holds none, so it appoints nobody."""
    if is_process_person(cmd.person):
        raise NotPermitted(
            "En process har inget förordnande och tillsätter ingen.", field="person", rule="endast_person"
        )
