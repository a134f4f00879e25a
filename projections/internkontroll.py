"""The internkontroll view: every organ's yearly plan with its risks, controls, results and reports,
and KS's assessment of each year, for `internkontroll status` and the revisorer's replay."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from lerum_flow.domain.internkontroll import Internkontrollplan
from lerum_flow.domain.internkontroll_bedomning import Internkontrollbedomning
from lerum_flow.domain.internkontroll_rules import risk_value
from lerum_flow.domain.values import InternkontrollplanStatus, Rapportperiod, Utfall
from lerum_flow.projections.postgres_view import PostgresView
from lerum_flow.projections.projection import Handler, ViewProjection, stamp_values
from lerum_flow.projections.rows import Change, Insert, Row, Update
from lerum_flow.projections.sqlite_view import SQLiteView


@dataclass(frozen=True)
class InternkontrollplanRow(Row):
    table: ClassVar[str] = "internkontroll_view"
    indexes: ClassVar[tuple[str, ...]] = ("year", "organ")

    id: UUID
    organ: str
    year: int
    status: str
    opened_on: date
    adopted_on: date | None
    beslut_id: UUID | None
    risks: int
    controls: int
    results: int
    deficiencies: int
    delar_reported_on: date | None
    delar_summary: str
    helar_reported_on: date | None
    helar_summary: str
    recorded_at: datetime
    changed_at: datetime
    secrecy: str
    version: int

    def reported_on(self, period: Rapportperiod) -> date | None:
        return self.delar_reported_on if period is Rapportperiod.DELAR else self.helar_reported_on


@dataclass(frozen=True)
class RiskRow(Row):
    table: ClassVar[str] = "internkontroll_view_risks"
    key: ClassVar[tuple[str, ...]] = ("plan_id", "number")

    plan_id: UUID
    number: int
    title: str
    probability: int
    consequence: int
    risk_value: int
    chosen: bool


@dataclass(frozen=True)
class KontrollRow(Row):
    table: ClassVar[str] = "internkontroll_view_controls"
    key: ClassVar[tuple[str, ...]] = ("plan_id", "number")
    indexes: ClassVar[tuple[str, ...]] = ("owner",)
    # Who owns it changes from a day (a hand-over, `ControlHandedOver`): what a position to be
    # discontinued owns from that day on is read from the history by owner.
    history_indexes: ClassVar[tuple[str, ...]] = ("owner",)

    plan_id: UUID
    number: int
    risk: int
    title: str
    owner: str
    method: str
    frequency: str
    results: int
    deficiencies: int
    last_performed_on: date | None


@dataclass(frozen=True)
class KontrollOwned(Row):
    """The columns of a control's history rows that say over which days (of business time) its owner
    held it: a position to be discontinued reads only these (`GovernanceView.query_into`)."""

    table: ClassVar[str] = KontrollRow.table

    plan_id: UUID
    number: int
    title: str
    held_from: date
    held_until: date


@dataclass(frozen=True)
class KontrollresultatRow(Row):
    """One performed control, and the deviation a brist opened."""

    table: ClassVar[str] = "internkontroll_view_results"
    key: ClassVar[tuple[str, ...]] = ("plan_id", "version")
    indexes: ClassVar[tuple[str, ...]] = ("avvikelse_id",)

    plan_id: UUID
    version: int
    control: int
    outcome: str
    comment: str
    action: str
    avvikelse_id: UUID | None
    performed_on: date
    performed_by: str
    recorded_at: datetime

    @property
    def is_brist(self) -> bool:
        return self.outcome == Utfall.BRIST


@dataclass(frozen=True)
class OverlamningRow(Row):
    """A control handed over to another owner from a day, and the organ's decision that did it."""

    table: ClassVar[str] = "internkontroll_view_handovers"
    key: ClassVar[tuple[str, ...]] = ("plan_id", "version")

    plan_id: UUID
    version: int
    control: int
    owner: str
    handed_over_on: date
    beslut_id: UUID
    recorded_at: datetime


@dataclass(frozen=True)
class BedomningRow(Row):
    """KS's assessment of one year's internal control."""

    table: ClassVar[str] = "internkontroll_view_assessments"
    key: ClassVar[tuple[str, ...]] = ("year",)

    year: int
    id: UUID
    assessment: str
    text: str
    beslut_id: UUID
    assessed_on: date
    recorded_at: datetime


def _opened(e: Internkontrollplan.Opened) -> Sequence[Change]:
    row = InternkontrollplanRow(
        id=e.originator_id,
        organ=e.organ,
        year=e.year,
        status=InternkontrollplanStatus.DRAFT.value,
        opened_on=e.effective_on,
        adopted_on=None,
        beslut_id=None,
        risks=0,
        controls=0,
        results=0,
        deficiencies=0,
        delar_reported_on=None,
        delar_summary="",
        helar_reported_on=None,
        helar_summary="",
        recorded_at=e.timestamp,
        changed_at=e.timestamp,
        secrecy=e.secrecy,
        version=e.originator_version,
    )
    return [Insert(row)]


