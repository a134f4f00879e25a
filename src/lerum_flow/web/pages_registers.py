"""The register pages: decisions (search, filter, register one), delegations (grant, revoke), and a
position's authority on a day with the chain it rests on. Swedish, useful without JavaScript: every
filter is a GET form, every command a POST form with the session's CSRF token, redirected after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from lerum_flow.domain.errors import Refusal
from lerum_flow.input_dates import parse_day
from lerum_flow.web.actions import Request as ActionRequest
from lerum_flow.web.actions import parse_id
from lerum_flow.web.actions_registers import RegisterActions
from lerum_flow.web.form_problems import FormProblems
from lerum_flow.web.identity import check_may_act, check_may_read
from lerum_flow.web.pages import (
    FLASH_KEY,
    page,
    page_action,
    page_caller,
    page_form,
    page_moment,
    page_record,
)
from lerum_flow.web.problems import status_of
from lerum_flow.web.reads_registers import read_authority, read_beslut, read_delegeringar

router = APIRouter(include_in_schema=False)
SHOWN = 100


def _acting(request: Request, on: date) -> list[str]:
    """The positions the person may act in today (none for a revisor: the forms are not shown)."""
    try:
        return check_may_act(page_record(request), page_caller(request), on)
    except Refusal:
        return []


def _day(request: Request, name: str) -> date | None:
    text = request.query_params.get(name, "").strip()
    return parse_day(text, field=name) if text else None


def _actions(request: Request) -> RegisterActions:
    found: RegisterActions = request.app.state.register_actions
    return found


@router.get("/beslut", name="beslut_page")
def beslut_page(request: Request) -> Response:
    return _beslut(request)


def _beslut(
    request: Request, refusal: Refusal | None = None, form: dict[str, str] | None = None, sent: str = ""
) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), at.on)
    query = request.query_params
    search = query.get("q", "").strip()
    organ = query.get("organ", "").strip()
    unreported = query.get("ej_anmalda", "") == "ja"
    found = read_beslut(
        record,
        at,
        organ=organ,
        start=_day(request, "from"),
        end=_day(request, "to"),
        unreported=unreported,
        search=search,
        limit=SHOWN,
    )
    organs = sorted({b.decided_by for b in read_beslut(record, at, limit=10_000).beslut})
    return page(
        request,
        "beslut.html",
        status_code=_status(refusal),
        title="Beslutsregistret",
        register=found,
        at=at,
        q=search,
        organ=organ,
        organs=organs,
        unreported=unreported,
        start=query.get("from", ""),
        end=query.get("to", ""),
        acting=_acting(request, at.on) if at.is_now else [],
        refusal=refusal,
        form=form or {},
        sent=sent,
        form_problems=FormProblems(refusal, sent),
        today=at.on.isoformat(),
    )


def _status(refusal: Refusal | None) -> int:
    return status_of(refusal) if refusal else 200


async def _command(
    request: Request,
    act: Callable[[ActionRequest, dict[str, str]], object],
    done: str,
    back: str,
    again: Callable[[Request, Refusal, dict[str, str]], Response],
) -> Response:
    form = await page_form(request)
    try:
        act(page_action(request, form), form)
    except Refusal as refusal:
        return again(request, refusal, form)
    request.session[FLASH_KEY] = done
    return RedirectResponse(str(request.url_for(back)), status_code=303)


@router.post("/beslut", name="take_beslut_form")
async def take_beslut_form(request: Request) -> Response:
    return await _command(
        request,
        _actions(request).take_beslut,
        "Beslutet registrerades.",
        "beslut_page",
        lambda req, refusal, form: _beslut(req, refusal, form, "beslut"),
    )


@router.get("/delegeringar", name="delegering_page")
def delegering_page(request: Request) -> Response:
    return _delegeringar(request)


def _delegeringar(
    request: Request, refusal: Refusal | None = None, form: dict[str, str] | None = None, sent: str = ""
) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), at.on)
    search = request.query_params.get("q", "").strip()
    everything = request.query_params.get("alla", "") == "ja"
    found = read_delegeringar(record, at, everything=everything, search=search, limit=SHOWN)
    acting = _acting(request, at.on) if at.is_now else []
    choices = read_beslut(record, at, limit=10_000).beslut if acting else []
    return page(
        request,
        "delegeringar.html",
        status_code=_status(refusal),
        title="Delegationsregistret",
        register=found,
        at=at,
        q=search,
        everything=everything,
        acting=acting,
        beslut_choices=choices,
        refusal=refusal,
        form=form or {},
        sent=sent,
        form_problems=FormProblems(refusal, sent),
        today=at.on.isoformat(),
    )


@router.post("/delegeringar", name="grant_form")
async def grant_form(request: Request) -> Response:
    return await _command(
        request,
        _actions(request).grant_delegering,
        "Delegeringen registrerades.",
        "delegering_page",
        lambda req, refusal, form: _delegeringar(req, refusal, form, "delegera"),
    )


@router.post("/delegeringar/{delegering_id}/aterkalla", name="revoke_form")
async def revoke_form(request: Request, delegering_id: str) -> Response:
    wanted = parse_id(delegering_id, "delegering")
    return await _command(
        request,
        lambda action, form: _actions(request).revoke_delegering(action, wanted, form),
        "Delegeringen återkallades; vidaredelegationer under den faller med den.",
        "delegering_page",
        lambda req, refusal, form: _delegeringar(req, refusal, form, f"aterkalla-{wanted}"),
    )


@router.get("/beslutanderatt", name="authority_page")
def authority_page(request: Request) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), at.on)
    role = request.query_params.get("befattning", "").strip()
    answer = read_authority(record, role, at) if role else None
    return page(request, "beslutanderatt.html", title="Beslutanderätt", answer=answer, role=role, at=at)
