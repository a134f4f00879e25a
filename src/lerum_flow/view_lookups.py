"""The records granted or adopted under others, and who held a position, found by indexed reads of
a view.

Why: a revoked delegering's falling vidaredelegationer (and a styrdokument's
derived documents) were found by reading every grant (every adoption) in the
log, a cost that grows with every record the store keeps. The view, caught up
first (which reads only what was recorded since), answers from its index on
`parent_id`; the rules (`resting_on`, in force on a day) still read the records.
Likewise who held a position on a day (`Appointments.holders`, `held_by`) was a
walk of every förordnande event; `ViewHoldings` reads the förordnande view's
history instead, and the walk stays the definition a property test holds it to.
The positions below one on a day (`RecordReads.positions_below`) are read the
same way from the befattning view's history (`ViewPositions`), level by level,
and what still hangs on a position to be discontinued (`ViewTies`) from the
befattning, förordnande, uppdrag, delegering, avvikelse, styrdokument and
internkontroll views by their indexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from lerum_flow.appointments import Holding
from lerum_flow.domain.befattning import Tie, Ties, befattning_id
from lerum_flow.domain.delegation_chain import chain_of, in_force_from
from lerum_flow.domain.forordnande import Role, Term
from lerum_flow.domain.styrkedja import Position
from lerum_flow.domain.values import InternkontrollplanStatus
from lerum_flow.input_dates import LATEST
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.avvikelse import AvvikelseProjection, open_avvikelser
from lerum_flow.projections.befattning import BefattningProjection, BefattningRow, Standing
from lerum_flow.projections.bitemporal import OPEN, as_of_conditions, history_type, known_conditions
from lerum_flow.projections.delegering import DelegeringProjection, DelegeringRow, with_chains
from lerum_flow.projections.forordnande import ForordnandeProjection, ForordnandeRow
from lerum_flow.projections.internkontroll import (
    InternkontrollplanRow,
    InternkontrollProjection,
    KontrollOwned,
    KontrollRow,
)
from lerum_flow.projections.projection import ViewProjection
from lerum_flow.projections.rows import Row
from lerum_flow.projections.sql import Range, in_chunks
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.styrdokument import Owned, StyrdokumentProjection, StyrdokumentRow
from lerum_flow.projections.uppdrag import UppdragProjection, UppdragRow
from lerum_flow.projections.view import GovernanceView
from lerum_flow.settings import Settings


class ViewChildren:
    """The ids of the rows whose `parent_id` is one of the given ids, in one view of the store."""

    def __init__(self, store: ViewStore, projection: type[ViewProjection], row_type: type[Row]) -> None:
        self.store = store
        self.projection = projection
        self.row_type = row_type

    @classmethod
    def delegeringar(cls, settings: Settings) -> ViewChildren:
        """Vidaredelegationer: delegations granted under the given ones."""
        store = ViewStore.open(settings, names=(DelegeringProjection.name,))
        return cls(store, DelegeringProjection, DelegeringRow)

    @classmethod
    def styrdokument(cls, settings: Settings) -> ViewChildren:
        """Documents adopted as deriving from the given ones."""
        store = ViewStore.open(settings, names=(StyrdokumentProjection.name,))
        return cls(store, StyrdokumentProjection, StyrdokumentRow)

    def __call__(self, parents: Sequence[UUID]) -> list[UUID]:
        if not parents:
            return []
        self.store.projector().catch_up()
        view = self.store.projection(self.projection).view
        rows = view.query(self.row_type, {"parent_id": tuple(parents)})
        return [row.id for row in rows]  # type: ignore[attr-defined]

    def close(self) -> None:
        self.store.close()


class ViewHoldings:
    """Who held which position on a day, as known on a day, from the förordnande view's history:
    one indexed read (by position, or by person) of the rows held that day (the view must be
    caught up with the log)."""

    def __init__(self, view: GovernanceView) -> None:
        self.view = view

    def holders(self, position: str, on: date, known_on: date | None = None) -> list[Holding]:
        """`Appointments.holders`: by role, then person."""
        found = self._held(on, known_on, {"position": position})
        return sorted(found, key=lambda h: (h.term.role, h.person))

    def holders_of(self, positions: Sequence[str], on: date) -> dict[str, list[Holding]]:
        """`holders` of many positions at once, as known now: an indexed read per chunk of codes."""
        found: dict[str, list[Holding]] = {}
        for chunk in in_chunks(positions):
            for holding in self._held(on, None, {"position": chunk}):
                found.setdefault(holding.position, []).append(holding)
        return {code: sorted(held, key=lambda h: (h.term.role, h.person)) for code, held in found.items()}

    def held_by(self, person: str, on: date, known_on: date | None = None) -> list[Holding]:
        """`Appointments.held_by`: by position."""
        return sorted(self._held(on, known_on, {"appointee": person}), key=lambda h: h.position)

    def register(self) -> list[Holding]:
        """`Appointments.register`: every term as known now."""
        found = self._terms({}, None)
        return sorted(found, key=lambda h: (h.position, h.person, h.term.valid_from))

    def _held(self, on: date, known_on: date | None, where: dict[str, object]) -> list[Holding]:
        return [h for h in self._terms(where, known_on) if h.term.covers(on)]

    def _terms(self, where: dict[str, object], known_on: date | None) -> list[Holding]:
        """The terms of the förordnanden meeting `where`, as known on `known_on` (None: now). Each
        history row known then holds the term latest begun over its days of business time, ended
        as far as had taken effect by them: a term's last row (by `held_from`) has its end."""
        terms: dict[tuple[object, ...], tuple[date, Holding]] = {}
        for row in self.view.query(history_type(ForordnandeRow), {**where, **known_conditions(known_on)}):
            r: Any = row
            key = (r.id, r.role, r.valid_from)
            if key not in terms or terms[key][0] < r.held_from:
                term = Term(Role(r.role), r.valid_from, r.ends)
                terms[key] = (r.held_from, Holding(r.position, r.appointee, term))
        return [holding for _, holding in terms.values()]


