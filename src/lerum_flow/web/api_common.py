"""What every API route shares: the caller, the business moment of a read, the ETag that is the
log position, and the shape of a command's answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from lerum_flow.application import Outcome
from lerum_flow.web import models as m
from lerum_flow.web.actions import Actions
from lerum_flow.web.actions import Request as ActionRequest
from lerum_flow.web.identity import Caller
from lerum_flow.web.oidc import caller_of
from lerum_flow.web.problems import PROBLEM_RESPONSES
from lerum_flow.web.reads import Moment, moment
from lerum_flow.web.record import WebRecord

CallerDep = Annotated[Caller, Depends(caller_of)]
AsOfQuery = Annotated[date | None, Query(description="Dagen svaret gäller (ÅÅÅÅ-MM-DD); standard i dag.")]
KnownOnQuery = Annotated[
    date | None, Query(description="Svaret som det var känt vid slutet av den dagen; standard: nu.")
]
REFUSALS = PROBLEM_RESPONSES


def record_of(request: Request) -> WebRecord:
    found: WebRecord = request.app.state.record
    return found


def actions_of(request: Request) -> Actions:
    found: Actions = request.app.state.actions
    return found


def moment_of(as_of: AsOfQuery = None, known_on: KnownOnQuery = None) -> Moment:
    return moment(as_of, known_on)


MomentDep = Annotated[Moment, Depends(moment_of)]


def etag_of(position: int) -> str:
    return f'"{position}"'


def read_response(request: Request, build: Callable[[], BaseModel]) -> Response:
    """The answer with the log position it reflects as its ETag; 304 if the client has it already.

    The position is read before the answer is built: the views are caught up to
    at least it, so an ETag never claims more than the answer holds.
    """
    position = record_of(request).head()
    etag = etag_of(position)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
    sent = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
    if etag in sent or f"W/{etag}" in sent:
        return Response(status_code=304, headers=headers)
    return JSONResponse(build().model_dump(mode="json", by_alias=True), headers=headers)


def action_request(
    request: Request, caller: Caller, body: BaseModel | None, key: str | None
) -> ActionRequest:
    fields = body.model_dump(by_alias=True, exclude_unset=True) if body is not None else {}
    return ActionRequest(caller=caller, path=request.url.path, body=fields, idempotency_key=key)


def command_result(request: Request, outcome: Outcome, status_code: int = 200) -> JSONResponse:
    position = record_of(request).head()
    result = m.CommandResult(
        id=outcome.id,
        registrerad=outcome.recorded,
        version=outcome.version,
        meddelande=outcome.message,
        position=position,
    )
    return JSONResponse(
        result.model_dump(mode="json"),
        status_code=status_code if outcome.recorded else 200,
        headers={"ETag": etag_of(position)},
    )
