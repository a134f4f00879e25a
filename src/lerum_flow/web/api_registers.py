"""`/api/v1/beslut`, `/api/v1/delegeringar`, `/api/v1/beslutanderatt`: the registers, searched and
filtered, a decision registered, a delegation granted and revoked, and what a position could decide."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from lerum_flow.web import models as m
from lerum_flow.web import models_registers as r
from lerum_flow.web.actions import parse_id
from lerum_flow.web.actions_registers import RegisterActions
from lerum_flow.web.api_common import (
    REFUSALS,
    CallerDep,
    MomentDep,
    action_request,
    command_result,
    read_response,
    record_of,
)
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.reads_registers import read_authority, read_beslut, read_delegeringar

router = APIRouter(prefix="/api/v1", tags=["register"], responses=REFUSALS)
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]
Search = Annotated[str, Query(description="Ord som alla ska finnas i raden.", max_length=200)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def register_actions_of(request: Request) -> RegisterActions:
    found: RegisterActions = request.app.state.register_actions
    return found


@router.get("/beslut", response_model=r.BeslutRegister, summary="Beslutsregistret")
def beslut(
    request: Request,
    caller: CallerDep,
    at: MomentDep,
    organ: Annotated[str, Query(description="Bara beslut av den befattningen.", max_length=80)] = "",
    start: Annotated[date | None, Query(alias="from", description="Beslutade från den dagen.")] = None,
    end: Annotated[date | None, Query(alias="to", description="Beslutade till och med den dagen.")] = None,
    ej_anmalda: Annotated[bool, Query(description="Bara delegationsbeslut som inte anmälts.")] = False,
    q: Search = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Beslut i datumordning, med § och diarienummer; sök på rubrik, diarienummer, organ eller område."""
    record = record_of(request)
    check_may_read(record, caller, at.on)
    return read_response(
        request,
        lambda: read_beslut(
            record,
            at,
            organ=organ.strip(),
            start=start,
            end=end,
            unreported=ej_anmalda,
            search=q,
            limit=limit,
            offset=offset,
        ),
    )


@router.post("/beslut", status_code=201, response_model=m.CommandResult, summary="Registrera ett beslut")
def take_beslut(
    request: Request, caller: CallerDep, body: r.TakeBeslutBody, key: KeyHeader = None
) -> JSONResponse:
    """Registrera ett beslut av ett organ (med § och diarienummer), eller av en delegat med stöd av en
    delegering."""
    action = action_request(request, caller, body, key)
    return command_result(request, register_actions_of(request).take_beslut(action, action.body), 201)


@router.get("/delegeringar", response_model=r.DelegeringRegister, summary="Delegationsregistret")
def delegeringar(
    request: Request,
    caller: CallerDep,
    at: MomentDep,
    alla: Annotated[bool, Query(description="Alla delegeringar, även upphörda och kommande.")] = False,
    q: Search = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Delegeringar i kraft den dagen (hela kedjan i kraft), eller alla: vem, från vem, med stöd av vad."""
    record = record_of(request)
    check_may_read(record, caller, at.on)
    return read_response(
        request, lambda: read_delegeringar(record, at, everything=alla, search=q, limit=limit, offset=offset)
    )


@router.post("/delegeringar", status_code=201, response_model=m.CommandResult, summary="Delegera")
def grant(
    request: Request, caller: CallerDep, body: r.GrantDelegeringBody, key: KeyHeader = None
) -> JSONResponse:
    """Delegera beslutanderätt i ett beslutsområde till en mottagare, med stöd av ett beslut."""
    action = action_request(request, caller, body, key)
    return command_result(request, register_actions_of(request).grant_delegering(action, action.body), 201)


@router.post(
    "/delegeringar/{delegering_id}/aterkallelse",
    response_model=m.CommandResult,
    summary="Återkalla en delegering",
)
def revoke(
    request: Request,
    delegering_id: str,
    caller: CallerDep,
    body: r.RevokeDelegeringBody,
    key: KeyHeader = None,
) -> JSONResponse:
    """Den som delegerade återkallar delegeringen från en dag; vidaredelegationer faller med den."""
    action = action_request(request, caller, body, key)
    wanted = parse_id(delegering_id, "delegering")
    return command_result(
        request, register_actions_of(request).revoke_delegering(action, wanted, action.body)
    )


@router.get("/beslutanderatt/{befattning}", response_model=r.AuthorityOut, summary="Beslutanderätt")
def authority(request: Request, befattning: str, caller: CallerDep, at: MomentDep) -> Response:
    """Vad befattningen fick besluta den dagen, som det var känt då, och genom vilken kedja av
    delegeringar (samma svar som 'audit authority')."""
    record = record_of(request)
    check_may_read(record, caller, at.on)
    return read_response(request, lambda: read_authority(record, befattning, at))
