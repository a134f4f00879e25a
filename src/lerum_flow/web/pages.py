"""The Swedish pages: Att göra, one uppdrag with its history and forms, the avvikelse board.

Every page works without JavaScript: forms post and redirect (POST, then GET),
a refusal is shown on the same page with an error summary linking to the field
(the GOV.UK pattern). htmx only refreshes the board by polling.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.datastructures import FormData

from lerum_flow.beslut_kind_names import beslut_kind_name
from lerum_flow.domain.errors import NotFound, Refusal, key_quoted
from lerum_flow.domain.uppdrag import IN_HAND, OPEN
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.status_names import status_name
from lerum_flow.web.actions import Actions, parse_id
from lerum_flow.web.actions import Request as ActionRequest
from lerum_flow.web.api_avvikelse import read_board
from lerum_flow.web.form_problems import FormProblems
from lerum_flow.web.identity import Caller, check_may_read, positions_held
from lerum_flow.web.oidc import SUBJECT_KEY, csrf_ok, csrf_token
from lerum_flow.web.problems import NotLoggedIn, status_of
from lerum_flow.web.query_fields import field_label, page_without
from lerum_flow.web.reads import Moment, moment, read_inbox, read_uppdrag, today
from lerum_flow.web.record import WebRecord

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _local_time(moment: datetime) -> str:
    """A recorded time as the municipality reads it (its own time zone, no seconds)."""
    return moment.astimezone(MUNICIPAL_TIME).strftime("%Y-%m-%d %H:%M")


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _named(code: str, name: str | None) -> Markup:
    """A name as the page shows it, its code kept as the title: what a command is typed with."""
    if name is None or name == code:
        return Markup("{}").format(code)
    return Markup('<span title="{}">{}</span>').format(code, name)


class _PositionNames:
    """The names a page shows its positions by, read once for the page when it first names one:
    asking the record for each row would ask the log's head for each. A page about an earlier day,
    or as known on one (`at`), names them as they were named then; one that was no position then
    (established later, or not yet known to be), which the page still names (asked about by its
    code), by its name now rather than by a bare code."""

    def __init__(self, record: WebRecord, at: Moment | None = None) -> None:
        self._record = record
        self._at = at
        self._names: Mapping[str, str] | None = None
        self._names_now: Mapping[str, str] | None = None

    def name(self, code: str) -> str:
        if self._names is None:
            at, names = self._at, self._record.position_names
            self._names = names(at.on, at.known_on) if at else names()
        found = self._names.get(code)
        if found is None and self._at is not None:
            if self._names_now is None:
                self._names_now = self._record.position_names()
            found = self._names_now.get(code)
        return code if found is None else found


@pass_context
def _position_name(context: Context, code: str) -> str:
    """The position's name alone, where no markup may go (an option of a choice); else its code."""
    names: _PositionNames = context["position_names"]
    return names.name(code)


@pass_context
def _position(context: Context, code: str) -> Markup:
    return _named(code, _position_name(context, code))


@pass_context
def _matter_name(context: Context, code: str) -> Markup:
    record: WebRecord = context["request"].app.state.record
    area = record.styrmodell().beslutsomrade(code)
    return _named(code, area.namn if area else None)


def _kind_name(code: str) -> Markup:
    return _named(code, beslut_kind_name(code))


TEMPLATES.env.filters["befattning"] = _position
TEMPLATES.env.filters["befattningsnamn"] = _position_name
TEMPLATES.env.filters["beslutsomrade"] = _matter_name
TEMPLATES.env.filters["beslutsslag"] = _kind_name
TEMPLATES.env.filters["lokal_tid"] = _local_time
TEMPLATES.env.filters["decimal"] = _decimal
TEMPLATES.env.filters["status_text"] = status_name
FLASH_KEY = "flash"
BOARD_PAGE = 200
# The statuses in which the recipient may still accept, or report.
TO_ACCEPT = {"utfardat"}
TO_REPORT = {"mottaget", "rapport_aterforvisad"}
# The status in which the giver reviews the report.
TO_REVIEW = {"rapporterat"}
TO_COMPLETE = {UppdragStatus.REPORT_ACCEPTED.value}
router = APIRouter(include_in_schema=False)


class FormRefused(Exception):  # noqa: N818 - carries a refusal back to the page it came from
    def __init__(self, refusal: Refusal, form: dict[str, str]) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
        self.form = form


def page_caller(request: Request) -> Caller:
    subject = request.session.get(SUBJECT_KEY)
    return Caller(subject=subject) if subject else Caller()


