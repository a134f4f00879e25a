"""Governance: the one application through which every governance fact is recorded.

Each command is validated at the edge, checked against the styrkedja and the
delegations in force, applied to its aggregate and saved. Retries are safe:
a command whose id the aggregate has already handled is answered "already
recorded", and a save that lost a race is retried on the fresh state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    Recording,
    Transcoder,
)
from eventsourcing.utils import Environment, EnvType, get_topic

from lerum_flow import commands as c
from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering, delegering_id
from lerum_flow.domain.errors import Conflict, InvalidInput, InvalidState, NotFound, NotPermitted, Refusal
from lerum_flow.domain.law import DelegationRequest, Matter, check_delegation
from lerum_flow.domain.styrkedja import (
    Position,
    PositionKind,
    chain_above,
    check_establishable,
    is_auditor,
)
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import Actor, AvvikelseSubject, BeslutKind, UppdragKind, derive_id
from lerum_flow.history import HistoryEntry, history_entry
from lerum_flow.municipal_time import business_day
from lerum_flow.opening import backoff, opened
from lerum_flow.persistence import governance_transcoder
from lerum_flow.styrmodell import Styrmodell

TAggregate = TypeVar("TAggregate", bound=GovernanceAggregate)


# A save that loses an optimistic-concurrency race is retried on fresh state,
# after a random pause that grows with each loss so that a slow writer among
# busy ones gets its turn (without the pause, eight processes on one uppdrag
# left a writer losing 50 races in a row).
MAX_ATTEMPTS = 200


AGGREGATE_NAMES: Mapping[type[GovernanceAggregate], str] = {
    Beslut: "beslut",
    Delegering: "delegering",
    Uppdrag: "uppdrag",
    Avvikelse: "avvikelse",
    Befattning: "befattning",
}


@dataclass(frozen=True)
class Outcome:
    """What a command did: recorded now, or recognised as already recorded."""

    id: UUID
    recorded: bool
    version: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "registrerad": self.recorded,
            "version": self.version,
            "meddelande": self.message,
        }


@dataclass(frozen=True)
class Lookup:
    """What a create knows of its own id before saving: the record found there, or None
    (nothing there, or not read: outside a batch the save itself is the check).

    Handed on to `_create`, which then does not read the record again before its first
    save: a record that is there after all (another writer, the same command retried
    elsewhere) makes the save fail on its version, and `_create` reads it then.
    """

    id: UUID
    existing: GovernanceAggregate | None


def utc_now() -> datetime:
    return datetime.now(UTC)


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's project_aggregate without its per-event `assert isinstance(event,
    CanMutateProtocol)`: a runtime-checkable Protocol check costs about 10 µs per event,
    a quarter of a command's time (measured with `lerum-flow bench`)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Governance(Application[UUID]):
    """Records beslut, delegeringar, uppdrag and avvikelser for one municipality."""

    name = "Governance"

    def __init__(
        self,
        styrmodell: Styrmodell,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(env)
        self.styrmodell = styrmodell
        self.styrkedja = styrmodell.styrkedja()
        self.clock = clock
        self._batch: dict[UUID, GovernanceAggregate] | None = None
        # Aggregates read (not changed) during the open batch: the positions, delegations
        # and decisions that many of its commands look up again. Dropped with the batch.
        self._batch_reads: dict[UUID, GovernanceAggregate] = {}
        # Established positions, by code. A Befattning only changes when it is
        # discontinued, which no command does yet: when one does, drop the code
        # from here, and give long-lived processes (workers) a lifetime for entries.
        self._established: dict[str, Position] = {}
        # The organ at the top of the delegation chain above each delegering (by id) that
        # has been looked up: who granted a delegering, and under which parent, never
        # changes once granted (a revocation changes neither), so entries never go stale.
        self._chain_tops: dict[UUID, str] = {}

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """On PostgreSQL, the recorder that saves in one round trip (see lerum_flow.postgres_store),
        unless the environment names a recorder of its own."""
        environment = super().construct_env(name, env)
        if environment.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            # Imported here: a SQLite store never needs psycopg.
            from lerum_flow.postgres_store import OneRoundTripRecorder

            environment.setdefault("APPLICATION_RECORDER_TOPIC", get_topic(OneRoundTripRecorder))
        return environment

    def construct_recorder(self) -> ApplicationRecorder:
        return opened(super().construct_recorder)

    def construct_transcoder(self) -> Transcoder:
        return governance_transcoder(self)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save (9.5.6), step for step, except that our own aggregates are not
        checked against the library's runtime-checkable Protocols, which on Python 3.11 costs
        about 20 µs a save (profiled, like `_project` above). Anything else: the library's."""
        if not all(isinstance(obj, GovernanceAggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in objs:
            processing_event.events.extend(aggregate.collect_events())
            processing_event.aggregates[aggregate.id] = aggregate
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # Deprecated, as in the library: does nothing here.
        return recordings

    # --- organisation -------------------------------------------------------

    def establish_befattning(self, cmd: c.EstablishBefattning) -> Outcome:
        if cmd.code in self.styrkedja:
            raise InvalidState(
                f"'{cmd.code}' finns redan i styrmodellen.", field="id", rule="befattning_finns"
            )
        try:
            kind = PositionKind(cmd.kind)
        except ValueError:
            raise InvalidInput(
                f"Slaget '{cmd.kind}' finns inte; inrätta 'chef' eller 'medarbetare'.",
                field="kind",
                rule="inrattningsbart_slag",
            ) from None
        parent = self.position(cmd.parent, field="parent")
        check_establishable(kind, parent)
        stamp = self._stamp(cmd, cmd.established_on, require_above=parent.id)
        position = Position(id=cmd.code, name=cmd.name, kind=kind, parent=parent.id)
        return self._create(
            Befattning,
            derive_id("befattning", cmd.code),
            stamp,
            lambda: Befattning.establish(derive_id("befattning", cmd.code), stamp, position=position),
        )

    def position(self, code: str, *, field: str = "position") -> Position:
        """A position of the fixed chain or one established since."""
        if code in self.styrkedja:
            return self.styrkedja.position(code, field=field)
        if code in self._established:
            return self._established[code]
        try:
            befattning = self._get(Befattning, derive_id("befattning", code))
        except NotFound:
            raise NotFound(
                f"'{code}' finns inte i styrkedjan; inrätta befattningen först eller välj en av "
                f"styrmodellens: {', '.join(p.id for p in self.styrkedja)}.",
                field=field,
                rule="okand_befattning",
            ) from None
        if befattning.discontinued:
            raise InvalidState(f"Befattningen '{code}' är avvecklad.", field=field, rule="avvecklad")
        self._established[code] = befattning.position
        return befattning.position

    def ancestors(self, code: str) -> list[Position]:
        """The chain above a position, established ones included, nearest first."""
        return chain_above(self.position(code), self.position)

    def is_above(self, upper: str, lower: str) -> bool:
        return any(p.id == upper for p in self.ancestors(lower))

    # --- beslut ---------------------------------------------------------------

    def take_beslut(self, cmd: c.TakeBeslut) -> Outcome:
        stamp = self._stamp(cmd, cmd.decided_on)
        return self._create_once(cmd.beslut_id(), stamp, lambda lookup: self._take_beslut(cmd, stamp, lookup))

    def _take_beslut(self, cmd: c.TakeBeslut, stamp: Stamp, lookup: Lookup) -> Outcome:
        if stamp.actor.position != cmd.decided_by:
            raise NotPermitted(
                f"Beslut av '{cmd.decided_by}' registreras som '{cmd.decided_by}', inte som "
                f"'{stamp.actor.position}'.",
                field="as",
                rule="registreras_for_beslutsfattaren",
            )
        decider = self.position(cmd.decided_by, field="organ")
        matter = cmd.matter
        report_to = ""
        if cmd.delegering_id is None:
            self._check_organ_may_adopt(decider, cmd.kind)
            if matter:
                self._check_holds_matter(decider, self._matter(matter))
        else:
            delegering = self._get(Delegering, cmd.delegering_id, field="delegering")
            matter = self._check_delegated_decision(delegering, cmd, matter)
            report_to = self._delegating_organ(delegering)
        return self._create(
            Beslut,
            cmd.beslut_id(),
            stamp,
            lambda: Beslut.take(
                cmd.beslut_id(),
                stamp,
                decided_by=cmd.decided_by,
                kind=str(cmd.kind),
                diarienummer=cmd.diarienummer,
                paragraf=cmd.paragraf,
                title=cmd.title,
                matter=matter,
                delegering_id=cmd.delegering_id,
                report_to=report_to,
            ),
            lookup,
        )

    def correct_beslut(self, cmd: c.CorrectBeslut) -> Outcome:
        stamp = self._stamp(cmd, cmd.corrected_on)
        return self._update(
            Beslut,
            cmd.beslut_id,
            stamp,
            lambda b, s: b.correct(
                s,
                diarienummer=cmd.diarienummer,
                paragraf=cmd.paragraf,
                title=cmd.title,
                reason=cmd.reason,
            ),
        )

    def report_beslut(self, cmd: c.ReportBeslut) -> Outcome:
        stamp = self._stamp(cmd, cmd.reported_on)
        return self._update(
            Beslut,
            cmd.beslut_id,
            stamp,
            lambda b, s: b.report_to_organ(s, minutes_paragraf=cmd.minutes_paragraf),
        )

    def _check_organ_may_adopt(self, decider: Position, kind: BeslutKind) -> None:
        if not decider.is_organ:
            raise NotPermitted(
                f"'{decider.id}' är inte ett organ; en tjänsteperson beslutar bara på delegation "
                "(ange --delegering).",
                field="organ",
                rule="organ_eller_delegat",
            )
        # Several document types may share a kind of decision (policy, riktlinje and
        # program are all 'ovrigt'); an organ may take it if any of them allows it.
        types = [d for d in self.styrmodell.dokumenttyper if d.beslutsslag == str(kind)]
        allowed = sorted({k for d in types for k in d.antas_av})
        if types and str(decider.kind) not in allowed:
            raise NotPermitted(
                f"Beslut av slaget '{kind}' ({', '.join(d.namn for d in types)}) antas av "
                f"{', '.join(allowed)}, inte av '{decider.id}' ({decider.kind}).",
                field="kind",
                rule="antas_av",
            )

    def _check_holds_matter(self, organ: Position, matter: Matter) -> None:
        if organ.kind is not PositionKind.FULLMAKTIGE and matter.holder != organ.id:
            raise NotPermitted(
                f"Beslutsområdet '{matter.code}' ligger hos '{matter.holder}', inte hos '{organ.id}'.",
                field="matter",
                rule="beslutsratt",
            )

    def _check_delegated_decision(self, delegering: Delegering, cmd: c.TakeBeslut, matter: str) -> str:
        if delegering.delegate != cmd.decided_by:
            raise NotPermitted(
                f"Delegeringen gäller '{delegering.delegate}', inte '{cmd.decided_by}'.",
                field="delegering",
                rule="delegat",
            )
        if not delegering.in_force_on(cmd.decided_on):
            raise NotPermitted(
                f"Delegeringen gällde inte {cmd.decided_on.isoformat()} (gäller från "
                f"{delegering.valid_from.isoformat()}"
                + (f" till {delegering.valid_until.isoformat()}" if delegering.valid_until else "")
                + ").",
                field="date",
                rule="delegering_i_kraft",
            )
        if matter and matter != delegering.matter:
            raise NotPermitted(
                f"Delegeringen gäller beslutsområdet '{delegering.matter}', inte '{matter}'.",
                field="matter",
                rule="delegeringens_omrade",
            )
        return delegering.matter

    def _delegating_organ(self, delegering: Delegering) -> str:
        """A sub-delegated decision is reported to the organ at the top of the chain."""
        if delegering.parent_id is None:
            return delegering.granted_by
        top = self._chain_tops.get(delegering.parent_id)
        if top is None:
            parent = self._get(Delegering, delegering.parent_id, field="delegering")
            top = self._delegating_organ(parent)
            if self._batch is None:
                # Only what the store holds: a batch's own delegeringar may yet not be saved.
                self._chain_tops[delegering.parent_id] = top
        return top

    def _matter(self, code: str) -> Matter:
        area = self.styrmodell.beslutsomrade(code)
        if area is None:
            raise NotFound(
                f"Beslutsområdet '{code}' finns inte i styrmodellen.", field="matter", rule="okant_omrade"
            )
        return Matter(code=area.kod, category=area.kategori, holder=area.innehavare)

    # --- delegering -------------------------------------------------------------

    def grant_delegering(self, cmd: c.GrantDelegering) -> Outcome:
        stamp = self._stamp(cmd, cmd.valid_from)
        if len(cmd.delegates) == 1:
            retry_id = delegering_id(cmd.beslut_id, cmd.matter, cmd.delegates[0])
            return self._create_once(
                retry_id, stamp, lambda lookup: self._grant_delegering(cmd, stamp, lookup)
            )
        return self._grant_delegering(cmd, stamp, None)

    def _grant_delegering(self, cmd: c.GrantDelegering, stamp: Stamp, lookup: Lookup | None) -> Outcome:
        grantor = self.position(stamp.actor.position, field="as")
        delegates = tuple(self.position(code, field="to") for code in cmd.delegates)
        matter = self._matter(cmd.matter)
        beslut = self._get(Beslut, cmd.beslut_id, field="beslut")
        allowed_kinds = {str(BeslutKind.DELEGATIONSORDNING), str(BeslutKind.REGLEMENTE)}
        if beslut.decided_by != grantor.id or beslut.kind not in allowed_kinds:
            raise NotPermitted(
                f"En delegering ges genom ett beslut om delegationsordning eller reglemente av "
                f"'{grantor.id}'; beslutet är av '{beslut.decided_by}' och av slaget '{beslut.kind}'.",
                field="beslut",
                rule="delegationsbeslut",
            )
        holds = matter.holder == grantor.id or grantor.kind is PositionKind.FULLMAKTIGE
        if cmd.parent_delegering_id is not None:
            parent = self._get(Delegering, cmd.parent_delegering_id, field="under")
            holds = (
                parent.delegate == grantor.id
                and parent.matter == matter.code
                and parent.in_force_on(cmd.valid_from)
            )
        delegate = check_delegation(
            DelegationRequest(
                grantor=grantor,
                delegates=delegates,
                matter=matter,
                urgent=cmd.urgent,
                grantor_holds_matter=holds,
                grantor_is_above_delegate=all(self.is_above(grantor.id, d.id) for d in delegates),
                through_delegation=cmd.parent_delegering_id is not None,
            )
        )
        new_id = delegering_id(cmd.beslut_id, matter.code, delegate.id)
        return self._create(
            Delegering,
            new_id,
            stamp,
            lambda: Delegering.grant(
                new_id,
                stamp,
                granted_by=grantor.id,
                delegate=delegate.id,
                matter=matter.code,
                urgent=cmd.urgent,
                beslut_id=cmd.beslut_id,
                parent_id=cmd.parent_delegering_id,
                conditions=cmd.conditions,
            ),
            lookup,
        )

    def revoke_delegering(self, cmd: c.RevokeDelegering) -> Outcome:
        stamp = self._stamp(cmd, cmd.valid_from)
        return self._update(
            Delegering,
            cmd.delegering_id,
            stamp,
            lambda d, s: d.revoke(s, reason=cmd.reason, beslut_id=cmd.beslut_id),
        )

    # --- uppdrag ----------------------------------------------------------------

    def issue_uppdrag(self, cmd: c.IssueUppdrag) -> Outcome:
        stamp = self._stamp(cmd, cmd.issued_on)
        return self._create_once(
            cmd.uppdrag_id(), stamp, lambda lookup: self._issue_uppdrag(cmd, stamp, lookup)
        )

    def _issue_uppdrag(self, cmd: c.IssueUppdrag, stamp: Stamp, lookup: Lookup) -> Outcome:
        giver = self.position(stamp.actor.position, field="as")
        recipient = self.position(cmd.recipient, field="to")
        if not self.is_above(giver.id, recipient.id):
            raise NotPermitted(
                f"'{giver.id}' står inte över '{recipient.id}' i styrkedjan och kan inte ge uppdrag dit.",
                field="to",
                rule="givare_over_mottagare",
            )
        if cmd.kind is UppdragKind.MAL and not giver.is_organ:
            raise NotPermitted(
                "Mål ges av ett politiskt organ; en tjänsteperson ger uppdrag.",
                field="kind",
                rule="mal_fran_politiskt_organ",
            )
        origin = self._trace_origin(giver, cmd)
        uppdrag_id = cmd.uppdrag_id()
        return self._create(
            Uppdrag,
            uppdrag_id,
            stamp,
            lambda: Uppdrag.issue(
                uppdrag_id,
                stamp,
                kind=str(cmd.kind),
                giver=giver.id,
                recipient=recipient.id,
                title=cmd.title,
                description=cmd.description,
                due=cmd.due,
                origin_beslut_id=origin,
                parent_id=cmd.parent_id,
            ),
            lookup,
        )

    def _trace_origin(self, giver: Position, cmd: c.IssueUppdrag) -> UUID:
        """Every uppdrag traces to a political decision, through its parent or directly."""
        if cmd.parent_id is not None:
            parent = self._get(Uppdrag, cmd.parent_id, field="part-of")
            if parent.recipient != giver.id:
                raise NotPermitted(
                    f"Bara mottagaren av uppdraget ({parent.recipient}) kan bryta ned det.",
                    field="part-of",
                    rule="nedbrytning_av_mottagaren",
                )
            if not parent.is_in_hand:
                raise InvalidState(
                    f"Uppdraget som bryts ned har status '{parent.status}'; "
                    "det ska vara mottaget och pågående.",
                    field="part-of",
                    rule="uppdragets_status",
                )
            if cmd.origin_beslut_id is not None and cmd.origin_beslut_id != parent.origin_beslut_id:
                raise InvalidInput(
                    "Ett deluppdrag har samma politiska ursprung som uppdraget det bryter ned.",
                    field="beslut",
                    rule="sparbarhet",
                )
            assert parent.origin_beslut_id is not None
            return parent.origin_beslut_id
        if cmd.origin_beslut_id is None:
            raise InvalidInput(
                "Ett uppdrag ska kunna spåras till ett politiskt beslut: ange --beslut, eller "
                "--part-of för ett deluppdrag.",
                field="beslut",
                rule="sparbarhet",
            )
        beslut = self._get(Beslut, cmd.origin_beslut_id, field="beslut")
        decider = self.position(beslut.decided_by, field="beslut")
        if beslut.delegering_id is not None or not decider.is_organ:
            raise InvalidInput(
                "Ursprunget ska vara ett politiskt organs beslut, inte ett delegationsbeslut.",
                field="beslut",
                rule="sparbarhet",
            )
        if decider.id != giver.id and not self.is_above(decider.id, giver.id):
            raise NotPermitted(
                f"Beslutet är fattat av '{decider.id}', som inte står över '{giver.id}'.",
                field="beslut",
                rule="sparbarhet",
            )
        return beslut.id

    def accept_uppdrag(self, cmd: c.AcceptUppdrag) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.accept(s))

    def report_uppdrag(self, cmd: c.ReportUppdrag) -> Outcome:
        scale = self.styrmodell.assessment_codes()
        return self._on_uppdrag(
            cmd,
            lambda u, s: u.report(
                s, assessment=cmd.assessment, text=cmd.text, period=cmd.period, scale=scale
            ),
        )

    def accept_report(self, cmd: c.AcceptReport) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.accept_report(s, comment=cmd.comment))

    def return_report(self, cmd: c.ReturnReport) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.return_report(s, reason=cmd.reason))

    def revise_uppdrag(self, cmd: c.ReviseUppdrag) -> Outcome:
        def revise(u: Uppdrag, s: Stamp) -> None:
            if not cmd.title and cmd.description is None and cmd.due is None:
                raise InvalidInput(
                    "Ange vad som ändras: --title, --description eller --due.",
                    field="title",
                    rule="andring_kravs",
                )
            u.revise(
                s,
                title=cmd.title or u.title,
                description=cmd.description if cmd.description is not None else u.description,
                due=cmd.due if cmd.due is not None else u.due,
                reason=cmd.reason,
            )

        return self._on_uppdrag(cmd, revise)

    def complete_uppdrag(self, cmd: c.CompleteUppdrag) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.complete(s, comment=cmd.comment))

    def withdraw_uppdrag(self, cmd: c.WithdrawUppdrag) -> Outcome:
        return self._on_uppdrag(cmd, lambda u, s: u.withdraw(s, reason=cmd.reason))

    def _on_uppdrag(self, cmd: c.UppdragCommand, change: Callable[[Uppdrag, Stamp], None]) -> Outcome:
        stamp = self._stamp(cmd, cmd.on)
        return self._update(Uppdrag, cmd.uppdrag_id, stamp, change)

    # --- avvikelse --------------------------------------------------------------

    def report_avvikelse(self, cmd: c.ReportAvvikelse) -> Outcome:
        stamp = self._stamp(cmd, cmd.occurred_on)
        return self._create_once(
            cmd.avvikelse_id(), stamp, lambda lookup: self._report_avvikelse(cmd, stamp, lookup)
        )

    def _report_avvikelse(self, cmd: c.ReportAvvikelse, stamp: Stamp, lookup: Lookup) -> Outcome:
        reporter = self.position(stamp.actor.position, field="as")
        severities = self.styrmodell.severity_codes()
        if cmd.severity not in severities:
            raise InvalidInput(
                f"Allvarlighetsgraden '{cmd.severity}' finns inte i styrmodellen; välj en av: "
                f"{', '.join(severities)}.",
                field="severity",
                rule="allvarlighetsgrad",
            )
        categories = list(self.styrmodell.avvikelsekategorier)
        if cmd.category not in categories:
            raise InvalidInput(
                f"Kategorin '{cmd.category}' finns inte i styrmodellen; välj en av: {', '.join(categories)}.",
                field="category",
                rule="avvikelsekategori",
            )
        if cmd.subject_kind is AvvikelseSubject.UPPDRAG:
            try:
                self._get(Uppdrag, UUID(cmd.subject_ref), field="ref")
            except ValueError:
                raise InvalidInput(
                    f"Referensen '{cmd.subject_ref}' ska vara ett uppdrags id (UUID).",
                    field="ref",
                    rule="uppdragsreferens",
                ) from None
        level = self._first_level(reporter, cmd.severity)
        avvikelse_id = cmd.avvikelse_id()
        return self._create(
            Avvikelse,
            avvikelse_id,
            stamp,
            lambda: Avvikelse.report(
                avvikelse_id,
                stamp,
                subject_kind=str(cmd.subject_kind),
                subject_ref=cmd.subject_ref,
                severity=cmd.severity,
                category=cmd.category,
                description=cmd.description,
                level=level,
            ),
            lookup,
        )

    def _first_level(self, reporter: Position, severity: str) -> str:
        """The level that receives a new deviation: the reporter's superior, or further up
        when the severity goes straight to a given kind of organ."""
        chain = self.ancestors(reporter.id)
        if not chain:
            return reporter.id
        grade = next(g for g in self.styrmodell.allvarlighetsgrader if g.kod == severity)
        if grade.direkt_till:
            for position in chain:
                if str(position.kind) == grade.direkt_till:
                    return position.id
        return chain[0].id

    def assess_avvikelse(self, cmd: c.AssessAvvikelse) -> Outcome:
        scale = self.styrmodell.severity_codes()
        return self._on_avvikelse(
            cmd, lambda a, s: a.assess(s, severity=cmd.severity, reason=cmd.reason, scale=scale)
        )

    def acknowledge_avvikelse(self, cmd: c.AcknowledgeAvvikelse) -> Outcome:
        return self._on_avvikelse(cmd, lambda a, s: a.acknowledge(s))

    def escalate_avvikelse(self, cmd: c.EscalateAvvikelse) -> Outcome:
        def escalate(a: Avvikelse, s: Stamp) -> None:
            chain = self.ancestors(a.level)
            if not chain:
                raise InvalidState(
                    f"Avvikelsen ligger redan hos '{a.level}', högst upp i styrkedjan.",
                    field="to",
                    rule="hogsta_niva",
                )
            ids = [p.id for p in chain]
            target = cmd.to_level or ids[0]
            if target not in ids:
                raise InvalidInput(
                    f"'{target}' står inte över '{a.level}'; eskalera till en av: {', '.join(ids)}.",
                    field="to",
                    rule="eskalera_uppat",
                )
            a.escalate(s, to_level=target, skipped=ids[: ids.index(target)], reason=cmd.reason)

        return self._on_avvikelse(cmd, escalate)

    def decide_action(self, cmd: c.DecideAction) -> Outcome:
        return self._on_avvikelse(cmd, lambda a, s: a.decide_action(s, action=cmd.action))

    def close_avvikelse(self, cmd: c.CloseAvvikelse) -> Outcome:
        return self._on_avvikelse(cmd, lambda a, s: a.close(s, resolution=cmd.resolution))

    def _on_avvikelse(self, cmd: c.AvvikelseCommand, change: Callable[[Avvikelse, Stamp], None]) -> Outcome:
        stamp = self._stamp(cmd, cmd.on)
        return self._update(Avvikelse, cmd.avvikelse_id, stamp, change)

    # --- the escalation process ----------------------------------------------------

    def miss_acknowledgement_deadline(self, cmd: c.MissAcknowledgementDeadline) -> Outcome:
        """The level let its deadline pass: record it and hand the deviation one level up."""
        # The business date is the Swedish day the deadline fell on, not its UTC date
        # (a deadline at 00:30 Swedish time is 23:30 UTC the day before).
        stamp = self._process_stamp(cmd, business_day(cmd.deadline))
        above = self.ancestors(cmd.level)
        escalate_to = above[0].id if above else None
        return self._update(
            Avvikelse,
            cmd.avvikelse_id,
            stamp,
            lambda a, s: a.miss_deadline(s, level=cmd.level, deadline=cmd.deadline, escalate_to=escalate_to),
        )

    def inform_level(self, cmd: c.InformLevel) -> Outcome:
        """A level above the holder is informed (KF of a större avvikelse), without taking it over."""
        stamp = self._process_stamp(cmd, cmd.on)

        def inform(a: Avvikelse, s: Stamp) -> None:
            if cmd.level not in [p.id for p in self.ancestors(a.level)]:
                raise InvalidInput(
                    f"'{cmd.level}' står inte över '{a.level}' i styrkedjan.",
                    field="level",
                    rule="informera_uppat",
                )
            a.inform(s, level=cmd.level)

        return self._update(Avvikelse, cmd.avvikelse_id, stamp, inform)

    def _process_stamp(self, cmd: c.Command, effective_on: date) -> Stamp:
        if cmd.actor != c.PROCESS_ACTOR:
            raise NotPermitted(
                "Detta registreras av eskaleringsprocessen, inte av en person.",
                field="as",
                rule="endast_processen",
            )
        if cmd.command_id is None:
            raise InvalidInput(
                "Processens kommandon bär alltid sitt eget id (arbetsflöde och steg).",
                field="command-id",
                rule="processens_id",
            )
        return Stamp(
            command_id=cmd.command_id,
            actor=Actor(position=c.PROCESS_ACTOR, person=cmd.person),
            recorded_at=self.clock(),
            effective_on=effective_on,
            secrecy=cmd.secrecy,
            explicit_id=True,
        )

    # --- reading ------------------------------------------------------------------

    def history(self, aggregate_id: UUID) -> list[HistoryEntry]:
        """Every event of one record, in order, with who, when recorded and when effective."""
        entries = [history_entry(event) for event in self.events.get(aggregate_id)]
        if not entries:
            raise NotFound(f"Det finns ingen post med id {aggregate_id}.", field="id", rule="okant_id")
        return entries

    def get_record(self, aggregate_id: UUID) -> GovernanceAggregate:
        return self._get(GovernanceAggregate, aggregate_id, field="id")

    # --- mechanics ----------------------------------------------------------------

    def _stamp(self, cmd: c.Command, effective_on: date, *, require_above: str | None = None) -> Stamp:
        actor = self.position(cmd.actor, field="as")
        if is_auditor(actor, self.position):
            raise NotPermitted(
                "Revisorerna granskar men beslutar inte: de har bara läsbehörighet.",
                field="as",
                rule="revisorer_laser",
            )
        if (
            require_above is not None
            and actor.id != require_above
            and not self.is_above(actor.id, require_above)
        ):
            raise NotPermitted(
                f"'{actor.id}' står inte över '{require_above}' i styrkedjan.",
                field="as",
                rule="organisation_ovanifran",
            )
        return Stamp(
            command_id=cmd.derived_command_id(),
            explicit_id=cmd.command_id is not None,
            actor=Actor(position=actor.id, person=cmd.person),
            recorded_at=self.clock(),
            effective_on=effective_on,
            secrecy=cmd.secrecy,
        )

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Record many commands and save them in one transaction, as a bulk import would.

        Commands inside see each other's effects; a refused command records
        nothing and the others go on; if the save fails, none is recorded (run
        the batch again: retried commands are recognised by their ids). Not for
        use by several threads at once.
        """
        if self._batch is not None:
            raise RuntimeError("batch() is already open on this Governance")
        self._batch = {}
        try:
            yield
            pending = list(self._batch.values())
        finally:
            self._batch = None
            self._batch_reads = {}
        if pending:
            try:
                self.save(*pending)
            except IntegrityError:
                raise Conflict(
                    "Satsen krockade med andra samtidiga ändringar och sparades inte; kör den igen.",
                    field="id",
                    rule="konflikt",
                ) from None

    def _load(self, aggregate_id: UUID) -> GovernanceAggregate:
        if self._batch is not None:
            found = self._batch.get(aggregate_id) or self._batch_reads.get(aggregate_id)
            if found is not None:
                return found
        aggregate: GovernanceAggregate = self.repository.get(aggregate_id, projector_func=_project)
        if self._batch is not None:
            # A command that changes it puts it in _batch, which is looked at first.
            self._batch_reads[aggregate_id] = aggregate
        return aggregate

    def _commit(self, aggregate: GovernanceAggregate) -> None:
        if self._batch is not None:
            self._batch[aggregate.id] = aggregate
        else:
            self.save(aggregate)

    def _get(self, cls: type[TAggregate], aggregate_id: UUID, *, field: str = "id") -> TAggregate:
        name = AGGREGATE_NAMES.get(cls, "post")
        try:
            aggregate = self._load(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(
                f"Det finns ingen {name} med id {aggregate_id}.", field=field, rule=f"okant_{name}"
            ) from None
        if not isinstance(aggregate, cls):
            raise NotFound(
                f"Id {aggregate_id} är inte ett {name} utan en "
                f"{AGGREGATE_NAMES.get(type(aggregate), 'annan post')}.",
                field=field,
                rule=f"okant_{name}",
            )
        return aggregate

    def _create(
        self,
        cls: type[TAggregate],
        aggregate_id: UUID,
        stamp: Stamp,
        build: Callable[[], GovernanceAggregate],
        lookup: Lookup | None = None,
    ) -> Outcome:
        """Create once: a retry of the same command is recognised; a different command
        with the same natural key is refused rather than silently merged.

        `lookup` stands for the first attempt's read (see `_create_once`); every later
        attempt, after a save that failed on its version, reads afresh."""
        for attempt in range(MAX_ATTEMPTS):
            if attempt == 0 and lookup is not None and lookup.id == aggregate_id:
                existing = lookup.existing
            else:
                existing = self._existing(cls, aggregate_id)
            if existing is not None:
                return self._already(existing, stamp, cls)
            aggregate = build()
            try:
                self._commit(aggregate)
            except IntegrityError:
                backoff(attempt)
                continue
            return Outcome(aggregate_id, True, aggregate.version, "Registrerat.")
        raise Conflict("Posten kunde inte registreras; försök igen.", field="id", rule="konflikt")

    def _update(
        self,
        cls: type[TAggregate],
        aggregate_id: UUID,
        stamp: Stamp,
        change: Callable[[TAggregate, Stamp], None],
    ) -> Outcome:
        attempted: UUID | None = None
        for attempt in range(MAX_ATTEMPTS):
            aggregate = self._get(cls, aggregate_id, field=AGGREGATE_NAMES.get(cls, "id"))
            if attempted is not None and aggregate.has_handled(attempted):
                return self._after_lost_save(aggregate, attempted, stamp)
            command_id = attempted = self._resolve_command_id(aggregate, stamp)
            if command_id is None:
                return Outcome(
                    aggregate_id, False, aggregate.version, "Redan registrerat; inget nytt sparades."
                )
            change(aggregate, replace(stamp, command_id=command_id))
            try:
                self._commit(aggregate)
            except IntegrityError:
                # Another writer got there first, or our own commit landed and the
                # connection dropped: the reload tells which, by the command id.
                backoff(attempt)
                continue
            return Outcome(aggregate_id, True, aggregate.version, "Registrerat.")
        raise Conflict(
            "Posten ändrades av andra samtidigt för många gånger; försök igen.", field="id", rule="konflikt"
        )

    def _after_lost_save(self, aggregate: GovernanceAggregate, command_id: UUID, stamp: Stamp) -> Outcome:
        """A save reported failure, yet the command is now in the record.

        Either our own COMMIT landed and the connection dropped before it was
        confirmed, or another writer sent the same command and won the race.
        The stored event's recording time, which is this attempt's own, tells.
        """
        version = aggregate.handled_commands[command_id]
        stored = cast(
            GovernanceAggregate.Event, next(iter(self.events.get(aggregate.id, gt=version - 1, lte=version)))
        )
        if stored.timestamp == stamp.recorded_at:
            return Outcome(aggregate.id, True, version, "Registrerat.")
        return Outcome(aggregate.id, False, aggregate.version, "Redan registrerat; inget nytt sparades.")

    @staticmethod
    def _resolve_command_id(aggregate: GovernanceAggregate, stamp: Stamp) -> UUID | None:
        """The id to record the command under, or None if it is a retry of one recorded.

        A command that carries its own id is recorded once, ever. A command whose
        id is derived from its content may legitimately recur (a report returned
        twice with the same reason after a new report); an identical command is
        taken as a retry unless someone else has acted on the record since.
        """
        if stamp.explicit_id:
            return None if aggregate.has_handled(stamp.command_id) else stamp.command_id
        occurrence = 0
        command_id = stamp.command_id
        while aggregate.has_handled(command_id):
            if not aggregate.acted_on_by_others_since(command_id, stamp.actor.position):
                return None
            occurrence += 1
            command_id = derive_id("kommando", str(stamp.command_id), str(occurrence))
        return command_id

    def _create_once(self, aggregate_id: UUID, stamp: Stamp, create: Callable[[Lookup], Outcome]) -> Outcome:
        """Run `create` (rules, then `_create`) for a new record, unless the same command
        already recorded it: then the answer is "already recorded", even if the rules would
        now refuse it, since the world may have moved on since the first attempt (the
        uppdrag it breaks down completed, the delegation revoked).

        In a batch the record is looked up before any rule is checked: a clash would only
        surface when the whole batch is saved. Otherwise it is not read on the way to a
        save (one round trip less on PostgreSQL): a save of a record that is already there
        fails on its version and `_create` then reads it; and before a refusal is given,
        the record is looked up, so that a retry is still recognised as what it is.
        """
        if self._batch is not None:
            lookup = self._retried(aggregate_id, stamp)
            return lookup if isinstance(lookup, Outcome) else create(lookup)
        try:
            return create(Lookup(aggregate_id, None))
        except Refusal:
            retried = self._retried(aggregate_id, stamp)
            if isinstance(retried, Outcome):
                return retried
            raise

    def _retried(self, aggregate_id: UUID, stamp: Stamp) -> Outcome | Lookup:
        """The answer 'already recorded' if this command created the record, else what is there."""
        existing = self._existing(GovernanceAggregate, aggregate_id)
        if existing is not None and existing.has_handled(stamp.command_id):
            return Outcome(existing.id, False, existing.version, "Redan registrerat; inget nytt sparades.")
        return Lookup(aggregate_id, existing)

    def _existing(self, cls: type[TAggregate], aggregate_id: UUID) -> TAggregate | None:
        try:
            aggregate = self._load(aggregate_id)
        except AggregateNotFoundError:
            return None
        return cast(TAggregate, aggregate)

    def _already(
        self, existing: GovernanceAggregate, stamp: Stamp, cls: type[GovernanceAggregate]
    ) -> Outcome:
        if existing.has_handled(stamp.command_id):
            return Outcome(existing.id, False, existing.version, "Redan registrerat; inget nytt sparades.")
        raise InvalidState(
            f"Det finns redan {AGGREGATE_NAMES.get(cls, 'en post')} med samma nyckel (id {existing.id}) "
            "men med annat innehåll; rätta den befintliga posten i stället.",
            field="id",
            rule="finns_redan",
        )
