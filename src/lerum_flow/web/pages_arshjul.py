"""The årshjul page: each running budget year as the timeline of its steps, who owes what to whom and
by when, passed or coming, and where the cycle stands (deadlines met and missed) when Temporal answers;
the mandate period beside it.

Live updates by htmx polling (every 60 s, the board's every 30 s), not
server-sent events: the page is a plain GET that works without JavaScript, a
poll passes the Content-Security-Policy and any proxy as every other request
does, holds no connection (nor a server thread) open between changes that come
hours or days apart, and is answered like any read, from the same code.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.temporal_settings import TemporalSettings
from lerum_flow.web.arshjul import shown_years, wheel
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.pages import page, page_caller, page_record
from lerum_flow.web.reads import Moment, today
from lerum_flow.web.reads_arshjul import answers_known
from lerum_flow.workflows.starter import check_budget_year, plan_of_budget_year

router = APIRouter(include_in_schema=False)


def _year(request: Request) -> int | None:
    text = request.query_params.get("ar", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput(
            f"Budgetåret '{text}' är inget år; ange till exempel 2027.", field="ar", rule="budgetar"
        )
    year = int(text)
    try:
        check_budget_year(year)
    except InvalidInput as refused:
        # The command line names the argument BUDGETÅR; the page names its own parameter.
        raise InvalidInput(refused.message, field="ar", rule=refused.rule) from None
    return year


@router.get("/arshjul", name="arshjul_page")
def arshjul_page(request: Request) -> Response:
    record = page_record(request)
    on = today()
    check_may_read(record, page_caller(request), on)
    year = _year(request)
    styrmodell = record.styrmodell()
    years = shown_years(styrmodell, on, year)
    answers = answers_known(record, [plan_of_budget_year(styrmodell, y) for y in years], Moment(on))
    temporal: TemporalSettings | None = request.app.state.temporal
    found = wheel(styrmodell, on, temporal, years, answers)
    return page(
        request, "arshjul.html", title="Årshjulet", wheel=found, year=year, kommun=styrmodell.kommun.namn
    )
