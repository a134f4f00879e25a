"""The uppdrag tree page, a page at a time: the top of the tree from each political decision, or one
uppdrag's parts (`?under=ID`, `fran=` to go on), each with how many parts it has in turn; now, or as
of a day as known on a day (from the views' history). Collapsible without JavaScript (<details>),
filtered by a GET form."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lerum_flow.domain.errors import InvalidInput, NotFound
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.asof import AsOf, as_known
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.projections.uppdrag_tree_pages import tree_page as read_tree_page
from lerum_flow.status_names import status_name, uppdrag_status
from lerum_flow.web.actions import parse_id
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.page_params import offset_param
from lerum_flow.web.pages import page, page_caller, page_moment, page_record

router = APIRouter(include_in_schema=False)


@router.get("/uppdragstrad", name="tree_page")
def tree_page(request: Request) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), at.on)
    params = request.query_params
    level = params.get("level", "").strip()
    status_text = params.get("status", "").strip()
    status = uppdrag_status(status_text) if status_text else ""
    under_text = params.get("under", "").strip()
    under = parse_id(under_text, "under") if under_text else None
    offset = offset_param(params.get("fran", ""))
    with record.views() as store:
        views = store.views if at.is_now else as_known(store.views, AsOf(at.on, at.known_on))
        if level and not views.uppdrag.count(UppdragRow, {"recipient": level}):
            raise InvalidInput(
                f"Befattningen '{level}' har inga uppdrag; ange en befattning som har fått uppdrag, "
                "t.ex. kommundirektor.",
                field="level",
                rule="okand_befattning",
            )
        found = read_tree_page(views, under=under, recipient=level, status=status, offset=offset)
    if found is None:
        raise NotFound(f"Det finns inget uppdrag med id {under} den dagen.", field="under", rule="okant_id")
    moment_params = {} if at.is_now else {"as_of": at.on.isoformat()}
    if at.known_on:
        moment_params["known_on"] = at.known_on.isoformat()
    filters = {name: value for name, value in (("level", level), ("status", status)) if value}
    return page(
        request,
        "tree.html",
        # The day and the filters every link of the page keeps (an uppdrag's own page: the day only).
        at_query=f"?{urlencode(moment_params)}" if moment_params else "",
        keep=urlencode(filters | moment_params),
        title="Uppdragsträdet",
        tree=found,
        at=at,
        levels=[b.id for b in record.styrmodell().befattning],
        level=level,
        statuses=[(s.value, status_name(s.value)) for s in UppdragStatus],
        status=status,
    )
