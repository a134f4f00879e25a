"""Every endpoint of the API × every kind of user: allowed or refused, and a refusal records nothing.

What a person may do follows from the positions they hold that day and the
application's own rules; a system client reads with its scope and never acts;
the revisor reads everything and acts in nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web.web_world import (
    CHEF,
    MEDARBETARE,
    SYSTEM_CLIENT,
    WebWorld,
    access_token,
    event_count,
    person,
    report_as,
)

from lerum_flow.web.config import OidcSettings

USERS: dict[str, str | None] = {
    "anonym": None,
    "medarbetare": person(MEDARBETARE),
    "chef": person(CHEF),
    "sektorschef": person("larande"),
    "kommundirektör": person("kommundirektor"),
    "KS-ledamot": person("ks"),
    "KF:s ordförande": person("kf-ordforande"),
    "revisor": person("revisorer"),
    "systemklient": SYSTEM_CLIENT,
}
EVERYONE_BUT_ANONYMOUS = frozenset(USERS) - {"anonym"}
PERSONS = EVERYONE_BUT_ANONYMOUS - {"systemklient"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[WebWorld], str]
    allowed: frozenset[str]
    body: Callable[[WebWorld], dict[str, Any] | None] = lambda _: None
    # What must have happened first for the allowed user to succeed (recorded outside the web door).
    prepare: Callable[[WebWorld], None] = lambda _: None

    @property
    def writes(self) -> bool:
        return self.method == "POST"


def _kd_uppdrag(world: WebWorld) -> str:
    return str(world.uppdrag_to_larande)


ENDPOINTS: dict[str, Endpoint] = {
    "GET att-gora": Endpoint("GET", lambda w: "/api/v1/att-gora", PERSONS),
    "GET uppdrag": Endpoint("GET", lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_chef}", EVERYONE_BUT_ANONYMOUS),
    "GET avvikelser": Endpoint("GET", lambda w: "/api/v1/avvikelser", EVERYONE_BUT_ANONYMOUS),
    "POST uppdrag": Endpoint(
        "POST",
        lambda w: "/api/v1/uppdrag",
        frozenset({"sektorschef"}),
        lambda w: {"to": CHEF, "title": "Matrisens uppdrag", "part-of": _kd_uppdrag(w)},
    ),
    "POST mottagande": Endpoint(
        "POST", lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_chef}/mottagande", frozenset({"chef"})
    ),
    "POST rapport": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/rapport",
        frozenset({"sektorschef"}),
        lambda w: {"assessment": "uppfyllt", "text": "Klart."},
    ),
    "POST godkännande": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/rapport/godkannande",
        frozenset({"kommundirektör"}),
        lambda w: {"comment": "Bra."},
        prepare=lambda w: report_as(w, "larande", w.uppdrag_to_larande),
    ),
    "POST återförvisning": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/rapport/aterforvisning",
        frozenset({"kommundirektör"}),
        lambda w: {"reason": "Siffror saknas."},
        prepare=lambda w: report_as(w, "larande", w.uppdrag_to_larande),
    ),
    "POST kvittens": Endpoint(
        "POST", lambda w: f"/api/v1/avvikelser/{w.avvikelse}/kvittens", frozenset({"kommundirektör"})
    ),
}


@cache
def _token(issuer: str, subject: str) -> str:
    return access_token(OidcSettings(issuer, "testklient", "hemlighet"), subject)


def _headers(oidc: OidcSettings, user: str) -> dict[str, str]:
    subject = USERS[user]
    return {} if subject is None else {"Authorization": f"Bearer {_token(oidc.issuer, subject)}"}


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_each_kind_of_user_is_allowed_or_refused_and_a_refusal_records_nothing(
    name: str, client: TestClient, world: WebWorld, oidc: OidcSettings
) -> None:
    """Refused users first (each leaving the store as it was), then the allowed ones."""
    endpoint = ENDPOINTS[name]
    endpoint.prepare(world)
    order = sorted(USERS, key=lambda user: user in endpoint.allowed)
    answers: dict[str, int] = {}
    for user in order:
        before = event_count(world)
        answer = client.request(
            endpoint.method, endpoint.path(world), headers=_headers(oidc, user), json=endpoint.body(world)
        )
        answers[user] = answer.status_code
        if user not in endpoint.allowed:
            assert answer.headers["content-type"] == "application/problem+json", (user, answer.text)
            assert event_count(world) == before, (user, answer.text)
        elif endpoint.writes:
            assert event_count(world) > before, (user, answer.text)

    expected = {user: ("tillåtet" if user in endpoint.allowed else "nekat") for user in USERS}
    got = {user: ("tillåtet" if status < 400 else "nekat") for user, status in answers.items()}
    assert got == expected, answers
    assert answers["anonym"] == 401
    if endpoint.writes:
        assert answers["revisor"] == 403
        assert answers["systemklient"] == 403
