"""The record as of a day, one register a page at a time: the open uppdrag, the decisions, the
delegations in force, the open deviations and the governing documents in force, each read from the
views' history (`asof.as_known`) one page per question.

Why: `registers.state_on` gathers every register whole; on a mandate period's store
that is over a hundred thousand decisions per look, where an auditor reads fifty at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.avvikelse import OPEN_STATUSES, AvvikelseRow
from lerum_flow.projections.registers import Page, Paging, beslut_register, delegation_register
from lerum_flow.projections.store import Views
from lerum_flow.projections.styrdokument import StyrdokumentRow
from lerum_flow.projections.uppdrag import FINISHED, UppdragRow

AS_OF_PAGE = 50
OPEN_UPPDRAG: dict[str, object] = {"status": tuple(s.value for s in UppdragStatus if s not in FINISHED)}
OPEN_AVVIKELSER: dict[str, object] = {"status": OPEN_STATUSES}


class RecordKind(StrEnum):
    """The registers the auditor pages through, by the name the page's address uses."""

    UPPDRAG = "uppdrag"
    BESLUT = "beslut"
    DELEGERINGAR = "delegeringar"
    AVVIKELSER = "avvikelser"
    STYRDOKUMENT = "styrdokument"


def _uppdrag(views: Views, on: date, paging: Paging) -> Page[Any]:
    return _paged(views.uppdrag, UppdragRow, OPEN_UPPDRAG, ("issued_on", "title"), paging)


def _beslut(views: Views, on: date, paging: Paging) -> Page[Any]:
    return beslut_register(views, paging=paging)


def _delegeringar(views: Views, on: date, paging: Paging) -> Page[Any]:
    return delegation_register(views, on=on, paging=paging)


def _avvikelser(views: Views, on: date, paging: Paging) -> Page[Any]:
    return _paged(views.avvikelse, AvvikelseRow, OPEN_AVVIKELSER, ("occurred_on",), paging)


def _styrdokument(views: Views, on: date, paging: Paging) -> Page[Any]:
    return _paged(
        views.styrdokument, StyrdokumentRow, StyrdokumentRow.IN_FORCE, ("document_type", "title"), paging
    )


_READS: dict[RecordKind, Callable[[Views, date, Paging], Page[Any]]] = {
    RecordKind.UPPDRAG: _uppdrag,
    RecordKind.BESLUT: _beslut,
    RecordKind.DELEGERINGAR: _delegeringar,
    RecordKind.AVVIKELSER: _avvikelser,
    RecordKind.STYRDOKUMENT: _styrdokument,
}


def as_of_page(views: Views, on: date, kind: RecordKind, paging: Paging) -> Page[Any]:
    """One page of the register `kind` as it stood on `on`, in the views given (as known on a day:
    `asof.as_known`); with how many rows it had in all."""
    return _READS[kind](views, on, paging)


def _paged(
    view: Any, row_type: type[Any], where: Mapping[str, object], order: tuple[str, ...], paging: Paging
) -> Page[Any]:
    rows = view.query(row_type, where, order_by=order, limit=paging.limit, offset=paging.offset)
    total = view.count(row_type, where) if rows or paging.offset else 0
    return Page(rows, total, paging.offset)
