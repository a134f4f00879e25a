"""Styrdokument: a governing document (policy, riktlinje, reglemente ...) from its adoption to its repeal.

Each change rests on a decision (beslut) recorded beside it; who may take
that decision, what a document must derive from and when it is next due for
review are the styrmodell's rules, checked in `styrdokument_rules`.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import DecidedAheadEvent, GovernanceAggregate, Stamp
from lerum_flow.domain.dated_value import DatedValue
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.values import derive_id


class StyrdokumentStatus(StrEnum):
    IN_FORCE = "gallande"
    REPEALED = "upphavt"
    SUPERSEDED = "ersatt"


Status = StyrdokumentStatus


def styrdokument_id(beslut_id: UUID, document_type: str, title: str) -> UUID:
    """A document is known by the decision that adopted it, its type and its title."""
    return derive_id("styrdokument", str(beslut_id), document_type, title)


class Styrdokument(GovernanceAggregate):
    TOPIC = "lerum_flow:Styrdokument"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Styrdokument.Event"

    class Adopted(Event, DecidedAheadEvent, Aggregate.Created):
        """Adopted by `adopted_by` through `beslut_id` of `decided_on`; in force from `effective_on`.

        `scope` is the position whose part of the organisation it governs (the
        root: the whole municipality); `review_by` the day it must be reviewed
        by, from the styrmodell's interval for its type (None: never).
        """

        TOPIC = "lerum_flow:Styrdokument.Adopted"
        document_type: str
        title: str
        adopted_by: str
        beslut_id: UUID
        owner: str
        scope: str
        parent_id: UUID | None
        review_by: date | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.document_type = self.document_type
            aggregate.titles.change(self.effective_on, self.title)
            aggregate.adopted_by = self.adopted_by
            aggregate.owners.change(self.effective_on, self.owner)
            aggregate.scope = self.scope
            aggregate.parent_id = self.parent_id
            aggregate.valid_from = self.effective_on
            aggregate.review_by = self.review_by

    class Revised(Event, DecidedAheadEvent):
        """A new version by `decided_by` on `decided_on`, in force from `effective_on`; `summary` says
        what changed.

        `title` and `owner` are the document's from `effective_on` on; each empty (`UNCHANGED`) when
        the revision leaves it as it is, so that one dated before a retitle or hand-over planned for a
        later day does not move it (revisions stored before this was so all name both).
        """

        TOPIC = "lerum_flow:Styrdokument.Revised"
        beslut_id: UUID
        decided_by: str
        title: str
        owner: str
        summary: str
        review_by: date | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.titles.change(self.effective_on, self.title)
            aggregate.owners.change(self.effective_on, self.owner)
            # Not by day, unlike title and owner: the decision to revise is the review, whatever day the
            # revision applies from (as a repeal decided ahead ends the review). The view's history
            # keeps the earlier review day for the days before the revision applies.
            aggregate.review_by = self.review_by
            aggregate.review_flagged = False

    class Reviewed(Event):
        """Reviewed and kept unchanged (aktualitetsprövat) on `effective_on`."""

        TOPIC = "lerum_flow:Styrdokument.Reviewed"
        beslut_id: UUID
        decided_by: str
        review_by: date | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.review_by = self.review_by
            aggregate.review_flagged = False

    class Repealed(Event):
        """No longer in force from `effective_on`."""

        TOPIC = "lerum_flow:Styrdokument.Repealed"
        beslut_id: UUID
        decided_by: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.REPEALED
            aggregate.valid_until = self.effective_on

    class Superseded(Event):
        """Replaced by `successor_id` from `effective_on`."""

        TOPIC = "lerum_flow:Styrdokument.Superseded"
        beslut_id: UUID
        decided_by: str
        successor_id: UUID

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.status = Status.SUPERSEDED
            aggregate.valid_until = self.effective_on

    class ReviewFlagged(Event):
        """The document it derives from changed (`cause`): it is to be reviewed against the new one."""

        TOPIC = "lerum_flow:Styrdokument.ReviewFlagged"
        parent_id: UUID
        cause: str

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.review_flagged = True

    def __init__(self) -> None:
        super().__init__()
        self.document_type = ""
        self.titles = DatedValue()
        self.adopted_by = ""
        self.owners = DatedValue()
        self.scope = ""
        self.parent_id: UUID | None = None
        self.status = Status.IN_FORCE
        self.valid_from = date.min
        self.valid_until: date | None = None
        self.review_by: date | None = None
        self.review_flagged = False

    @classmethod
    def adopt(
        cls,
        new_id: UUID,
        stamp: Stamp,
        *,
        document_type: str,
        title: str,
        adopted_by: str,
        beslut_id: UUID,
        decided_on: date,
        owner: str,
        scope: str,
        parent_id: UUID | None,
        review_by: date | None,
    ) -> Styrdokument:
        """In force from the stamp's day, by the decision `beslut_id` of `decided_on` (then or earlier)."""
        _require_text(title, "Ett styrdokument ska ha en titel.", field="title")
        return cls.start(
            cls.Adopted,
            new_id,
            stamp,
            document_type=document_type,
            title=title,
            adopted_by=adopted_by,
            beslut_id=beslut_id,
            decided_on=decided_on,
            owner=owner,
            scope=scope,
            parent_id=parent_id,
            review_by=review_by,
        )

    @property
    def title(self) -> str:
        """The title recorded last."""
        return self.titles.latest

    @property
    def owner(self) -> str:
        """The owner recorded last."""
        return self.owners.latest

    def title_on(self, day: date) -> str:
        """Its title on `day`, as the view's history reads it."""
        return self.titles.on(day)

    def owner_on(self, day: date) -> str:
        """Who owns it on `day`, as the view's history reads it."""
        return self.owners.on(day)

    @property
    def in_force(self) -> bool:
        return self.status is Status.IN_FORCE

    def in_force_on(self, day: date) -> bool:
        """From the first day it applies, up to but not on the day it ceased."""
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def revise(
        self,
        stamp: Stamp,
        *,
        beslut_id: UUID,
        decided_on: date,
        decided_by: str,
        title: str,
        owner: str,
        summary: str,
        review_by: date | None,
    ) -> None:
        """`title` and `owner`: the document's from the revision's day, or empty to keep the one it
        has that day (and any retitle or hand-over planned for a later day). Decided on `decided_on`
        for a later day, it stands in the document's date order at `decided_on`: what is decided about
        the document in between is no correction."""
        self._require_in_force()
        _require_text(summary, "Beskriv vad revideringen ändrar.", field="reason")
        self.record(
            self.Revised,
            stamp,
            ordered_on=decided_on,
            beslut_id=beslut_id,
            decided_on=decided_on,
            decided_by=decided_by,
            # Naming the title or owner it already has that day changes nothing.
            title=self.titles.change_to(stamp.effective_on, title),
            owner=self.owners.change_to(stamp.effective_on, owner),
            summary=summary,
            review_by=review_by,
        )

    def review(self, stamp: Stamp, *, beslut_id: UUID, decided_by: str, review_by: date | None) -> None:
        self._require_in_force()
        self.record(self.Reviewed, stamp, beslut_id=beslut_id, decided_by=decided_by, review_by=review_by)

    def repeal(self, stamp: Stamp, *, beslut_id: UUID, decided_by: str, reason: str) -> None:
        self._require_in_force()
        self.record(self.Repealed, stamp, beslut_id=beslut_id, decided_by=decided_by, reason=reason)

    def supersede(self, stamp: Stamp, *, beslut_id: UUID, decided_by: str, successor: Styrdokument) -> None:
        self._require_in_force()
        if successor.id == self.id:
            raise InvalidInput(
                "Ett styrdokument kan inte ersättas av sig självt.",
                field="replaced-by",
                rule="ersatt_av_annat",
            )
        if not successor.in_force_on(stamp.effective_on):
            raise InvalidState(
                f"Det nya dokumentet '{successor.title_on(stamp.effective_on)}' gäller inte "
                f"{stamp.effective_on.isoformat()}, dagen då det ska ersätta detta.",
                field="replaced-by",
                rule="efterfoljare_i_kraft",
            )
        self.record(
            self.Superseded, stamp, beslut_id=beslut_id, decided_by=decided_by, successor_id=successor.id
        )

    def flag_for_review(self, stamp: Stamp, *, parent_id: UUID, cause: str) -> None:
        """Recorded by the review process when the document this one derives from changes."""
        self._require_in_force()
        if parent_id != self.parent_id:
            raise InvalidInput(
                f"Dokumentet härleds inte ur {parent_id}.", field="parent", rule="inte_underordnat"
            )
        if stamp.effective_on < self.last_effective_on and not stamp.correction:
            # It has something decided since the parent's day (the process runs after the change),
            # which does not answer the parent's change: the flag holds from the parent's day, with why
            # it is dated so.
            stamp = dataclasses.replace(
                stamp,
                correction="Flaggat från dagen då det överordnade dokumentet ändrades, före dokumentets "
                f"senaste händelse, daterad {self.last_effective_on.isoformat()}.",
            )
        self.record(self.ReviewFlagged, stamp, parent_id=parent_id, cause=cause)

    def check_review_overdue(self, review_by: date, on: date) -> None:
        """Refuse to call the review due by `review_by` overdue on `on` unless it still is."""
        self._require_in_force()
        if self.review_by != review_by:
            due = self.review_by.isoformat() if self.review_by else "ingen"
            raise InvalidState(
                f"Dokumentet har prövats sedan; nästa aktualitetsprövning senast: {due}.",
                field="styrdokument",
                rule="provat_sedan",
            )
        if on <= review_by:
            raise InvalidState(
                f"Aktualitetsprövningen ska göras senast {review_by.isoformat()}; den är inte försenad "
                f"{on.isoformat()}.",
                field="date",
                rule="inte_forsenad",
            )

    def _require_in_force(self) -> None:
        if not self.in_force:
            how = "ersatts" if self.status is Status.SUPERSEDED else "upphävts"
            raise InvalidState(
                f"Styrdokumentet '{self.title}' har {how} och gäller inte längre.",
                field="styrdokument",
                rule="upphort",
            )


def _require_text(text: str, message: str, *, field: str) -> None:
    if not text.strip():
        raise InvalidInput(message, field=field, rule="text_kravs")
