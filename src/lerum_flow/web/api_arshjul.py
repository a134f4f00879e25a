"""`/api/v1/arshjul`: the budget years running on a day, and one year's steps: what, who owes whom,
by when, and whether it was done in time, late, missed or is still to come."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from lerum_flow.web import models_arshjul as a
from lerum_flow.web.api_common import REFUSALS, CallerDep, MomentDep, read_response, record_of
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.reads import today
from lerum_flow.web.reads_arshjul import check_day_in_calendar, read_year, read_years
from lerum_flow.workflows.starter import FIRST_YEAR, LAST_YEAR

router = APIRouter(prefix="/api/v1/arshjul", tags=["årshjul"], responses=REFUSALS)
BudgetYear = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="Budgetåret, t.ex. 2028.")]


@router.get("", response_model=a.ArshjulOversikt, summary="Pågående budgetår")
def years(request: Request, caller: CallerDep, at: MomentDep) -> Response:
    """Budgetåren som pågår dagen (as_of): från det första stegets början till det sista stegets
    sista dag (planering, året, årsredovisning och ansvarsfrihet)."""
    record = record_of(request)
    # By one's standing today: a revisor of today reads the calendar of any day.
    check_may_read(record, caller, today())
    check_day_in_calendar(at.on)  # refused before an ETag is given
    return read_response(request, lambda: read_years(record, at))


@router.get("/{budgetar}", response_model=a.ArshjulBudgetar, summary="Ett budgetårs steg")
def year(request: Request, caller: CallerDep, at: MomentDep, budgetar: BudgetYear) -> Response:
    """Varje steg i budgetåret: vad, vem som är skyldig vem, senast när, och hur det står enligt de
    registrerade besluten dagen (as_of), som de var kända dagen (known_on)."""
    record = record_of(request)
    check_may_read(record, caller, today())
    return read_response(request, lambda: read_year(record, budgetar, at))
