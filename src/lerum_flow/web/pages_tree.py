"""The uppdrag tree page: from each political decision down to the single uppdrag, as the command
line's `uppdrag tree` shows it (the same query, projections.uppdrag_queries.uppdrag_tree), now or as
of a day as known on a day. Collapsible without JavaScript (<details>), filtered by a GET form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.projections.uppdrag_queries import uppdrag_tree
from lerum_flow.status_names import status_name, uppdrag_status
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.pages import page, page_caller, page_moment, page_record
from lerum_flow.web.reads import views_at

router = APIRouter(include_in_schema=False)


@router.get("/uppdragstrad", name="tree_page")
def tree_page(request: Request) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), at.on)
    level = request.query_params.get("level", "").strip()
    status_text = request.query_params.get("status", "").strip()
    status = uppdrag_status(status_text) if status_text else ""
    with views_at(record, at) as store:
        recipients = sorted({r.recipient for r in store.views.uppdrag.select(UppdragRow)})
        if level and level not in recipients:
            raise InvalidInput(
                f"Befattningen '{level}' har inga uppdrag; välj bland: {', '.join(recipients)}.",
                field="level",
                rule="okand_befattning",
            )
        trees = uppdrag_tree(store.views, recipient=level, status=status)
    return page(
        request,
        "tree.html",
        title="Uppdragsträdet",
        trees=trees,
        at=at,
        levels=recipients,
        level=level,
        statuses=[(s.value, status_name(s.value)) for s in UppdragStatus],
        status=status,
    )
