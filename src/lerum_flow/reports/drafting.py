"""A report's draft from the log: its bytes, its sha256, the log position it was read to, and the
command that makes it again. The one way a draft is made, by a person (`lerum-flow rapport`) and by
the årshjul and the monthly follow-up to KS when they reach a report step (`ReportDrafts`, handed
to their activities by the worker).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.log_pages import head
from lerum_flow.projections.asof import AsOf
from lerum_flow.record_ids import RecordLog
from lerum_flow.reports.making import make_report
from lerum_flow.reports.period import ReportKind, ReportPeriod, annual_period, interim_period, month_period
from lerum_flow.styrmodell import Styrmodell


@dataclass(frozen=True)
class Draft:
    """One report made: its bytes and what names them (`command` makes the same bytes again)."""

    content: bytes
    digest: str
    position: int
    command: str
    title: str
    as_of: date
    known_on: date | None


def report_args(kind: ReportKind, year: int, number: int = 1, *, niva: str = "ks") -> str:
    """The arguments of `lerum-flow rapport` that name a report: the month `number` (at `niva`),
    delårsperiod `number`, or the year."""
    if kind is ReportKind.MANAD:
        return f"manad --ar {year} --manad {number} --niva {niva}"
    if kind is ReportKind.DELAR:
        return f"delar --ar {year} --period {number}"
    return f"arsredovisning --ar {year}"


def period_of(styrmodell: Styrmodell, kind: ReportKind, year: int, number: int = 1) -> ReportPeriod:
    """The period of a report: month `number`, delårsperiod `number`, or the year."""
    if kind is ReportKind.MANAD:
        return month_period(year, number)
    if kind is ReportKind.DELAR:
        return interim_period(styrmodell, year, number)
    return annual_period(year)


def again_command(args: str, extension: str, days: AsOf, upto: int) -> str:
    known = f" --known-on {days.known_on.isoformat()}" if days.known_on else ""
    days_asked = f"--as-of {days.on.isoformat()}{known}"
    return f"lerum-flow rapport {args} --format {extension} {days_asked} --position {upto}"


def make_draft(
    log: RecordLog,
    period: ReportPeriod,
    days: AsOf,
    *,
    styrmodell: Styrmodell,
    args: str,
    upto: int | None = None,
    as_pdf: bool = False,
    scope: str | None = None,
    audience: str = "ks",
) -> Draft:
    """The report of `period` as of `days`, read from the log up to `upto` (None: its head now)."""
    last = head(log.recorder)
    if upto is not None and upto > last:
        raise InvalidInput(
            f"Händelseloggen slutar vid position {last}; ange --position högst {last}.",
            field="position",
            rule="position_efter_loggen",
        )
    position = last if upto is None else upto
    command = again_command(args, "pdf" if as_pdf else "html", days, position)
    content = make_report(
        log,
        period,
        days,
        styrmodell=styrmodell,
        scope=scope,
        upto=position,
        command=command,
        as_pdf=as_pdf,
        audience=audience,
    )
    return Draft(
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
        position=position,
        command=command,
        title=period.name,
        as_of=days.on,
        known_on=days.known_on,
    )


class ReportDrafts:
    """The draft maker the worker hands the årshjul's activities: reports from its store's log.

    The workflow fixes the log position first (`position`, one activity) and
    makes the draft up to it (another), so an attempt that Temporal runs
    again makes the same bytes, the same digest and so the same record.
    The draft is HTML: its digest names the report as surely as the PDF's
    would, and the PDF (WeasyPrint's layout of the same HTML) is the slow
    half of making a report of a large store, which a worker should not
    spend on a step that only records which version was made.
    """

    def __init__(self, log: RecordLog, styrmodell: Styrmodell) -> None:
        self.log = log
        self.styrmodell = styrmodell

    def position(self) -> int:
        return head(self.log.recorder)

    def make(self, report: str, year: int, number: int, *, upto: int, as_of: date | None = None) -> Draft:
        """Report `report` (a month's to KS, a delårsrapport, the årsredovisning) as of `as_of`
        (the period's last day unless given), read from the log up to `upto`."""
        kind = ReportKind(report)
        period = period_of(self.styrmodell, kind, year, number)
        return make_draft(
            self.log,
            period,
            AsOf(on=as_of or period.end),
            styrmodell=self.styrmodell,
            args=report_args(kind, year, number),
            upto=upto,
        )