def page_record(request: Request) -> WebRecord:
    found: WebRecord = request.app.state.record
    return found


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    caller = page_caller(request)
    # A page showing an earlier day, or what was known on one, passes its moment as `at`.
    at = context.get("at")
    earlier = at if isinstance(at, Moment) and not at.is_now else None
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "person": caller.subject,
            "csrf": csrf_token(request) if caller.subject else "",
            "flash": request.session.pop(FLASH_KEY, None),
            "position_names": _PositionNames(page_record(request), earlier),
            **context,
        },
        status_code=status_code,
    )


def refusal_page(request: Request, refusal: Refusal) -> Response:
    if isinstance(refusal, NotLoggedIn) and request.method == "GET":
        return RedirectResponse(str(request.url_for("start_page")), status_code=303)
    return page(
        request,
        "refused.html",
        status_of(refusal),
        title=refusal.title,
        refusal=refusal,
        message=refusal.worded(lambda key: key_quoted(field_label(key) or key)),
        field=field_label(refusal.field),
        back=page_without(request, refusal),
    )


def page_moment(request: Request) -> Moment:
    def day(name: str) -> date | None:
        text = request.query_params.get(name, "").strip()
        if not text:
            return None
        from lerum_flow.input_dates import parse_day

        return parse_day(text, field=name)

    return moment(day("as_of"), day("known_on"))


@router.get("/", name="start_page")
def start(request: Request) -> Response:
    if page_caller(request).subject:
        return RedirectResponse(str(request.url_for("inbox_page")), status_code=303)
    return page(request, "start.html", title="Logga in")


# How many uppdrag each list of Att göra shows until asked for all: a kommundirektör may have
# hundreds of approved reports to complete, and the lists below them must stay within reach.
INBOX_SHOWN = 20


@router.get("/att-gora", name="inbox_page")
def inbox_page(request: Request) -> Response:
    record = page_record(request)
    caller = page_caller(request)
    at = page_moment(request)
    positions = [h.position for h in positions_held(record, caller, at.on, at.known_until)]
    found = read_inbox(record, positions, at)
    show_all = request.query_params.get("alla") == "ja"
    return page(
        request,
        "inbox.html",
        title="Att göra",
        inbox=found,
        at=at,
        shown=None if show_all else INBOX_SHOWN,
        all_url=str(request.url.include_query_params(alla="ja")),
    )


@router.get("/uppdrag/{uppdrag_id}", name="uppdrag_page")
def uppdrag_page(request: Request, uppdrag_id: str) -> Response:
    return _uppdrag(request, parse_id(uppdrag_id, "uppdrag"))


def _uppdrag(
    request: Request,
    uppdrag_id: UUID,
    refusal: Refusal | None = None,
    form: dict[str, str] | None = None,
    sent: str = "",
) -> Response:
    record = page_record(request)
    caller = page_caller(request)
    at = page_moment(request)
    positions = [h.position for h in positions_held(record, caller, at.on, at.known_until)]
    detail = read_uppdrag(record, uppdrag_id, at)
    mine = at.is_now and detail.uppdrag.recipient in positions
    given = at.is_now and detail.uppdrag.giver in positions
    may_break_down = mine and detail.uppdrag.status in IN_HAND
    below: list[tuple[str, str]] = []
    if may_break_down:
        found = record.positions_below(detail.uppdrag.recipient, at.on, at.known_on)
        below = [(p.id, p.name) for p in found]
    return page(
        request,
        "uppdrag.html",
        status_of(refusal) if refusal else 200,
        title=detail.uppdrag.title,
        detail=detail,
        at=at,
        may_accept=mine and detail.uppdrag.status in TO_ACCEPT,
        may_report=mine and detail.uppdrag.status in TO_REPORT,
        may_review=given and detail.uppdrag.status in TO_REVIEW,
        # Which of the giver's and the recipient's changes the domain allows in this status (its own sets).
        may_revise=given and detail.uppdrag.status in OPEN,
        may_complete=given and detail.uppdrag.status in TO_COMPLETE,
        may_break_down=may_break_down,
        # Whom the recipient may break the uppdrag down to: a choice, checked again when sent.
        below=below,
        sent=sent,
        form_problems=FormProblems(refusal, sent),
        scale_names={level.kod: level.namn for level in detail.skala},
        refusal=refusal,
        form=form or {},
        today=today().isoformat(),
    )


async def page_form(request: Request) -> dict[str, str]:
    sent = await checked_form(request)
    return {key: value for key, value in sent.items() if isinstance(value, str) and key != "csrf"}


async def checked_form(request: Request) -> FormData:
    """The form as sent (its files too), once its CSRF token is the session's."""
    sent = await request.form()
    if not csrf_ok(request, str(sent.get("csrf", ""))):
        raise NotLoggedIn(
            "Formuläret hörde inte till din inloggning (det kan ha blivit för gammalt); ladda om sidan och "
            "försök igen.",
            rule="csrf",
        )
    return sent


