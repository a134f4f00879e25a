"""`lerum-flow serve`: the HTTP API and the web application on uvicorn (also started by `up`)."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console
from lerum_flow.cli.session import CliSession

if TYPE_CHECKING:
    from fastapi import FastAPI

    from lerum_flow.temporal_settings import TemporalSettings
    from lerum_flow.web.config import OidcSettings

HELP = (
    "Kör webbapplikationen och HTTP-API:t med inloggning. OpenAPI finns på /api/openapi.json; "
    "inloggning via kommunens OpenID Connect-tjänst (LERUM_FLOW_OIDC_ISSUER, _CLIENT_ID, "
    "_CLIENT_SECRET); med --dev startas en lokal inloggningstjänst där man loggar in med sitt "
    "person-id. Avsluta med Ctrl-C."
)
ISSUER_ENV = "LERUM_FLOW_OIDC_ISSUER"


@contextlib.contextmanager
def web_application(
    ctx: typer.Context, *, dev: bool, temporal: TemporalSettings | None = None
) -> Iterator[tuple[FastAPI, OidcSettings]]:
    """The web application on the session's store, with the municipality's identity provider or,
    with `dev`, a local one running for as long as the block."""
    # Authlib warns of its own modules' future (and on import puts an "always" filter first, so
    # ours is added after that import): nothing a user of `serve` can act on.
    from authlib.deprecate import AuthlibDeprecationWarning

    from lerum_flow.web.app import create_app
    from lerum_flow.web.config import WebConfig
    from lerum_flow.web.server import (
        local_provider,
        provider_from_environ,
        session_secret,
        system_clients_from_environ,
    )

    warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)
    cli = session(ctx)
    with contextlib.ExitStack() as stack:
        with refusals(ctx):
            oidc = stack.enter_context(local_provider()) if dev else provider_from_environ()
            cli.governance()  # the store opened (and created) here, refused in words if unusable
            app = create_app(
                WebConfig(
                    settings=cli.settings,
                    oidc=oidc,
                    session_secret=session_secret(),
                    styrmodell_path=cli.settings.styrmodell_path,
                    system_clients=system_clients_from_environ(),
                    temporal=temporal,
                )
            )
        yield app, oidc


def wants_local_provider() -> bool:
    """`up` runs a local identity provider unless the municipality's is named."""
    return not os.environ.get(ISSUER_ENV, "").strip()


def announce(cli: CliSession, url: str, oidc: OidcSettings, *, dev: bool) -> None:
    if cli.output.as_json:
        cli.output.json({"webb": url, "api": f"{url}/api/openapi.json", "inloggning": oidc.issuer})
        return
    out = console()
    out.print(f"Webbapplikationen: {escape(url)}  (API: {escape(url)}/api/openapi.json)")
    local = " (lokal, för utveckling: logga in med ett person-id)" if dev else ""
    out.print(f"Inloggning: {escape(oidc.issuer)}{local}")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Adressen att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Porten att lyssna på.")] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="Starta en lokal inloggningstjänst (bara för utveckling och test).")
    ] = False,
) -> None:
    import uvicorn

    from lerum_flow.web.server import Address

    cli = session(ctx)
    # The årshjul page asks Temporal where each cycle stands when told where it runs.
    temporal = None
    if os.environ.get("LERUM_FLOW_TEMPORAL_ADDRESS", "").strip():
        with refusals(ctx):
            temporal = cli.temporal_settings()
    with web_application(ctx, dev=dev, temporal=temporal) as (app, oidc):
        announce(cli, Address(host, port).url, oidc, dev=dev)
        uvicorn.run(app, host=host, port=port, log_level="warning")
