"""`/api/v1/revision`: a record's history, the seal verified, the evidence file downloaded. Reads only:
the revisorer's questions, answered as the command line's `audit` answers them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.web import models_registers as r
from lerum_flow.web.api_common import REFUSALS, CallerDep, MomentDep, read_response, record_of
from lerum_flow.web.identity import check_may_read
from lerum_flow.web.reads import Moment, history_out, today
from lerum_flow.web.reads_audit import FORMATS, evidence_file, history_of, verify_seal
from lerum_flow.web.record import WebRecord
from lerum_flow.web.seal_check import MAX_FILE_BYTES, SealCheck, SentFile, check_seal

router = APIRouter(prefix="/api/v1/revision", tags=["revision"], responses=REFUSALS)


def download(record: WebRecord, at: Moment, file_format: str) -> Response:
    """The evidence file as an attachment, as the page and the API hand it over."""
    if file_format not in FORMATS:
        raise InvalidInput(
            f"Formatet '{file_format}' finns inte; välj csv eller jsonl.",
            field="format",
            rule="ogiltigt_varde",
        )
    name, content, written = evidence_file(record, at, file_format)
    return Response(
        content,
        media_type=FORMATS[file_format],
        headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Antal-Handelser": str(written)},
    )


@router.get("/historik/{record_id}", response_model=r.RecordHistory, summary="En posts historik")
def history(request: Request, record_id: str, caller: CallerDep) -> Response:
    """Varje händelse i en post (beslut, uppdrag, delegering, avvikelse ...) i ordning: vem, när
    registrerad och från när den gäller. Id:t eller dess början."""
    record = record_of(request)
    check_may_read(record, caller, today())

    def build() -> r.RecordHistory:
        entries = history_of(record, record_id)
        return r.RecordHistory(id=entries[0].id, historik=[history_out(h) for h in entries])

    return read_response(request, build)


@router.get("/forsegling", summary="Pröva förseglingen")
def seal(request: Request, caller: CallerDep) -> JSONResponse:
    """Bevisa att den förseglade historiken inte har ändrats, mot kontrollpunkterna i databasen (som
    'audit verify' utan revisorernas fil); varje ändrad händelse namnges."""
    record = record_of(request)
    check_may_read(record, caller, today())
    return JSONResponse(verify_seal(record).as_dict())


@router.post("/forsegling/kontrollpunkter", response_model=SealCheck, summary="Pröva mot revisorernas fil")
async def seal_against_file(
    request: Request,
    caller: CallerDep,
    kontrollpunkter: Annotated[
        UploadFile, File(description="Revisorernas kontrollpunktsfil (från 'audit checkpoint export').")
    ],
    publik_nyckel: Annotated[
        UploadFile | None,
        File(description="Revisorernas publika nyckel (från 'audit keygen'); utan den: filens nyckel."),
    ] = None,
) -> JSONResponse:
    """Bevisa att registret stämmer med varje kontrollpunkt i revisorernas egen fil och med deras
    publika nyckel, som 'audit verify --checkpoints FIL' gör; varje ändrad händelse namnges. Här
    registreras ingenting. En fil som inte är en kontrollpunktsfil nekas."""
    record = record_of(request)
    check_may_read(record, caller, today())
    checkpoints = await sent_file(kontrollpunkter)
    key = await sent_file(publik_nyckel) if publik_nyckel is not None else None
    return JSONResponse(check_seal(record, checkpoints, key).model_dump(mode="json"))


async def sent_file(upload: StarletteUpload) -> SentFile:
    """The upload's name and bytes, at most one byte past the limit (which `check_seal` refuses)."""
    return SentFile(upload.filename or "", await upload.read(MAX_FILE_BYTES + 1))


@router.get(
    "/underlag",
    summary="Hämta revisionsunderlag",
    response_class=Response,
    responses={
        200: {
            "description": "Filen, som bilaga: CSV (format=csv) eller en händelse per rad (format=jsonl).",
            "content": {media: {"schema": {"type": "string"}} for media in FORMATS.values()},
        }
    },
)
def evidence(
    request: Request,
    caller: CallerDep,
    at: MomentDep,
    file_format: Annotated[str, Query(alias="format", description="csv eller jsonl.", max_length=10)] = "csv",
) -> Response:
    """Varje händelse som gällde dagen (as_of), som den var känd dagen (known_on), som 'audit export'
    skriver den; sekretessbelagda uppgifter dolda."""
    record = record_of(request)
    # By one's standing today: the revisorer of today audit any day of the past.
    check_may_read(record, caller, today())
    return download(record, at, file_format)
