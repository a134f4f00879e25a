"""`/api/v1/att-gora`: what waits for the logged-in person in the positions they hold that day."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lerum_flow.web import models as m
from lerum_flow.web.api_common import REFUSALS, CallerDep, MomentDep, read_response, record_of
from lerum_flow.web.identity import positions_held
from lerum_flow.web.reads import read_inbox

router = APIRouter(prefix="/api/v1", tags=["att göra"], responses=REFUSALS)


@router.get("/att-gora", response_model=m.Inbox, summary="Att göra")
def inbox(request: Request, caller: CallerDep, at: MomentDep) -> Response:
    """Uppdrag att ta emot och återrapportera, rapporter att granska och slutföra, avvikelser att
    kvittera: för varje befattning du innehade den dagen."""
    record = record_of(request)
    positions = [h.position for h in positions_held(record, caller, at.on, at.known_until)]
    return read_response(request, lambda: read_inbox(record, positions, at))