class ViewPositions:
    """`reading.EstablishedPositions` from the befattning view's history: indexed reads (by code,
    by parent) of the rows held that day as known that day (the view must be caught up)."""

    def __init__(self, view: GovernanceView) -> None:
        self.view = view

    def named(self, codes: Sequence[str], on: date, known_on: date | None) -> list[Position]:
        return self._standing("code", codes, on, known_on)

    def under(self, parents: Sequence[str], on: date, known_on: date | None) -> list[Position]:
        return self._standing("parent", parents, on, known_on)

    def _standing(self, column: str, codes: Sequence[str], on: date, known_on: date | None) -> list[Position]:
        table = history_type(BefattningRow)
        held = {"discontinued_on": None, **as_of_conditions(on, known_on)}
        found: list[Position] = []
        for chunk in in_chunks(codes):
            rows = self.view.query_into(Standing, table, {column: chunk, **held})
            found += [row.position() for row in rows]
        return found

    def established_on(self, code: str, known_on: date | None) -> date | None:
        """The day the position `code` was established from, as known by the end of `known_on` (None:
        now); None if it was not known to be established then (or is one of the fixed chain)."""
        rows = self.view.query_into(
            BefattningRow, history_type(BefattningRow), {"code": code, **known_conditions(known_on)}
        )
        return min((row.established_on for row in rows), default=None)

    def recorded(self, codes: Sequence[str]) -> list[BefattningRow]:
        """The current rows of the established positions `codes` (as known now: the day each was
        established, and discontinued from if that is recorded), read by their ids."""
        found: list[BefattningRow] = []
        for chunk in in_chunks([befattning_id(code) for code in codes]):
            found += self.view.query(BefattningRow, {"id": chunk})
        return found


# The plans whose controls are still owed: drafted or adopted, the year not yet reported (a
# closed plan takes no more results).
OWED_IN = (str(InternkontrollplanStatus.DRAFT), str(InternkontrollplanStatus.ADOPTED))


