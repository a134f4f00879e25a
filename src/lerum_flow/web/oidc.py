"""Login through the municipality's OpenID Connect provider (Authlib as relying party), and the
check of a bearer token an API client sends.

A browser logs in with the authorization code flow; the session then holds only
the token's subject. An API client sends the access token it got from the same
provider; the provider's userinfo endpoint says whose it is, so a token the
provider no longer vouches for is refused.
"""

from __future__ import annotations

import secrets
import time
import warnings
from typing import Any

import httpx

with warnings.catch_warnings():
    # Authlib warns, on import, of its own httpx module's future: nothing this module can change.
    # Its warning module, on import, puts an "always" filter first, so ours goes in after it.
    import authlib.deprecate

    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from lerum_flow.web.config import OidcSettings
from lerum_flow.web.identity import Caller
from lerum_flow.web.problems import NotLoggedIn, TooManyAttempts
from lerum_flow.web.rate_limit import AttemptLimit

SUBJECT_KEY = "subject"
TOKEN_SECONDS = 60.0
TOKENS_KEPT = 10_000
CSRF_KEY = "csrf"


class Provider:
    """The identity provider: its metadata read once, the browser client, the token check."""

    def __init__(self, settings: OidcSettings, system_clients: dict[str, frozenset[str]]) -> None:
        self.settings = settings
        self.system_clients = system_clients
        self.oauth = OAuth()
        self.oauth.register(
            "kommun",
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=settings.metadata_url,
            client_kwargs={"scope": "openid"},
        )
        self._metadata: dict[str, Any] | None = None
        # token -> (whose, until when): the provider is asked once a minute per token, not per request.
        self._vouched: dict[str, tuple[Caller, float]] = {}

    @property
    def client(self) -> Any:
        return self.oauth.create_client("kommun")

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            found = httpx.get(self.settings.metadata_url, timeout=10)
            found.raise_for_status()
            self._metadata = found.json()
        return self._metadata

    def caller_of_token(self, token: str) -> Caller:
        """Whose the access token is, as the provider said within the last minute; a token it no
        longer vouches for (revoked, expired) is refused at most TOKEN_SECONDS later."""
        now = time.monotonic()
        known = self._vouched.get(token)
        if known is not None and known[1] > now:
            return known[0]
        caller = self._ask(token)
        if len(self._vouched) >= TOKENS_KEPT:
            self._vouched.clear()
        self._vouched[token] = (caller, now + TOKEN_SECONDS)
        return caller

    def _ask(self, token: str) -> Caller:
        answer = httpx.get(
            self.metadata()["userinfo_endpoint"], headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        if answer.status_code != 200:
            raise NotLoggedIn(
                "Token godtas inte av identitetsleverantören; hämta en ny.",
                field="token",
                rule="ogiltig_token",
            )
        subject = str(answer.json().get("sub", ""))
        if not subject:
            raise NotLoggedIn("Token säger inte vem den gäller.", field="token", rule="ogiltig_token")
        scopes = self.system_clients.get(subject)
        if scopes is not None:
            return Caller(subject=subject, scopes=scopes, client=True)
        return Caller(subject=subject)


CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def caller_of(request: Request) -> Caller:
    """The caller of an API request: a bearer token, else a browser session, else nobody.

    A command sent with the session cookie alone must carry the session's CSRF
    token in a header: a cookie is sent by the browser whoever made the page.
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        provider: Provider = request.app.state.provider
        return provider.caller_of_token(header[7:].strip())
    subject = request.session.get(SUBJECT_KEY)
    if not subject:
        return Caller()
    if request.method not in SAFE_METHODS and not csrf_ok(request, request.headers.get(CSRF_HEADER, "")):
        raise NotLoggedIn(
            f"Ett kommando med inloggningens kaka behöver sidans {CSRF_HEADER}; "
            "ladda om sidan och försök igen.",
            field=CSRF_HEADER,
            rule="csrf",
        )
    return Caller(subject=subject)


def csrf_token(request: Request) -> str:
    """The session's form token, made on first use."""
    token = request.session.get(CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return str(token)


def csrf_ok(request: Request, sent: str) -> bool:
    expected = request.session.get(CSRF_KEY)
    return bool(expected) and secrets.compare_digest(str(expected), sent)


router = APIRouter(include_in_schema=False)


@router.get("/logga-in", name="login")
async def login(request: Request) -> Response:
    limit: AttemptLimit = request.app.state.login_limit
    address = request.client.host if request.client else "okänd"
    if not limit.allow(address):
        raise TooManyAttempts(
            "För många inloggningsförsök från din adress; vänta en minut och försök igen.",
            rule="for_manga_inloggningar",
        )
    provider: Provider = request.app.state.provider
    redirect: Response = await provider.client.authorize_redirect(request, str(request.url_for("login_done")))
    return redirect


@router.get("/inloggning/klar", name="login_done")
async def login_done(request: Request) -> Response:
    provider: Provider = request.app.state.provider
    try:
        token = await provider.client.authorize_access_token(request)
    except OAuthError:
        raise NotLoggedIn(
            "Inloggningen kunde inte slutföras; försök igen.", rule="inloggning_misslyckades"
        ) from None
    subject = str((token.get("userinfo") or {}).get("sub", ""))
    if not subject:
        raise NotLoggedIn("Identitetsleverantören sa inte vem du är.", rule="inloggning_misslyckades")
    request.session.clear()
    request.session[SUBJECT_KEY] = subject
    csrf_token(request)
    return RedirectResponse(str(request.url_for("inbox_page")), status_code=303)


@router.post("/logga-ut", name="logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    if csrf_ok(request, str(form.get("csrf", ""))):
        request.session.clear()
    return RedirectResponse(str(request.url_for("start_page")), status_code=303)
