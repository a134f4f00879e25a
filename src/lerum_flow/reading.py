"""The queries the record answers: positions and matters, one record and its events, the log in order.

`RecordReads` is the reading half of `Governance`: workflow activities, the
relay, the command line and the demo ask it, rather than reaching into the
library's repository, recorder or mapper. Every read of the log in order goes
through the one pager, `lerum_flow.log_pages`.

`LogReads`, its base, holds the reads that need only the log (a record, its
history, the log in order, short ids): an auditor's read opens the store with
it and neither loads nor validates a styrmodell (nor imports pydantic, which
the styrmodell is validated with), so the command starts at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol, cast
from uuid import UUID

from eventsourcing.persistence import Notification

from lerum_flow.domain.acting import is_process_person
from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.domain.befattning import Befattning, Ties, befattning_id, check_exists_on, check_not_outlived
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegation_chain import chain_of, resting_on
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.errors import InvalidState, NotFound
from lerum_flow.domain.escalation_route import with_uppsikt
from lerum_flow.domain.forordnande import Forordnande, Role, Term, forordnande_id
from lerum_flow.domain.law import Matter
from lerum_flow.domain.styrkedja import Position, PositionKind, chain_above
from lerum_flow.history import HistoryEntry, history_entry
from lerum_flow.log_pages import Page, head, pages
from lerum_flow.record_ids import RecordLog
from lerum_flow.recording import AGGREGATE_NAMES, RecordingApplication, TAggregate, none_of, one_of, project

if TYPE_CHECKING:
    from lerum_flow.styrmodell import Styrmodell

Event = GovernanceAggregate.Event
# The records granted or adopted directly under any of the given ones (a delegering's
# vidaredelegationer, a styrdokument's derived documents).
Children = Callable[[Sequence[UUID]], list[UUID]]


class EstablishedPositions(Protocol):
    """The positions established by `on` and not discontinued, as known on `known_on` (None: now)."""

    def named(self, codes: Sequence[str], on: date, known_on: date | None) -> list[Position]:
        """Those of the given codes."""
        ...

    def under(self, parents: Sequence[str], on: date, known_on: date | None) -> list[Position]:
        """Those directly below one of the given codes."""
        ...


class PositionTies(Protocol):
    """What still hangs on a position on a day or after it, as known now (the views: positions by
    parent, förordnanden by position, uppdrag by recipient and giver, delegeringar by delegate,
    avvikelser by level, styrdokument by owner and scope, controls by owner;
    `view_lookups.ViewTies`)."""

    def ties(self, code: str, on: date) -> Ties:
        """`domain.befattning.Ties` of `code` from `on` on."""
        ...


# Smaller than the projections' pages (projections.log.DEFAULT_PAGE_SIZE, one view
# transaction each): a query decodes as it goes and gains nothing beyond a thousand.
PAGE_SIZE = 1000


class LogReads(RecordLog, RecordingApplication):
    """The reads that need only the log: one record and its events, the log in order, short ids."""

    # The store's name, as Governance's (the library names an application after its class
    # and finds its settings and, on PostgreSQL, its tables by that name).
    name = "Governance"

    # --- one record -------------------------------------------------------------

    def get_record(self, aggregate_id: UUID) -> GovernanceAggregate:
        return self._get(GovernanceAggregate, aggregate_id, field="id")

    def events_of(self, aggregate_id: UUID, *, limit: int | None = None) -> list[Event]:
        """The events of one record in order (the first `limit`); empty for an unknown id."""
        return cast(list[Event], list(self.events.get(aggregate_id, limit=limit)))

    def history(self, aggregate_id: UUID) -> list[HistoryEntry]:
        """Every event of one record, in order, with who, when recorded and when effective."""
        entries = [history_entry(event) for event in self.events_of(aggregate_id)]
        if not entries:
            raise NotFound(f"Det finns ingen post med id {aggregate_id}.", field="id", rule="okant_id")
        return entries

    def read_with_events(self, cls: type[TAggregate], aggregate_id: UUID) -> tuple[TAggregate, list[Event]]:
        """One record of kind `cls` and the events it was built from, from one read of the store."""
        name = AGGREGATE_NAMES.get(cls, "post")
        events = self.events_of(aggregate_id)
        if not events:
            raise NotFound(
                f"Det finns {none_of(name)} med id {aggregate_id}.", field="id", rule=f"okant_{name}"
            )
        aggregate = project(None, events)
        if not isinstance(aggregate, cls):
            raise NotFound(f"Id {aggregate_id} är inte {one_of(name)}.", field="id", rule=f"okant_{name}")
        return aggregate, events

    # --- the log in order ---------------------------------------------------------

    def head(self) -> int:
        """The position of the last event recorded (0 for an empty store)."""
        return head(self.recorder)

    def pages(
        self, *, after: int = 0, upto: int | None = None, size: int = PAGE_SIZE, topics: Sequence[str] = ()
    ) -> Iterator[Page]:
        """The log after `after` up to `upto` (the head when not given) in pages, in order."""
        return pages(
            self.recorder, after=after, upto=self.head() if upto is None else upto, size=size, topics=topics
        )

    def to_event(self, notification: Notification) -> Event:
        """The domain event a notification of the log holds."""
        return cast(Event, self.mapper.to_domain_event(notification))

    def beslut_taken(self) -> Iterator[tuple[int, Beslut.Taken]]:
        """Every decision taken so far, with its position in the log."""
        for page in self.pages(topics=[Beslut.Taken.TOPIC]):
            for notification in page.notifications:
                event = self.to_event(notification)
                if isinstance(event, Beslut.Taken):
                    yield notification.id, event

    def topic_counts(self) -> Counter[str]:
        """How many events of each kind the store holds, by topic without its package prefix."""
        counts: Counter[str] = Counter()
        for page in self.pages():
            counts.update(n.topic.rpartition(":")[2] for n in page.notifications)
        return counts

    # --- förordnanden: who held a position, and in which capacity someone acted ----

    def forordnande(self, position: str, person: str) -> Forordnande | None:
        """Every term `person` held in `position`, or None if never appointed to it."""
        return self._existing(Forordnande, forordnande_id(position, person))

    def holding(self, position: str, person: str, on: date) -> Term | None:
        """The term in which `person` held `position` on `on`, if any."""
        found = self.forordnande(position, person)
        return found.held_on(on) if found is not None else None

    def acting_role(self, entry: HistoryEntry) -> Role | None:
        """The capacity in which the person of a recorded event held its position that day (None: a
        process, or no förordnande, as in a store kept before the register)."""
        if is_process_person(entry.person):
            return None
        # An appointment's own events were decided on a day of their own, checked as such.
        day = entry.details.get("decided_on", entry.effective_on)
        term = self.holding(entry.actor, entry.person, day)
        return term.role if term is not None else None


class RecordReads(LogReads):
    """The log's reads and those that need the styrmodell: positions and matters.

    See `Governance` for the commands that write the record.
    """

    def __init__(self, styrmodell: Styrmodell, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        self.styrmodell = styrmodell
        self.styrkedja = styrmodell.styrkedja()
        # Established positions, by code (with the first day each no longer exists), for the reads
        # of one command (or one question): a position may be discontinued, here or by another
        # process, so every command forgets them first (`_stamp`, `GoverningModel.govern_on`), and
        # a long-lived worker never acts on one discontinued since.
        self._established: dict[str, Befattning] = {}
        # The business day of the command (or question) at hand (`govern_on`): a position
        # discontinued from a later day still exists for it. None: any discontinued one is gone.
        self._business_day: date | None = None

    # --- positions ---------------------------------------------------------------

    def position(self, code: str, *, field: str = "position") -> Position:
        """A position of the fixed chain or one established since, as a read describes it: one
        discontinued by the business day at hand is refused, one established only from a later day
        is not (a command that records names its positions through `position_on`)."""
        befattning = self._befattning(code, field=field)
        if befattning is None:
            return self.styrkedja.position(code, field=field)
        if self._business_day is None:
            if befattning.discontinued_on is not None:
                raise InvalidState(
                    f"Befattningen '{code}' är avvecklad från {befattning.discontinued_on.isoformat()}.",
                    field=field,
                    rule="avvecklad",
                )
        else:
            day, gone = self._business_day, befattning.discontinued_on
            check_exists_on(code, day, established_from=None, gone_from=gone, field=field)
        return befattning.position

    def position_on(self, code: str, day: date, *, field: str = "position") -> Position:
        """The position `code` as a command recording something for `day` names it (as giver,
        recipient, owner, delegate, appointee, organ, parent, or the position acted in): refused
        unless it exists that day, established by then and not yet discontinued
        (`befattning.check_exists_on`, the one rule every recording command asks)."""
        befattning = self._befattning(code, field=field)
        if befattning is None:
            return self.styrkedja.position(code, field=field)
        check_exists_on(
            code,
            day,
            established_from=befattning.first_effective_on,
            gone_from=befattning.discontinued_on,
            field=field,
        )
        return befattning.position

    def _befattning(self, code: str, *, field: str) -> Befattning | None:
        """The established position `code`, read from the record once per command (None: a position
        of the fixed chain); refused if there is none."""
        if code in self.styrkedja:
            return None
        if code not in self._established:
            try:
                self._established[code] = self._get(Befattning, befattning_id(code))
            except NotFound:
                raise NotFound(
                    f"'{code}' finns inte i styrkedjan; inrätta befattningen först eller välj en av "
                    f"styrmodellens: {', '.join(p.id for p in self.styrkedja)}.",
                    field=field,
                    rule="okand_befattning",
                ) from None
        return self._established[code]

    def discontinued_from(self, code: str) -> date | None:
        """The first day the established position `code` no longer exists, as recorded now (None: not
        discontinued, or a position of the fixed chain)."""
        befattning = self._befattning(code, field="position")
        return befattning.discontinued_on if befattning is not None else None

    def check_not_outlived(
        self, code: str, ends: date | None, *, what: str, field: str, remedy: str = ""
    ) -> None:
        """Refuse `what`, a tie to the position `code` standing until `ends` (None: open), if its
        discontinuation is recorded from a day it would reach: every command that ties something
        new to a position asks this one rule (`befattning.check_not_outlived`)."""
        gone = self.discontinued_from(code)
        check_not_outlived(code, gone, ends, what=what, field=field, remedy=remedy)

    def forget_established(self, code: str | None = None) -> None:
        """Read `code` (None: every established position) from the record again when next asked."""
        if code is None:
            self._established.clear()
        else:
            self._established.pop(code, None)

    def ancestors(self, code: str) -> list[Position]:
        """The chain above a position, established ones included, nearest first."""
        return chain_above(self.position(code), self.position)

    def deviation_chain(self, code: str) -> list[Position]:
        """The levels a deviation held at `code` goes up through: the chain above it, with KS
        after a nämnd or bolag under KF (its uppsikt, `escalation_route.with_uppsikt`)."""
        styrelse = next((p for p in self.styrkedja if p.kind is PositionKind.STYRELSE), None)
        return with_uppsikt(self.position(code), self.ancestors(code), styrelse)

    def is_above(self, upper: str, lower: str) -> bool:
        return any(p.id == upper for p in self.ancestors(lower))

    def positions_below(
        self,
        code: str,
        on: date,
        known_on: date | None = None,
        *,
        established: EstablishedPositions,
    ) -> list[Position]:
        """Every position `code` stands above on `on` as known on `known_on` (None: now): the fixed
        chain's, and those established by then and not discontinued; nearest first, then by name:
        whom it may give an uppdrag to. `established` reads the established ones (the befattning
        view's history, `lerum_flow.view_lookups.ViewPositions`), level by level from `code` down.
        It is required: the walk of every Befattning event in the log that this replaced grows with
        the log, so it is kept only as the tests' definition (tests/unit/positions_below_oracle.py)."""
        fixed = {p.id: p for p in self.styrkedja}
        # A position established under a code of the fixed chain (one a later styrmodell took up)
        # stands where it was established, as in the walk, where it replaces the fixed one.
        over = {p.id: p for p in established.named([*fixed, code], on, known_on)}
        if code not in fixed and code not in over:
            return []  # not a position that day: nothing stands below it
        fixed = {c: p for c, p in fixed.items() if c not in over}
        found: list[tuple[int, str, str, Position]] = []
        seen = {code}
        level = [code]
        depth = 0
        while level:
            depth += 1
            parents = set(level)
            children = [p for p in fixed.values() if p.parent in parents]
            children += established.under(level, on, known_on)
            new = [p for p in children if p.id not in seen]
            seen.update(p.id for p in new)
            found += [(depth, p.name, p.id, p) for p in new]
            level = [p.id for p in new]
        # Nearest first: the walk's count of positions above each, less those above `code`.
        found.sort(key=lambda d: d[:3])
        return [p for *_, p in found]

    def matter(self, code: str) -> Matter:
        """A decision area (beslutsområde) of the styrmodell."""
        area = self.styrmodell.beslutsomrade(code)
        if area is None:
            raise NotFound(
                f"Beslutsområdet '{code}' finns inte i styrmodellen.", field="matter", rule="okant_omrade"
            )
        return area.matter()

    # --- delegations ---------------------------------------------------------------

    def delegation_chain(self, delegering_id: UUID, *, field: str = "delegering") -> tuple[Delegering, ...]:
        """The delegering and those it rests on, nearest first, each as recorded now: what the one
        rule (`domain.delegation_chain.broken_link`) reads to say whether it carries a decision."""
        return chain_of(self._get(Delegering, delegering_id, field=field), self._delegering_or_none)

    def _delegering_or_none(self, delegering_id: UUID) -> Delegering | None:
        try:
            return self._get(Delegering, delegering_id, field="delegering")
        except NotFound:
            return None

    def falling_with(self, delegering_id: UUID, *, children: Children | None = None) -> list[Delegering]:
        """The vidaredelegationer that fall with the revocation of `delegering_id` (none while it is in
        force). `children` finds the delegations granted under given ones (the delegering view's
        index, `lerum_flow.view_lookups`); without it every grant in the log is read."""
        revoked = self._get(Delegering, delegering_id, field="delegering")
        if revoked.valid_until is None:
            return []  # nothing falls with a delegation in force: spare the read of the log
        below_of = children if children is not None else self._children_by_walk()
        below: list[Delegering] = []
        frontier = [delegering_id]
        while frontier:
            found = [self._get(Delegering, i, field="delegering") for i in below_of(frontier)]
            below += found
            frontier = [d.id for d in found]
        return resting_on(revoked, below)

    def _children_by_walk(self) -> Children:
        """The delegations granted under each delegation, from one read of every grant in the log."""
        children: dict[UUID, list[UUID]] = defaultdict(list)
        for page in self.pages(topics=[Delegering.Granted.TOPIC]):
            for notification in page.notifications:
                granted = self.to_event(notification)
                if isinstance(granted, Delegering.Granted) and granted.parent_id is not None:
                    children[granted.parent_id].append(granted.originator_id)
        return lambda parents: [c for p in parents for c in children.get(p, [])]
