"""Recording: how a command's aggregate reaches the store once, whatever the connection does.

`RecordingApplication` is the eventsourcing Application that `Governance` is
built on: it creates a record once (a retry with the same deterministic id is
recognised; a different command with the same natural key is refused), updates
one under a command id (a retry is answered "already recorded"), retries a save
that lost an optimistic-concurrency race on fresh state, tells a save whose
COMMIT landed before the connection dropped (the library reports IntegrityError)
from one another writer won, and saves many commands in one transaction in a
batch. A command marked `@serialised` (every command of `Governance`) holds the
store's write lock (`lerum_flow.store_lock`) from its first read to its save, so
that rules spanning records, checked by two writers at once, are checked in
turn; a command whose lock was lost before its save is refused, recording
nothing. It knows nothing of the styrmodell or of any rule.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Concatenate, ParamSpec, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Mapper, Recording, Transcoder
from eventsourcing.utils import Environment, EnvType, get_topic

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.befattning import Befattning
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.errors import Conflict, InvalidState, NotFound, Refusal
from lerum_flow.domain.forordnande import Forordnande
from lerum_flow.domain.inforande import Inforande
from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.internkontroll_bedomning import Internkontrollbedomning
from lerum_flow.domain.rapportutkast import Rapportutkast
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import derive_id
from lerum_flow.opening import backoff, opened
from lerum_flow.persistence import GovernanceMapper, governance_transcoder
from lerum_flow.store_lock import Confirm, store_lock

TAggregate = TypeVar("TAggregate", bound=GovernanceAggregate)
TApplication = TypeVar("TApplication", bound="RecordingApplication")
P = ParamSpec("P")
R = TypeVar("R")


# A save that loses an optimistic-concurrency race is retried on fresh state,
# after a random pause that grows with each loss so that a slow writer among
# busy ones gets its turn (without the pause, eight processes on one uppdrag
# left a writer losing 50 races in a row).
MAX_ATTEMPTS = 200

ALREADY_RECORDED = "Redan registrerat; inget nytt sparades."

AGGREGATE_NAMES: Mapping[type[GovernanceAggregate], str] = {
    Beslut: "beslut",
    Delegering: "delegering",
    Uppdrag: "uppdrag",
    Avvikelse: "avvikelse",
    Befattning: "befattning",
    Internkontrollplan: "internkontrollplan",
    Internkontrollbedomning: "internkontrollbedomning",
    Styrdokument: "styrdokument",
    Forordnande: "förordnande",
    Inforande: "införande",
    Rapportutkast: "rapportutkast",
}
# The names above that take 'ett' (ett uppdrag, inget uppdrag); the rest take 'en' (en avvikelse).
_NEUTER_NAMES = frozenset({"beslut", "uppdrag", "styrdokument", "förordnande", "införande", "rapportutkast"})


def one_of(name: str) -> str:
    """'ett uppdrag', 'en avvikelse': a record kind's name with its indefinite article."""
    return f"{'ett' if name in _NEUTER_NAMES else 'en'} {name}"


def none_of(name: str) -> str:
    """'inget uppdrag', 'ingen avvikelse'."""
    return f"{'inget' if name in _NEUTER_NAMES else 'ingen'} {name}"


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