def page_action(request: Request, form: dict[str, str]) -> ActionRequest:
    return ActionRequest(caller=page_caller(request), path=request.url.path, body=form)


def page_actions(request: Request) -> Actions:
    found: Actions = request.app.state.actions
    return found


async def _on_uppdrag(
    request: Request,
    uppdrag_id: str,
    act: Callable[[Actions, ActionRequest, UUID, dict[str, str]], object],
    done: str,
    *,
    defaults: dict[str, str] | None = None,
    sent: str = "",
) -> Response:
    """Record a form's command on the uppdrag: back to its page saying `done`, or the page again with
    the refusal summarised above the form."""
    wanted = parse_id(uppdrag_id, "uppdrag")
    form = {**(defaults or {}), **await page_form(request)}
    try:
        act(page_actions(request), page_action(request, form), wanted, form)
    except Refusal as refusal:
        return _uppdrag(request, wanted, refusal, form, sent)
    request.session[FLASH_KEY] = done
    return RedirectResponse(str(request.url_for("uppdrag_page", uppdrag_id=str(wanted))), status_code=303)


@router.post("/uppdrag/{uppdrag_id}/ta-emot", name="accept_form")
async def accept_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(request, uppdrag_id, Actions.accept_uppdrag, "Uppdraget togs emot.")


@router.post("/uppdrag/{uppdrag_id}/rapportera", name="report_form")
async def report_form(request: Request, uppdrag_id: str) -> Response:
    # No choice made is an empty answer, as an empty field is.
    return await _on_uppdrag(
        request,
        uppdrag_id,
        Actions.report_uppdrag,
        "Återrapporten registrerades och syns nu för uppdragsgivaren.",
        defaults={"assessment": ""},
    )


@router.post("/uppdrag/{uppdrag_id}/godkann-rapport", name="accept_report_form")
async def accept_report_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(request, uppdrag_id, Actions.accept_report, "Återrapporten godkändes.")


@router.post("/uppdrag/{uppdrag_id}/aterforvisa-rapport", name="return_report_form")
async def return_report_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(
        request, uppdrag_id, Actions.return_report, "Återrapporten återförvisades till mottagaren."
    )


@router.post("/uppdrag/{uppdrag_id}/bryt-ned", name="break_down_form")
async def break_down_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(
        request, uppdrag_id, Actions.break_down_uppdrag, "Deluppdraget gavs.", sent="deluppdrag"
    )


@router.post("/uppdrag/{uppdrag_id}/andra", name="revise_form")
async def revise_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(request, uppdrag_id, Actions.revise_uppdrag, "Uppdraget ändrades.", sent="andra")


@router.post("/uppdrag/{uppdrag_id}/slutfor", name="complete_form")
async def complete_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(
        request, uppdrag_id, Actions.complete_uppdrag, "Uppdraget slutfördes.", sent="slutfor"
    )


@router.post("/uppdrag/{uppdrag_id}/aterkalla", name="withdraw_form")
async def withdraw_form(request: Request, uppdrag_id: str) -> Response:
    return await _on_uppdrag(
        request, uppdrag_id, Actions.withdraw_uppdrag, "Uppdraget återkallades.", sent="aterkalla"
    )


@router.get("/avvikelser", name="board_page")
def board_page(request: Request) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), at.on)
    level = request.query_params.get("level", "").strip()
    everything = read_board(record, at, "", BOARD_PAGE, 0)
    levels = sorted({a.level for a in everything.avvikelser})
    found = read_board(record, at, level, BOARD_PAGE, 0) if level else everything
    return page(request, "board.html", title="Avvikelser", board=found, at=at, levels=levels, level=level)


@router.post("/avvikelser/{avvikelse_id}/kvittera", name="acknowledge_form")
async def acknowledge_form(request: Request, avvikelse_id: str) -> Response:
    wanted = parse_id(avvikelse_id, "avvikelse")
    form = await page_form(request)
    try:
        page_actions(request).acknowledge_avvikelse(page_action(request, form), wanted, form)
    except Refusal as refusal:
        return refusal_page(request, refusal)
    request.session[FLASH_KEY] = "Avvikelsen kvitterades."
    return RedirectResponse(str(request.url_for("inbox_page")), status_code=303)


@router.get("/api", name="api_page")
def api_page(request: Request) -> Response:
    """The API reference, rendered here from the OpenAPI document (no script from elsewhere)."""
    spec = request.app.openapi()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "doc": op.get("description", ""),
        }
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    ]
    return page(request, "api.html", title="API-referens", operations=operations)


def not_found_page(request: Request) -> Response:
    return refusal_page(request, NotFound("Sidan finns inte.", rule="okand_sida"))
