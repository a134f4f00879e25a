"""Serving the web door: uvicorn over the application, and in development a real local OpenID
Connect provider (the PyPI package oidc-provider-mock) in a thread beside it.

The local provider is a real provider that lets anyone log in as any subject:
development and tests only. In production the municipality's provider is named
by LERUM_FLOW_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.web.config import READ_SCOPE, OidcSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

DEV_CLIENT_ID = "lerum-flow-dev"


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def url(self) -> str:
        # Browsers treat http://localhost as a secure context, so Secure cookies work there.
        host = "localhost" if self.host in ("127.0.0.1", "localhost", "0.0.0.0") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"


@contextmanager
def local_provider() -> Iterator[OidcSettings]:
    """A real OpenID Connect provider on a free local port, for development and tests."""
    from oidc_provider_mock import run_server_in_thread

    # Its server logs every request at INFO; the terminal of `serve --dev` is for the user.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with run_server_in_thread(port=0) as server:
        yield OidcSettings(
            issuer=f"http://localhost:{server.server_port}",
            client_id=DEV_CLIENT_ID,
            client_secret=secrets.token_urlsafe(16),
        )


def provider_from_environ(environ: Mapping[str, str] | None = None) -> OidcSettings:
    env = os.environ if environ is None else environ
    issuer = env.get("LERUM_FLOW_OIDC_ISSUER", "").strip()
    if not issuer:
        raise InvalidInput(
            "Ange kommunens inloggningstjänst med LERUM_FLOW_OIDC_ISSUER (och _CLIENT_ID, _CLIENT_SECRET), "
            "eller kör 'lerum-flow serve --dev' med en lokal inloggningstjänst.",
            field="LERUM_FLOW_OIDC_ISSUER",
            rule="inloggningstjanst_saknas",
        )
    return OidcSettings(
        issuer=issuer,
        client_id=env.get("LERUM_FLOW_OIDC_CLIENT_ID", ""),
        client_secret=env.get("LERUM_FLOW_OIDC_CLIENT_SECRET", ""),
    )


def system_clients_from_environ(environ: Mapping[str, str] | None = None) -> dict[str, frozenset[str]]:
    """LERUM_FLOW_SYSTEM_CLIENTS="diarium:las,ekonomi:las": each client's token subject and scopes."""
    env = os.environ if environ is None else environ
    clients: dict[str, frozenset[str]] = {}
    for item in env.get("LERUM_FLOW_SYSTEM_CLIENTS", "").split(","):
        subject, _, scopes = item.strip().partition(":")
        if subject:
            clients[subject] = frozenset(s for s in scopes.split("+") if s) or frozenset({READ_SCOPE})
    return clients


def session_secret(environ: Mapping[str, str] | None = None) -> str:
    """The key sessions are signed with; a new one per process unless given (sessions then end with it)."""
    env = os.environ if environ is None else environ
    return env.get("LERUM_FLOW_SESSION_SECRET", "") or secrets.token_urlsafe(32)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve_in_thread(app: FastAPI, address: Address) -> Iterator[str]:
    """The app on uvicorn in a thread beside other work (the worker of `up`, a browser test); its URL.

    In a thread that is not the main one uvicorn leaves the signal handlers alone,
    so Ctrl-C stays with the caller, which stops the server on its way out.
    """
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=address.host, port=address.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="lerum-flow-web", daemon=True)
    thread.start()
    started = threading.Event()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"Webbservern startade inte på {address.url}.")
        started.wait(0.05)
    try:
        yield address.url
    finally:
        server.should_exit = True
        thread.join()
