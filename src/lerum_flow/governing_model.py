"""Which styrmodell a Governance works by, and the store's record of it.

Given a model (a file on the command line, say), every command is checked
against the version the store recorded for the command's business day and
refused, recording nothing, when another governs that day. Given none, the
store's record decides: each command is taken under the version in force on
its day, and Lerum's model is used only by a store that has recorded none. A
store records its model with its first write, in the same transaction, so a
refused first command leaves the store as empty as it found it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError

from lerum_flow import commands as c
from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.styrmodell_record import (
    STYRMODELL_RECORD_ID,
    ModelIdentity,
    ModelVersion,
    StyrmodellRecord,
    check_adopted_by_root,
    check_model_in_force,
)
from lerum_flow.domain.values import Actor, derive_id
from lerum_flow.municipal_time import business_day
from lerum_flow.recording import Outcome, serialised
from lerum_flow.styrmodell import Styrmodell, default_styrmodell
from lerum_flow.styrmodell.canonical import canonical_content, identity_of, model_from_content
from lerum_flow.use_cases import UseCases


def utc_now() -> datetime:
    return datetime.now(UTC)


class GoverningModel(UseCases):
    """The styrmodell in force for each command, from the given model or from the store's record."""

    def __init__(
        self,
        styrmodell: Styrmodell | None = None,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(styrmodell or default_styrmodell(), env)
        self.clock = clock
        self._from_record = styrmodell is None
        # The store's record, read once (None: the store has recorded no model yet).
        self._model_record: StyrmodellRecord | None = None
        self._model_record_read = False
        self._identity: tuple[ModelIdentity, str] | None = None
        # Rebuilt from recorded versions, by the digest they were recorded with.
        self._models: dict[str, Styrmodell] = {}
        self._identities_now: dict[str, ModelIdentity] = {}
        self._govern_today()

    # --- reads --------------------------------------------------------------------

    def styrmodell_versions(self) -> list[ModelVersion]:
        """Every version the store recorded, oldest first; empty for a store that recorded none."""
        record = self._recorded()
        return list(record.versions) if record is not None else []

    def styrmodell_version_on(self, day: date, known_until: datetime | None = None) -> ModelVersion | None:
        """The version in force on `day`, of those recorded before `known_until` (None: all)."""
        record = self._recorded()
        return record.in_force_on(day, known_until=known_until) if record is not None else None

    def styrmodell_on(self, day: date, known_until: datetime | None = None) -> Styrmodell:
        """The model a read about `day` goes by: the version in force that day of those recorded
        before `known_until` (None: all), or the model in use where the store had recorded none."""
        version = self.styrmodell_version_on(day, known_until)
        return self.styrmodell if version is None else self.styrmodell_of(version)

    def styrmodell_of(self, version: ModelVersion) -> Styrmodell:
        """The model a recorded version holds, rebuilt from its content."""
        model = self._models.get(version.digest)
        if model is None:
            model = self._models[version.digest] = model_from_content(version.content)
        return model

    def is_version(self, styrmodell: Styrmodell, version: ModelVersion) -> bool:
        """Whether `styrmodell` is the model `version` recorded."""
        return identity_of(canonical_content(styrmodell), styrmodell) == self._identity_now(version)

    def follow_record(self) -> None:
        """Take up the versions another process (the command line) has recorded since the record
        was read, and work by today's again: a long-running process (the web) asks when the log has
        moved. One read of the record's events after the version held; the record is read again
        only when there are some."""
        if self._model_record_read:
            held = self._model_record.version if self._model_record is not None else 0
            if self.recorder.select_events(STYRMODELL_RECORD_ID, gt=held, limit=1):
                self._forget_record()
        self._govern_today()

    # --- the step every command takes -------------------------------------------------

    def govern_on(self, day: date) -> None:
        """Work by the model in force on `day` (the store's own), or refuse the given model if another
        governs that day. Every command takes this step for its business day; a read about a day may."""
        self.forget_established()  # one may have been discontinued since the last command
        self._business_day = day
        record = self._recorded()
        if record is None:
            return  # the first write records the model (see _commit)
        version = record.in_force_on(day)
        assert version is not None  # a record holds at least the version it was created with
        if self._from_record:
            self._govern_by(version)
        else:
            self._check_given(version, day)

    @serialised
    def adopt_styrmodell(self, cmd: c.AdoptStyrmodell, styrmodell: Styrmodell) -> Outcome:
        """Record that `styrmodell` governs the store from cmd.effective_from: the first version, or a
        change (a reorganisation from 1 January, say). Taken under the model in use, not checked by it."""
        stamp = self._stamp(cmd, cmd.effective_from, under_model=False)
        check_adopted_by_root(stamp.actor.position, self.styrkedja.root().id)
        beslut_id = cmd.beslut_id
        if beslut_id is not None:
            self._get(Beslut, beslut_id, field="beslut")
        content = canonical_content(styrmodell)
        identity = identity_of(content, styrmodell)
        if not stamp.explicit_id:
            # Two different models adopted from the same day by the same command line are two commands.
            stamp = replace(stamp, command_id=derive_id("styrmodell", identity.digest, str(stamp.command_id)))
        self._forget_record()
        try:
            if self._recorded() is None:
                return self._create(
                    StyrmodellRecord,
                    STYRMODELL_RECORD_ID,
                    stamp,
                    lambda: StyrmodellRecord.adopt(
                        stamp, identity=identity, content=content, beslut_id=beslut_id
                    ),
                )
            return self._update(
                StyrmodellRecord,
                STYRMODELL_RECORD_ID,
                stamp,
                lambda r, s: r.change(s, identity=identity, content=content, beslut_id=beslut_id),
            )
        finally:
            self._forget_record()

    def begin_with_styrmodell(self, effective_from: date, actor: Actor) -> Outcome:
        """Record the model in use as the store's first version before anything else: a municipality
        added to a deployment (`kommun add`) begins its record with its own styrmodell. Nobody holds a
        position yet in a new store, so `actor` is the deployment's, not a person's förordnande; the
        command id is the one the first write would have given it, so a retry is recognised."""
        identity, content = self._own()
        stamp = Stamp(
            command_id=derive_id("styrmodell", identity.digest),
            actor=actor,
            recorded_at=self.clock(),
            effective_on=effective_from,
            explicit_id=True,
        )
        self._forget_record()
        try:
            return self._create(
                StyrmodellRecord,
                STYRMODELL_RECORD_ID,
                stamp,
                lambda: StyrmodellRecord.adopt(stamp, identity=identity, content=content),
            )
        finally:
            self._forget_record()

    # --- recording the first model with the first write ----------------------------------

    def _commit(self, aggregate: GovernanceAggregate) -> None:
        if isinstance(aggregate, StyrmodellRecord) or self._recorded() is not None:
            super()._commit(aggregate)
            return
        adoption = self._first_version(aggregate)
        if self.in_batch:
            super()._commit(adoption)
            super()._commit(aggregate)
        else:
            try:
                self.save(adoption, aggregate)
            except IntegrityError:
                # Another writer may have recorded a model first: read the record again, and
                # make sure this command's day is governed by the model it was taken under.
                self._forget_record()
                self._check_after_race(adoption.first_effective_on)
                raise
        self._model_record = adoption

    @contextmanager
    def batch(self) -> Iterator[None]:
        try:
            with super().batch():
                yield
        except BaseException:
            # A batch that was not saved may have held the first version of the record.
            self._forget_record()
            raise

    def _first_version(self, aggregate: GovernanceAggregate) -> StyrmodellRecord:
        """The store's first version, stamped like the write it comes with: same actor, time and day."""
        event: Any = aggregate.pending_events[-1]
        identity, content = self._own()
        stamp = Stamp(
            command_id=derive_id("styrmodell", identity.digest),
            actor=Actor(position=event.actor, person=event.person),
            recorded_at=event.timestamp,
            effective_on=event.effective_on,
            explicit_id=True,
        )
        return StyrmodellRecord.adopt(stamp, identity=identity, content=content)

    def _check_after_race(self, day: date) -> None:
        record = self._recorded()
        if record is None:
            return
        version = record.in_force_on(day)
        assert version is not None
        self._check_given(version, day)

    def _check_given(self, version: ModelVersion, day: date) -> None:
        check_model_in_force(replace(version, identity=self._identity_now(version)), self._own()[0], day)

    def _identity_now(self, version: ModelVersion) -> ModelIdentity:
        """The version's identity as the current code writes its content.

        Compared with the given model's, which is computed by the same code: a
        format that has since gained a key (filled in when absent) still knows
        the file a version was recorded from, though its content now reads
        differently from the stored one.
        """
        identity = self._identities_now.get(version.digest)
        if identity is None:
            model = self.styrmodell_of(version)
            identity = self._identities_now[version.digest] = identity_of(canonical_content(model), model)
        return identity

    # --- the model in use ---------------------------------------------------------------

    def _recorded(self) -> StyrmodellRecord | None:
        if not self._model_record_read:
            self._model_record = self._existing(StyrmodellRecord, STYRMODELL_RECORD_ID)
            self._model_record_read = True
        return self._model_record

    def _forget_record(self) -> None:
        self._model_record, self._model_record_read = None, False

    def _own(self) -> tuple[ModelIdentity, str]:
        """The identity and canonical content of the model in use, computed once."""
        if self._identity is None:
            content = canonical_content(self.styrmodell)
            self._identity = (identity_of(content, self.styrmodell), content)
        return self._identity

    def _govern_today(self) -> None:
        """Work by the store's version in force today, if the store decides and has recorded one."""
        if not self._from_record:
            return
        version = self.styrmodell_version_on(business_day(self.clock()))
        if version is not None:
            self._govern_by(version)

    def _govern_by(self, version: ModelVersion) -> None:
        if self._identity is not None and self._identity[0].digest == version.digest:
            return
        self.styrmodell = self.styrmodell_of(version)
        self.styrkedja = self.styrmodell.styrkedja()
        self._identity = (version.identity, version.content)
