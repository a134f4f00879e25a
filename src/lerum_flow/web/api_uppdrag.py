"""`/api/v1/uppdrag`: issue, accept, report, break down, revise, complete and withdraw an uppdrag; read one
with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Request
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
from lerum_flow.web.reads import read_uppdrag

router = APIRouter(prefix="/api/v1/uppdrag", tags=["uppdrag"], responses=REFUSALS)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Blir kommandots id: samma nyckel igen registreras inte två gånger.",
    ),
]


@router.post("", status_code=201, response_model=m.CommandResult, summary="Ge ett uppdrag")
def issue(
    request: Request, caller: CallerDep, body: m.IssueUppdragBody, key: IdempotencyKey = None
) -> JSONResponse:
    """Ge ett uppdrag (eller mål) till en befattning under din, spårbart till ett politiskt beslut."""
    action = action_request(request, caller, body, key)
    return command_result(request, actions_of(request).issue_uppdrag(action, action.body), 201)


@router.post("/{uppdrag_id}/mottagande", response_model=m.CommandResult, summary="Ta emot ett uppdrag")
def accept(
    request: Request,
    uppdrag_id: str,
    caller: CallerDep,
    body: Annotated[m.DatedBody | None, Body()] = None,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Mottagaren tar emot uppdraget."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).accept_uppdrag(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.post("/{uppdrag_id}/rapport", response_model=m.CommandResult, summary="Återrapportera")
def report(
    request: Request,
    uppdrag_id: str,
    caller: CallerDep,
    body: m.ReportUppdragBody,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Mottagaren återrapporterar med en bedömning på styrmodellens skala."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).report_uppdrag(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.post(
    "/{uppdrag_id}/rapport/godkannande", response_model=m.CommandResult, summary="Godkänn återrapporten"
)
def accept_report(
    request: Request,
    uppdrag_id: str,
    caller: CallerDep,
    body: Annotated[m.AcceptReportBody | None, Body()] = None,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Givaren godkänner återrapporten."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).accept_report(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.post("/{uppdrag_id}/rapport/aterforvisning", response_model=m.CommandResult, summary="Återförvisa")
def return_report(
    request: Request, uppdrag_id: str, caller: CallerDep, body: m.ReturnReportBody, key: IdempotencyKey = None
) -> JSONResponse:
    """Givaren återförvisar återrapporten med ett skäl; mottagaren rapporterar igen."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).return_report(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.post("/{uppdrag_id}/deluppdrag", status_code=201, response_model=m.CommandResult, summary="Bryt ned")
def break_down(
    request: Request, uppdrag_id: str, caller: CallerDep, body: m.BreakDownBody, key: IdempotencyKey = None
) -> JSONResponse:
    """Mottagaren bryter ned uppdraget: ett deluppdrag till en befattning under sin."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).break_down_uppdrag(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome, 201)


@router.post("/{uppdrag_id}/andring", response_model=m.CommandResult, summary="Ändra ett uppdrag")
def revise(
    request: Request,
    uppdrag_id: str,
    caller: CallerDep,
    body: m.ReviseUppdragBody,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Givaren ändrar rubrik, beskrivning eller slutdatum, med ett skäl."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).revise_uppdrag(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.post("/{uppdrag_id}/slutforande", response_model=m.CommandResult, summary="Slutför ett uppdrag")
def complete(
    request: Request,
    uppdrag_id: str,
    caller: CallerDep,
    body: Annotated[m.CompleteUppdragBody | None, Body()] = None,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Givaren slutför ett uppdrag vars återrapport är godkänd."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).complete_uppdrag(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.post("/{uppdrag_id}/aterkallelse", response_model=m.CommandResult, summary="Återkalla ett uppdrag")
def withdraw(
    request: Request,
    uppdrag_id: str,
    caller: CallerDep,
    body: m.WithdrawUppdragBody,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Givaren återkallar ett öppet uppdrag med ett skäl."""
    action = action_request(request, caller, body, key)
    outcome = actions_of(request).withdraw_uppdrag(action, parse_id(uppdrag_id, "uppdrag"), action.body)
    return command_result(request, outcome)


@router.get("/{uppdrag_id}", response_model=m.UppdragDetail, summary="Ett uppdrag med historik")
def one(request: Request, uppdrag_id: str, caller: CallerDep, at: MomentDep) -> Response:
    """Uppdraget som det var den dagen (as_of), som man visste då (known_on), med varje händelse."""
    record = record_of(request)
    check_may_read(record, caller, at.on)
    wanted = parse_id(uppdrag_id, "uppdrag")
    return read_response(request, lambda: read_uppdrag(record, wanted, at))