class ViewTies:
    """`reading.PositionTies` from the views, caught up with the log first: the positions directly
    below (standing on the day, or on the last day the record reaches: one established for later),
    the förordnanden by position whose latest term reaches the day, the uppdrag by recipient and by
    giver that are still open, the delegeringar to it (by delegate, then those they rest on by id)
    in force on the day or later, the avvikelser open at its level (by level and status), the
    styrdokument owned on the day or later (by owner, from the history) and by scope not ended by
    the day, the controls owned on the day or later (by owner, from the history) in plans (then read
    by id) whose year reaches the day and is not reported; each an indexed read, none a walk of the
    log."""

    NAMES = (
        BefattningProjection.name,
        ForordnandeProjection.name,
        UppdragProjection.name,
        DelegeringProjection.name,
        AvvikelseProjection.name,
        StyrdokumentProjection.name,
        InternkontrollProjection.name,
    )

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    @classmethod
    def open(cls, settings: Settings) -> ViewTies:
        return cls(ViewStore.open(settings, names=cls.NAMES))

    def ties(self, code: str, on: date) -> Ties:
        self.store.projector(names=self.NAMES).catch_up()
        positions = ViewPositions(self.store.projection(BefattningProjection).view)
        below = {p.id for day in (on, LATEST) for p in positions.under([code], day, None)}
        forordnanden = self.store.projection(ForordnandeProjection).view
        holders = {
            r.appointee
            for r in forordnanden.query(ForordnandeRow, {"position": code})
            if r.ends is None or r.ends > on
        }
        uppdrag = self.store.projection(UppdragProjection).view
        open_ids = {
            r.id
            for side in ("recipient", "giver")
            for r in uppdrag.query(UppdragRow, {side: code})
            if r.is_open
        }
        avvikelser = open_avvikelser(self.store.projection(AvvikelseProjection).view, code)
        return Ties(
            below=tuple(sorted(below)),
            holders=tuple(sorted(holders)),
            open_uppdrag=len(open_ids),
            delegeringar=self._delegeringar(code, on),
            avvikelser=tuple(Tie(r.id, r.category) for r in avvikelser),
            styrdokument=self._styrdokument(code, on),
            kontroller=self._kontroller(code, on),
        )

    def _styrdokument(self, code: str, on: date) -> tuple[Tie, ...]:
        """The documents `code` owns in force on `on` or any later day, and those scoped to it in
        force on `on` or later. Owned: from the history, as known now, by owner (a revision hands a
        document to another owner from a day, so the current row names only the latest one); each
        named with the first day from `on` it owns it if later than `on`, and its last day as owner
        if another takes over before the document ends. Scoped: from the current rows, by scope
        (no revision changes the scope), not repealed nor superseded from `on` or before
        (`valid_until`, the first day it no longer applies)."""
        view = self.store.projection(StyrdokumentProjection).view
        owned: dict[UUID, list[Owned]] = {}
        owning = {
            "owner": code,
            **StyrdokumentRow.IN_FORCE,
            "held_until": Range(low=on, after_low=True),
            "known_until": OPEN,
        }
        for days in view.query_into(Owned, history_type(StyrdokumentRow), owning):
            owned.setdefault(days.id, []).append(days)
        rows: dict[UUID, StyrdokumentRow] = {}
        for chunk in in_chunks(sorted(owned)):
            rows.update((row.id, row) for row in view.query(StyrdokumentRow, {"id": chunk}))
        standing = {"valid_until": Range(low=on, after_low=True, or_null=True)}
        scoped = view.query(StyrdokumentRow, {"scope": code, **standing})
        rows.update((row.id, row) for row in scoped)
        roles: dict[UUID, list[str]] = {}
        for row in rows.values():
            if row.id in owned:
                held = [(days.held_from, days.held_until) for days in owned[row.id]]
                roles.setdefault(row.id, []).append(_owning(held, on, row.valid_until))
        for row in scoped:
            roles.setdefault(row.id, []).append("räckvidd")
        found = sorted(rows.values(), key=lambda r: (r.title, str(r.id)))
        return tuple(Tie(r.id, f"'{r.title}', {' och '.join(roles[r.id])}") for r in found)

    def _kontroller(self, code: str, on: date) -> tuple[Tie, ...]:
        """The controls `code` owns on `on` or any later day in plans whose year reaches `on` and is
        not reported (closed): from the history, as known now, by owner (a hand-over gives a control
        to another owner from a day, so the current row names only the latest one), then their plans
        by id, year and status (a year from `on`'s on: its last day, `Internkontrollplan.last_day`,
        is on or after `on`); each named with the first day from `on` it owns it if later than `on`,
        and its last day as owner if another takes over."""
        view = self.store.projection(InternkontrollProjection).view
        owning = {"owner": code, "held_until": Range(low=on, after_low=True), "known_until": OPEN}
        owned: dict[tuple[UUID, int], list[KontrollOwned]] = {}
        for days in view.query_into(KontrollOwned, history_type(KontrollRow), owning):
            owned.setdefault((days.plan_id, days.number), []).append(days)
        owing = {"year": Range(low=on.year), "status": OWED_IN}
        plans: dict[UUID, InternkontrollplanRow] = {}
        for chunk in in_chunks(sorted({plan_id for plan_id, _ in owned})):
            plans.update((p.id, p) for p in view.query(InternkontrollplanRow, {"id": chunk, **owing}))
        controls = sorted(
            (key for key in owned if key[0] in plans),
            key=lambda k: (plans[k[0]].year, plans[k[0]].organ, k[1]),
        )
        ties = []
        for plan_id, number in controls:
            plan, held = plans[plan_id], owned[(plan_id, number)]
            owning_days = _owning([(d.held_from, d.held_until) for d in held], on, None)
            about = f"internkontrollplan {plan.year} för {plan.organ}, kontroll {number} '{held[0].title}'"
            ties.append(Tie(plan_id, about if owning_days == OWNER else f"{about}, {owning_days}"))
        return tuple(ties)

    def _delegeringar(self, code: str, on: date) -> tuple[Tie, ...]:
        """The delegeringar to `code` whose chain is not revoked by `on`: those to it not revoked by
        then, with the ones they rest on read level by level by id (a chain is a few links long)."""
        view = self.store.projection(DelegeringProjection).view
        to_it: list[DelegeringRow] = view.query(
            DelegeringRow, {"delegate": code, **DelegeringRow.in_force_between(on, None)}
        )
        known = with_chains(view, to_it)
        standing = [row for row in to_it if in_force_from(chain_of(row, known.get), on)]
        return tuple(
            Tie(row.id, row.matter) for row in sorted(standing, key=lambda r: (r.valid_from, str(r.id)))
        )

    def close(self) -> None:
        self.store.close()


# A position's ownership of a record on every day from the day asked about (`_owning`).
OWNER = "ägare"


def _owning(held: Sequence[tuple[date, date]], on: date, valid_until: date | None) -> str:
    """A position's ownership of a record from `on` on, the days it held it given (`held`: from, and
    until, excluded): from its first day as owner if later than `on`, to its last if another owner
    takes over before the record ends (from `valid_until`, or never)."""
    said = OWNER
    first = max(on, min(held_from for held_from, _ in held))
    if first > on:
        said += f" från {first.isoformat()}"
    ends = max(held_until for _, held_until in held)
    if ends != OPEN and ends != valid_until:
        said += f" till och med {(ends - timedelta(days=1)).isoformat()}"
    return said


def known_on_of(known_until: datetime | None) -> date | None:
    """The day `AsOf.known_on` whose end is `known_until` (None: as known now); ValueError for a
    moment that is not the start of a day in the municipality's time, which the view's days of
    record time cannot answer."""
    if known_until is None:
        return None
    known_on = known_until.astimezone(MUNICIPAL_TIME).date() - timedelta(days=1)
    if AsOf(known_on, known_on).known_until != known_until:
        raise ValueError(f"{known_until.isoformat()} är inte början av en dag")
    return known_on
