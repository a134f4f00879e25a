"""`/api/v1/avvikelser`: the board of open deviations, and an acknowledgement at one's level."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from lerum_flow.web import models as m
from lerum_flow.web.actions import parse_id
from lerum_flow.web.api_common import (
    REFUSALS,
    CallerDep,
    MomentDep,
    action_request,
    actions_of,
    command_result,
    read_response,
    record_of,
)
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.reads import Moment, avvikelse_out, board_lines, views_at
from lerum_flow.web.record import WebRecord

router = APIRouter(prefix="/api/v1/avvikelser", tags=["avvikelser"], responses=REFUSALS)


def read_board(record: WebRecord, at: Moment, level: str, limit: int, offset: int) -> m.Board:
    with views_at(record, at) as views:
        lines = board_lines(record, views, at, level)
    shown = lines[offset : offset + limit]
    return m.Board(
        datum=at.on,
        kant_per=at.known_on,
        avvikelser=[avvikelse_out(line) for line in shown],
        sida=m.Paging.of(len(lines), offset, limit),
    )


@router.get("", response_model=m.Board, summary="Avvikelsetavlan")
def board(
    request: Request,
    caller: CallerDep,
    at: MomentDep,
    level: Annotated[str, Query(description="Bara avvikelser hos den nivån.", max_length=80)] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Öppna avvikelser, mest brådskande först: kvittensfrist och hur länge de väntat."""
    record = record_of(request)
    check_may_read(record, caller, at.on)
    return read_response(request, lambda: read_board(record, at, level.strip(), limit, offset))


@router.post("", status_code=201, response_model=m.CommandResult, summary="Rapportera en avvikelse")
def report(
    request: Request,
    caller: CallerDep,
    body: m.ReportAvvikelseBody,
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Rapportera en avvikelse uppåt; den hamnar hos nivån ovanför din, med sin kvittensfrist."""
    action = action_request(request, caller, body, key)
    return command_result(request, actions_of(request).report_avvikelse(action, action.body), 201)


@router.post("/{avvikelse_id}/kvittens", response_model=m.CommandResult, summary="Kvittera en avvikelse")
def acknowledge(
    request: Request,
    avvikelse_id: str,
    caller: CallerDep,
    body: Annotated[m.DatedBody | None, Body()] = None,
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Kvittera att avvikelsen tagits emot på den nivå där den ligger (du ska inneha den befattningen)."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).acknowledge_avvikelse(
        action, parse_id(avvikelse_id, "avvikelse"), action.body
    )
    return command_result(request, outcome)


Key = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post("/{avvikelse_id}/eskalering", response_model=m.CommandResult, summary="Eskalera")
def escalate(
    request: Request, avvikelse_id: str, caller: CallerDep, body: m.EscalateBody, key: Key = None
) -> JSONResponse:
    """Nivån där avvikelsen ligger för den uppåt i styrkedjan; nästa nivå får sin egen kvittensfrist."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).escalate_avvikelse(action, parse_id(avvikelse_id, "avvikelse"), action.body)
    return command_result(request, outcome)


@router.post("/{avvikelse_id}/atgard", response_model=m.CommandResult, summary="Besluta om åtgärd")
def decide(
    request: Request, avvikelse_id: str, caller: CallerDep, body: m.DecideActionBody, key: Key = None
) -> JSONResponse:
    """Nivån som kvitterat avvikelsen beslutar om åtgärd."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).decide_action(action, parse_id(avvikelse_id, "avvikelse"), action.body)
    return command_result(request, outcome)


@router.post("/{avvikelse_id}/stangning", response_model=m.CommandResult, summary="Stäng")
def close(
    request: Request, avvikelse_id: str, caller: CallerDep, body: m.CloseAvvikelseBody, key: Key = None
) -> JSONResponse:
    """Stäng avvikelsen och beskriv hur den avslutades."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).close_avvikelse(action, parse_id(avvikelse_id, "avvikelse"), action.body)
    return command_result(request, outcome)
