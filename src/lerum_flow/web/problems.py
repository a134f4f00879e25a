"""Refusals as RFC 9457 problem details: the Swedish title and message the command line shows,
the rule code and the field, from the same `Refusal` the application raised."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from lerum_flow.domain.errors import Conflict, InvalidInput, InvalidState, NotFound, NotPermitted, Refusal

PROBLEM_TYPE = "application/problem+json"
# The rule codes are stable: a client may branch on them, and a person may look one up.
TYPE_BASE = "urn:lerum-flow:regel:"

_STATUS: dict[type[Refusal], int] = {
    InvalidInput: 422,
    NotFound: 404,
    NotPermitted: 403,
    InvalidState: 409,
    Conflict: 409,
}


class Problem(BaseModel):
    """A refused request; nothing was recorded."""

    type: str
    title: str
    status: int
    detail: str
    regel: str
    falt: str | None = None
    instance: str | None = None


class NotLoggedIn(Refusal):
    """No login, or a token the identity provider does not vouch for."""

    code = "ej_inloggad"
    title = "Inte inloggad"


class TooManyAttempts(Refusal):
    code = "for_manga_forsok"
    title = "För många försök"


class WrongMethod(Refusal):
    """An address that exists, asked with a method it does not take (e.g. GET of a command)."""

    code = "fel_metod"
    title = "Fel metod"


_STATUS[NotLoggedIn] = 401
_STATUS[TooManyAttempts] = 429
_STATUS[WrongMethod] = 405


def status_of(refusal: Refusal) -> int:
    return next((status for kind, status in _STATUS.items() if isinstance(refusal, kind)), 400)


def problem_of(refusal: Refusal, instance: str | None = None) -> Problem:
    return Problem(
        type=TYPE_BASE + refusal.rule,
        title=refusal.title,
        status=status_of(refusal),
        detail=refusal.message,
        regel=refusal.rule,
        falt=refusal.field,
        instance=instance,
    )


def problem_response(
    refusal: Refusal, request: Request, headers: dict[str, str] | None = None
) -> JSONResponse:
    problem = problem_of(refusal, request.url.path)
    all_headers = dict(headers or {})
    if isinstance(refusal, NotLoggedIn):
        all_headers.setdefault("WWW-Authenticate", 'Bearer realm="lerum-flow"')
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_TYPE,
        headers=all_headers,
    )


# Shown in the OpenAPI document for every operation that may refuse.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": description, "content": {PROBLEM_TYPE: {}}}
    for status, description in (
        (401, "Inte inloggad"),
        (403, "Ej behörig"),
        (404, "Finns inte"),
        (409, "Fel läge eller konflikt"),
        (422, "Ogiltig uppgift"),
    )
}


def request_refusal(errors: list[Any], body: type[BaseModel] | None = None) -> InvalidInput:
    """FastAPI's refusal of a request's shape (a missing field, a number that is not one) as the
    Swedish refusal the commands give: each error said by the same translator, which names the
    body's keys and the type each should have when `body` (the route's body model) is given."""
    from pydantic import ValidationError

    from lerum_flow.validation_messages import describe_errors, summarise

    problems: list[tuple[str, str]] = []
    for error in errors:
        if error.get("type") == "json_invalid":
            # FastAPI gives the character the JSON parser stopped at as the location, not a field.
            return InvalidInput(
                f"Begäran är inte giltig JSON (fel vid tecken {error.get('loc', ('', '?'))[-1]}); "
                'skicka fälten som ett JSON-objekt, t.ex. {"title": "..."}.',
                field="(hela)",
                rule="ogiltig_json",
            )
        location = tuple(str(part) for part in error.get("loc", ()))[1:] or ("(hela)",)
        try:
            details = ValidationError.from_exception_data(
                "begäran",
                [
                    {
                        "type": error["type"],
                        "loc": location,
                        "input": error.get("input"),
                        "ctx": error.get("ctx", {}),
                    }
                ],
            )
            in_body = tuple(error.get("loc", ("",)))[:1] == ("body",)
            where, message = describe_errors(details, body if in_body else None)[0]
        except (KeyError, TypeError, ValueError):
            where, message = ".".join(location), "Ogiltigt värde."
        problems.append((where, message))
    if not problems:
        return InvalidInput("Begäran kunde inte läsas.", rule="ogiltigt_varde")
    first_field, message = summarise(problems)
    return InvalidInput(message, field=first_field, rule="ogiltigt_varde", problems=problems)
