"""What a report is made from: the rows of the as-of views and the few events a figure needs whole.

Everything here was read by `gather` for one report; the figures are pure
functions of it, so a test can build one by hand and a report made twice
from the same record is the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.avvikelse import AvvikelseRow
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.uppdrag import ReportRow, UppdragRow
from lerum_flow.reports.period import ReportPeriod
from lerum_flow.reports.positions import PositionIndex
from lerum_flow.styrmodell import Styrmodell


@dataclass(frozen=True)
class Scale:
    """One step of the styrmodell's assessment scale, as a report shows it: never by colour alone."""

    code: str
    label: str
    symbol: str
    colour: str
    rank: int


@dataclass(frozen=True)
class Provenance:
    """Where the record ends that a report was made from: the log's last position read and the days."""

    position: int
    as_of: AsOf
    model_digest: str


@dataclass(frozen=True)
class ReportRecord:
    period: ReportPeriod
    # The sector a report is limited to (a sektorschef's position), or None for the whole municipality.
    scope: str | None
    provenance: Provenance
    styrmodell: Styrmodell
    positions: PositionIndex
    uppdrag: Sequence[UppdragRow]
    reports: Sequence[ReportRow]
    # Decisions taken in the report's window, and the organs' decisions the årshjul asks for.
    beslut: Sequence[BeslutRow]
    organ_beslut: Sequence[Beslut.Taken]
    avvikelser: Sequence[AvvikelseRow]
    # Each deviation's own events as of the report's days: its way up the chain.
    avvikelse_events: Mapping[UUID, Sequence[Avvikelse.Event]]
    # Who reports to whom in a month report on the whole municipality: "ks" (the kommundirektör to
    # KS) or "kommundirektor" (the sektorschefer to the kommundirektör).
    audience: str = "ks"

    @property
    def on(self) -> date:
        return self.provenance.as_of.on