def _plan(
    e: Internkontrollplan.Event, values: Mapping[str, object] | None = None, **increments: int
) -> Update:
    """The change every event makes to its plan's row: its own values, counters, and the stamp."""
    return Update(
        InternkontrollplanRow, (e.originator_id,), {**(values or {}), **stamp_values(e)}, increments
    )


def _risk(e: Internkontrollplan.RiskIdentified) -> Sequence[Change]:
    row = RiskRow(
        plan_id=e.originator_id,
        number=e.number,
        title=e.title,
        probability=e.probability,
        consequence=e.consequence,
        risk_value=risk_value(e.probability, e.consequence),
        chosen=e.chosen,
    )
    return [_plan(e, risks=1), Insert(row)]


def _control(e: Internkontrollplan.ControlPlanned) -> Sequence[Change]:
    row = KontrollRow(
        plan_id=e.originator_id,
        number=e.number,
        risk=e.risk,
        title=e.title,
        owner=e.owner,
        method=e.method,
        frequency=e.frequency,
        results=0,
        deficiencies=0,
        last_performed_on=None,
    )
    return [_plan(e, controls=1), Insert(row)]


def _adopted(e: Internkontrollplan.Adopted) -> Sequence[Change]:
    values = {
        "status": InternkontrollplanStatus.ADOPTED.value,
        "adopted_on": e.effective_on,
        "beslut_id": e.beslut_id,
    }
    return [_plan(e, values)]


def _handed_over(e: Internkontrollplan.ControlHandedOver) -> Sequence[Change]:
    row = OverlamningRow(
        plan_id=e.originator_id,
        version=e.originator_version,
        control=e.control,
        owner=e.owner,
        handed_over_on=e.effective_on,
        beslut_id=e.beslut_id,
        recorded_at=e.timestamp,
    )
    # From the hand-over's day: the history keeps the earlier owner on the days before.
    return [_plan(e), Update(KontrollRow, (e.originator_id, e.control), {"owner": e.owner}), Insert(row)]


def _result(e: Internkontrollplan.ResultRecorded) -> Sequence[Change]:
    brist = int(e.outcome == Utfall.BRIST)
    row = KontrollresultatRow(
        plan_id=e.originator_id,
        version=e.originator_version,
        control=e.control,
        outcome=e.outcome,
        comment=e.comment,
        action=e.action,
        avvikelse_id=e.avvikelse_id,
        performed_on=e.effective_on,
        performed_by=e.actor,
        recorded_at=e.timestamp,
    )
    control = Update(
        KontrollRow,
        (e.originator_id, e.control),
        {"last_performed_on": e.effective_on},
        {"results": 1, "deficiencies": brist},
    )
    return [_plan(e, results=1, deficiencies=brist), control, Insert(row)]


def _reported(e: Internkontrollplan.Reported) -> Sequence[Change]:
    values: dict[str, object] = {f"{e.period}_reported_on": e.effective_on, f"{e.period}_summary": e.summary}
    if e.period == Rapportperiod.HELAR:
        values["status"] = InternkontrollplanStatus.CLOSED.value
    return [_plan(e, values)]


def _assessed(e: Internkontrollbedomning.Assessed) -> Sequence[Change]:
    row = BedomningRow(
        year=e.year,
        id=e.originator_id,
        assessment=e.assessment,
        text=e.text,
        beslut_id=e.beslut_id,
        assessed_on=e.effective_on,
        recorded_at=e.timestamp,
    )
    return [Insert(row)]


ROW_TYPES = (InternkontrollplanRow, RiskRow, KontrollRow, KontrollresultatRow, OverlamningRow, BedomningRow)


class SQLiteInternkontrollView(SQLiteView):
    row_types = ROW_TYPES


class PostgresInternkontrollView(PostgresView):
    row_types = ROW_TYPES


class InternkontrollProjection(ViewProjection):
    name = "internkontroll_view"
    sqlite_view = SQLiteInternkontrollView
    postgres_view = PostgresInternkontrollView
    handlers: ClassVar[Mapping[type[Any], Handler]] = {
        Internkontrollplan.Opened: _opened,
        Internkontrollplan.RiskIdentified: _risk,
        Internkontrollplan.ControlPlanned: _control,
        Internkontrollplan.Adopted: _adopted,
        Internkontrollplan.ControlHandedOver: _handed_over,
        Internkontrollplan.ResultRecorded: _result,
        Internkontrollplan.Reported: _reported,
        Internkontrollbedomning.Assessed: _assessed,
    }