def project(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's project_aggregate without its per-event `assert isinstance(event,
    CanMutateProtocol)`: a runtime-checkable Protocol check costs about 10 µs per event,
    a quarter of a command's time (measured with `lerum-flow bench`)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def serialised(
    command: Callable[Concatenate[TApplication, P], R],
) -> Callable[Concatenate[TApplication, P], R]:
    """Run the command with the store's write lock held from its first read to its save
    (`RecordingApplication.holding_store_lock`): for every command whose rules read other records."""

    @functools.wraps(command)
    def in_turn(app: TApplication, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with app.holding_store_lock():
            return command(app, *args, **kwargs)

    in_turn.serialised = True  # type: ignore[attr-defined]
    return in_turn


class RecordingApplication(Application[UUID]):
    """An Application whose commands are recorded once, retried on lost races, and batched."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        self._batch: dict[UUID, GovernanceAggregate] | None = None
        # Aggregates read (not changed) during the open batch: the positions, delegations
        # and decisions that many of its commands look up again. Dropped with the batch.
        self._batch_reads: dict[UUID, GovernanceAggregate] = {}
        # The store's write lock (see `holding_store_lock`), and this application's own turn at it: the
        # threads sharing it queue here, so that each holds at most one of the store's locks.
        self._store_lock = store_lock(self.recorder)
        self._turn = threading.RLock()
        self._turn_depth = 0
        # While a turn is held by a lock that can be lost (PostgreSQL's): how to confirm it, and
        # the thread holding it, whose saves alone the lock covers.
        self._confirm_turn: Confirm | None = None
        self._turn_holder: int | None = None

    @contextmanager
    def holding_store_lock(self) -> Iterator[None]:
        """Hold the store's write lock (`lerum_flow.store_lock`) for the block: what a command
        reads of the record inside it is still so when it saves, in every process. Re-entered by
        a command run inside another (or in a batch), it is taken once."""
        with self._turn:
            if self._turn_depth:
                self._turn_depth += 1
                try:
                    yield
                finally:
                    self._turn_depth -= 1
                return
            with self._store_lock.held() as confirm:
                self._turn_depth = 1
                self._confirm_turn, self._turn_holder = confirm, threading.get_ident()
                try:
                    yield
                finally:
                    self._turn_depth = 0
                    self._confirm_turn = self._turn_holder = None

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

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=GovernanceMapper)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save (9.5.6), step for step, except that our own aggregates are not
        checked against the library's runtime-checkable Protocols, which on Python 3.11 costs
        about 20 µs a save (profiled, like `project` above). Anything else: the library's. In a
        command's turn, the save confirms that the store's lock is still held."""
        kwargs = self._confirming_turn(kwargs)
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

    def _confirming_turn(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """A save's keyword arguments, with what makes it refused (Conflict) if it is in a
        command's turn and the store's lock was lost meanwhile, since another command may then
        have taken its turn, checked and saved on a record without this one. Unchanged for a lock
        that cannot be lost (SQLite, memory)."""
        confirm = self._confirm_turn
        if confirm is None or self._turn_holder != threading.get_ident():
            return kwargs
        return {**kwargs, **confirm()}

    @property
    def in_batch(self) -> bool:
        return self._batch is not None

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
        # The whole batch is one command's turn: its checks read what it saves at the end.
        with self.holding_store_lock():
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
        aggregate: GovernanceAggregate = self.repository.get(aggregate_id, projector_func=project)
        if self._batch is not None:
            # A command that changes it puts it in _batch, which is looked at first.
            self._batch_reads[aggregate_id] = aggregate
        return aggregate

    def _commit(self, aggregate: GovernanceAggregate) -> None:
        if self._batch is not None:
            self._batch[aggregate.id] = aggregate
        else:
            self.save(aggregate)

    def _saved(self, aggregate: GovernanceAggregate, attempt: int) -> bool:
        """Commit the aggregate; False, after a pause that grows with `attempt`, if the save
        failed on its version (another writer first, or our commit landed and the connection
        dropped)."""
        try:
            self._commit(aggregate)
        except IntegrityError:
            backoff(attempt)
            return False
        return True

    def _get(self, cls: type[TAggregate], aggregate_id: UUID, *, field: str = "id") -> TAggregate:
        name = AGGREGATE_NAMES.get(cls, "post")
        try:
            aggregate = self._load(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(
                f"Det finns {none_of(name)} med id {aggregate_id}.", field=field, rule=f"okant_{name}"
            ) from None
        if not isinstance(aggregate, cls):
            raise NotFound(
                f"Id {aggregate_id} är inte {one_of(name)} utan "
                f"{one_of(AGGREGATE_NAMES.get(type(aggregate), 'annan post'))}.",
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
            if self._saved(aggregate, attempt):
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
                return Outcome(aggregate_id, False, aggregate.version, ALREADY_RECORDED)
            change(aggregate, replace(stamp, command_id=command_id))
            # A save that failed is tried again on a reload, which tells by the command id
            # whether another writer got there first or our own commit landed.
            if self._saved(aggregate, attempt):
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
        return Outcome(aggregate.id, False, aggregate.version, ALREADY_RECORDED)

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
            return Outcome(existing.id, False, existing.version, ALREADY_RECORDED)
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
            return Outcome(existing.id, False, existing.version, ALREADY_RECORDED)
        raise InvalidState(
            f"Det finns redan {one_of(AGGREGATE_NAMES.get(cls, 'post'))} med samma nyckel (id {existing.id}) "
            "men med annat innehåll; rätta den befintliga posten i stället.",
            field="id",
            rule="finns_redan",
        )
