"""`lerum-flow serve`: the HTTP API and the web application on uvicorn."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer
from rich.markup import escape

from lerum_flow.cli.context import refusals, session
from lerum_flow.cli.output import console

HELP = (
    "Kör webbapplikationen och HTTP-API:t med inloggning. OpenAPI finns på /api/openapi.json; "
    "inloggning via kommunens "
    "OpenID Connect-tjänst (LERUM_FLOW_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET); med --dev startas en "
    "lokal inloggningstjänst där man loggar in med sitt person-id. Avsluta med Ctrl-C."
)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Adressen att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Porten att lyssna på.")] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="Starta en lokal inloggningstjänst (bara för utveckling och test).")
    ] = False,
) -> None:
    import uvicorn

    from lerum_flow.web.app import create_app
    from lerum_flow.web.config import WebConfig
    from lerum_flow.web.server import (
        Address,
        local_provider,
        provider_from_environ,
        session_secret,
        system_clients_from_environ,
    )

    cli = session(ctx)
    address = Address(host, port)
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
                )
            )
        out = console()
        out.print(f"Webbapplikationen: {escape(address.url)}  (API: {escape(address.url)}/api/openapi.json)")
        out.print(f"Inloggning: {escape(oidc.issuer)}" + (" (lokal, för utveckling)" if dev else ""))
        uvicorn.run(app, host=host, port=port, log_level="warning")
