"""The web application: API routers, pages, login, refusals as problem details, security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from lerum_flow.domain.errors import NotFound, Refusal
from lerum_flow.web import (
    api_arshjul,
    api_audit,
    api_avvikelse,
    api_inbox,
    api_registers,
    api_uppdrag,
    oidc,
    pages,
    pages_arshjul,
    pages_audit,
    pages_registers,
    pages_tree,
)
from lerum_flow.web.actions import Actions
from lerum_flow.web.actions_registers import RegisterActions
from lerum_flow.web.config import WebConfig
from lerum_flow.web.oidc import Provider
from lerum_flow.web.problems import WrongMethod, problem_response, request_refusal
from lerum_flow.web.rate_limit import AttemptLimit
from lerum_flow.web.record import WebRecord
from lerum_flow.web.security import security_headers

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "lerum_flow_session"
SESSION_SECONDS = 8 * 3600


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _body_model(request: Request) -> type[BaseModel] | None:
    """The model of the route's JSON body, if it has one: its keys and types name what was expected."""
    body = getattr(request.scope.get("route"), "body_field", None)
    annotation = getattr(getattr(body, "field_info", None), "annotation", None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def create_app(config: WebConfig) -> FastAPI:
    """The application over the store `config.settings` names; its store is closed on shutdown."""
    styrmodell = None
    if config.styrmodell_path is not None:
        from lerum_flow.styrmodell import load_styrmodell

        styrmodell = load_styrmodell(config.styrmodell_path)
    record = WebRecord(config.settings, styrmodell)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        record.close()

    app = FastAPI(
        title="lerum_flow",
        summary="Kommunens styrning: uppdrag, avvikelser och vad som väntar på var och en.",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.record = record
    app.state.actions = Actions(record)
    app.state.register_actions = RegisterActions(app.state.actions)
    app.state.provider = Provider(config.oidc, dict(config.system_clients))
    app.state.login_limit = AttemptLimit(config.login_attempts_per_minute)
    app.state.temporal = config.temporal

    app.middleware("http")(security_headers)
    # Secure: the cookie is only sent over HTTPS (browsers count http://localhost as secure);
    # HttpOnly always (Starlette); Lax, not Strict: the provider's redirect back must carry it.
    app.add_middleware(
        SessionMiddleware,
        secret_key=config.session_secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=True,
    )

    @app.exception_handler(Refusal)
    async def refused(request: Request, refusal: Refusal) -> Response:
        if _is_api(request):
            return problem_response(refusal, request)
        return pages.refusal_page(request, refusal)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> Response:
        refusal = request_refusal(list(error.errors()), _body_model(request))
        if _is_api(request):
            return problem_response(refusal, request)
        return pages.refusal_page(request, refusal)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            refusal: Refusal = NotFound("Adressen finns inte.", rule="okand_adress")
        elif error.status_code == 405:
            refusal = WrongMethod(f"Adressen tar inte emot {request.method}.", rule="fel_metod")
        else:
            refusal = Refusal(str(error.detail), rule="http")
        if _is_api(request):
            # Starlette's 405 names the methods the address takes (Allow), as HTTP asks.
            return problem_response(refusal, request, dict(error.headers or {}))
        return pages.refusal_page(request, refusal)

    app.include_router(api_uppdrag.router)
    app.include_router(api_avvikelse.router)
    app.include_router(api_inbox.router)
    app.include_router(api_registers.router)
    app.include_router(api_audit.router)
    app.include_router(api_arshjul.router)
    app.include_router(oidc.router)
    app.include_router(pages.router)
    app.include_router(pages_tree.router)
    app.include_router(pages_registers.router)
    app.include_router(pages_arshjul.router)
    app.include_router(pages_audit.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
