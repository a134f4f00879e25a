"""The auditor's pages: the record as it stood on a day as known on a day, a record's history, an
uppdrag traced to its political decision, the seal verified, the evidence file downloaded. Reads only;
a revisor (and anyone holding a position) may use them, and nothing here records anything."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from lerum_flow.domain.errors import InvalidInput, Refusal
from lerum_flow.projections.asof_pages import AS_OF_PAGE, RecordKind
from lerum_flow.web.actions import parse_id
from lerum_flow.web.api_audit import download, sent_file
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.page_params import offset_param
from lerum_flow.web.pages import checked_form, page, page_caller, page_moment, page_record
from lerum_flow.web.problems import status_of
from lerum_flow.web.reads import history_out, today
from lerum_flow.web.reads_audit import history_of, register_at, trace_of, verify_seal
from lerum_flow.web.seal_check import check_seal

router = APIRouter(include_in_schema=False)
SEAL_PAGE = "revision_forsegling.html"


@router.get("/revision", name="audit_page")
def audit_page(request: Request) -> Response:
    record = page_record(request)
    at = page_moment(request)
    # Read by one's standing today: the revisorer of today audit any day of the past.
    check_may_read(record, page_caller(request), today())
    kind = _kind(request.query_params.get("slag", ""))
    found = register_at(record, at, kind, offset_param(request.query_params.get("fran", "")), AS_OF_PAGE)
    return page(
        request,
        "revision.html",
        title="Revision",
        found=found,
        kind=kind.value,
        kinds=KIND_NAMES,
        size=AS_OF_PAGE,
        at=at,
    )


# Each register's name on the page, in the order the page offers them.
KIND_NAMES = {
    RecordKind.UPPDRAG.value: "Pågående uppdrag",
    RecordKind.BESLUT.value: "Beslut",
    RecordKind.DELEGERINGAR.value: "Delegeringar i kraft",
    RecordKind.AVVIKELSER.value: "Öppna avvikelser",
    RecordKind.STYRDOKUMENT.value: "Styrdokument i kraft",
}


def _kind(text: str) -> RecordKind:
    text = text.strip() or RecordKind.UPPDRAG.value
    try:
        return RecordKind(text)
    except ValueError:
        raise InvalidInput(
            f"Registret '{text[:40]}' finns inte; välj bland: {', '.join(KIND_NAMES)}.",
            field="slag",
            rule="ogiltigt_varde",
        ) from None


@router.get("/revision/historik", name="audit_history_page")
def audit_history_page(request: Request) -> Response:
    record = page_record(request)
    check_may_read(record, page_caller(request), today())
    wanted = request.query_params.get("id", "").strip()
    entries = [history_out(h) for h in history_of(record, wanted)] if wanted else []
    return page(request, "revision_historik.html", title="En posts historik", wanted=wanted, entries=entries)


@router.get("/revision/spar/{uppdrag_id}", name="trace_page")
def trace_page(request: Request, uppdrag_id: str) -> Response:
    record = page_record(request)
    check_may_read(record, page_caller(request), today())
    found = trace_of(record, parse_id(uppdrag_id, "uppdrag"))
    return page(request, "revision_spar.html", title="Spåra till beslutet", trace=found, on=today())


@router.get("/revision/forsegling", name="seal_page")
def seal_page(request: Request) -> Response:
    record = page_record(request)
    check_may_read(record, page_caller(request), today())
    return page(request, SEAL_PAGE, title="Förseglingen", report=verify_seal(record))


@router.post("/revision/forsegling", name="seal_file_form")
async def seal_file_form(request: Request) -> Response:
    """The auditors' own file (and key) sent by the form: the verdict on the same page, nothing recorded."""
    record = page_record(request)
    sent = await checked_form(request)
    check_may_read(record, page_caller(request), today())
    checkpoints, key = sent.get("kontrollpunkter"), sent.get("publik_nyckel")
    try:
        if not isinstance(checkpoints, UploadFile) or not checkpoints.filename:
            raise InvalidInput(
                "Välj revisorernas kontrollpunktsfil, den som 'lerum-flow audit checkpoint export' skrev.",
                field="checkpoints",
                rule="saknas",
            )
        key_file = await sent_file(key) if isinstance(key, UploadFile) and key.filename else None
        checked = check_seal(record, await sent_file(checkpoints), key_file)
    except Refusal as refusal:
        # On the same page, summarised above the form with a link to the file's field (GOV.UK).
        return page(request, SEAL_PAGE, status_of(refusal), title="Förseglingen", refusal=refusal)
    # The database's own checkpoints are not checked again here: one verification per request.
    return page(request, SEAL_PAGE, title="Förseglingen", checked=checked)


@router.get("/revision/underlag", name="evidence_download")
def evidence_download(request: Request) -> Response:
    record = page_record(request)
    at = page_moment(request)
    check_may_read(record, page_caller(request), today())
    return download(record, at, request.query_params.get("format", "csv"))
