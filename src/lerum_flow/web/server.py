"""Serving the web door: uvicorn over the application, and in development a real local OpenID
Connect provider (the PyPI package oidc-provider-mock) in a thread beside it.

The local provider is a real provider that lets anyone log in as any subject:
development and tests only. In production the municipality's provider is named
by LERUM_FLOW_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.web.config import READ_SCOPE, OidcSettings

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
