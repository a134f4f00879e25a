"""The report drafts of the årshjul and of the monthly follow-up to KS: made by a maker the worker
hands in, recorded through `Governance` like every step.

A workflow may not read the projections, and a report is read through the
auditor's as-of replay (the reports wing), so the activities are given a
`DraftMaker` (`lerum_flow.reports.drafting.ReportDrafts` where the worker is
started) instead of importing one. A worker given none (the demo's
simulation, whose year would wait on a replay of its whole store at every
report step) makes no drafts: the step answers None and the cycle goes on.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Protocol

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.workflows.arshjul.models import DraftInput, DraftMade
from lerum_flow.workflows.governance_steps import command_id, record


class MadeReport(Protocol):
    @property
    def digest(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def as_of(self) -> date: ...
    @property
    def known_on(self) -> date | None: ...


class DraftMaker(Protocol):
    """Makes a report from the store's log: its position now, and a report read up to a position."""

    def position(self) -> int: ...

    def make(
        self, report: str, year: int, number: int, *, upto: int, as_of: date | None = None
    ) -> MadeReport: ...


class ReportDraftSteps:
    def __init__(self, governance: Governance, maker: DraftMaker | None) -> None:
        self.governance = governance
        self.maker = maker

    async def position(self) -> int | None:
        """The log's position to make the draft up to; None when this worker makes no drafts."""
        if self.maker is None:
            return None
        return await asyncio.to_thread(self.maker.position)

    async def make(self, request: DraftInput) -> DraftMade | None:
        """The draft up to the position the workflow fixed: a retried attempt makes the same bytes,
        so the same digest and the same record, which answers "already recorded"."""
        if self.maker is None:
            return None
        made = await asyncio.to_thread(
            self.maker.make,
            request.report,
            request.year,
            request.number,
            upto=request.upto,
            as_of=request.as_of,
        )
        outcome = await record(
            self.governance.record_rapportutkast,
            c.RecordRapportutkast,
            actor=request.actor,
            person=request.person,
            command_id=command_id(request.command_key),
            report=request.report,
            title=made.title,
            digest=made.digest,
            log_position=made.position,
            as_of=made.as_of,
            known_on=made.known_on,
            made_on=request.made_on,
        )
        return DraftMade(
            key=request.command_key,
            rapportutkast_id=outcome.id,
            title=made.title,
            digest=made.digest,
            position=made.position,
            recorded=outcome.recorded,
        )
