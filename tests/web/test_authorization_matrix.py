"""Every endpoint of the API × every kind of user: allowed or refused, and a refusal records nothing.

What a person may do follows from the positions they hold that day and the
application's own rules; a system client reads with its scope and never acts;
the revisor reads everything and acts in nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from web.web_world import (
    CHEF,
    DAY,
    MEDARBETARE,
    SYSTEM_CLIENT,
    WebWorld,
    access_token,
    acknowledge_as,
    event_count,
    logged_in,
    person,
    report_accepted,
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
    "POST deluppdrag": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/deluppdrag",
        frozenset({"sektorschef"}),
        lambda w: {"to": CHEF, "title": "Matrisens deluppdrag"},
    ),
    "POST ändring": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/andring",
        frozenset({"kommundirektör"}),
        lambda w: {"title": "Budget för lärande, reviderad", "reason": "Ny ram."},
    ),
    "POST slutförande": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/slutforande",
        frozenset({"kommundirektör"}),
        lambda w: {"comment": "Klart."},
        prepare=lambda w: report_accepted(w, w.uppdrag_to_larande, "kommundirektor", "larande"),
    ),
    "POST återkallelse": Endpoint(
        "POST",
        lambda w: f"/api/v1/uppdrag/{w.uppdrag_to_larande}/aterkallelse",
        frozenset({"kommundirektör"}),
        lambda w: {"reason": "Ersätts av ett nytt uppdrag."},
    ),
    "POST kvittens": Endpoint(
        "POST", lambda w: f"/api/v1/avvikelser/{w.avvikelse}/kvittens", frozenset({"kommundirektör"})
    ),
    "POST eskalering": Endpoint(
        "POST",
        lambda w: f"/api/v1/avvikelser/{w.avvikelse}/eskalering",
        frozenset({"kommundirektör"}),
        lambda w: {"reason": "Behöver KS."},
    ),
    "POST åtgärd": Endpoint(
        "POST",
        lambda w: f"/api/v1/avvikelser/{w.avvikelse}/atgard",
        frozenset({"kommundirektör"}),
        lambda w: {"action": "Omfördela inom ramen."},
        prepare=lambda w: acknowledge_as(w, "kommundirektor", w.avvikelse),
    ),
    "POST stängning": Endpoint(
        "POST",
        lambda w: f"/api/v1/avvikelser/{w.avvikelse}/stangning",
        frozenset({"kommundirektör"}),
        lambda w: {"description": "Åtgärdad."},
        prepare=lambda w: acknowledge_as(w, "kommundirektor", w.avvikelse),
    ),
    "GET beslut": Endpoint("GET", lambda w: "/api/v1/beslut?q=budget", EVERYONE_BUT_ANONYMOUS),
    "GET delegeringar": Endpoint("GET", lambda w: "/api/v1/delegeringar", EVERYONE_BUT_ANONYMOUS),
    "GET beslutanderätt": Endpoint(
        "GET", lambda w: "/api/v1/beslutanderatt/kommundirektor", EVERYONE_BUT_ANONYMOUS
    ),
    "GET historik": Endpoint(
        "GET", lambda w: f"/api/v1/revision/historik/{w.uppdrag_to_chef}", EVERYONE_BUT_ANONYMOUS
    ),
    "GET förseglingen": Endpoint("GET", lambda w: "/api/v1/revision/forsegling", EVERYONE_BUT_ANONYMOUS),
    "GET årshjulet": Endpoint("GET", lambda w: "/api/v1/arshjul", EVERYONE_BUT_ANONYMOUS),
    "GET budgetår": Endpoint("GET", lambda w: f"/api/v1/arshjul/{DAY.year + 1}", EVERYONE_BUT_ANONYMOUS),
    "GET underlag": Endpoint(
        "GET", lambda w: f"/api/v1/revision/underlag?as_of={DAY.isoformat()}", EVERYONE_BUT_ANONYMOUS
    ),
    "POST beslut": Endpoint(
        "POST",
        lambda w: "/api/v1/beslut",
        frozenset({"KS-ledamot"}),
        lambda w: {
            "organ": "ks",
            "kind": "delegationsordning",
            "diarienummer": "KS 2026/300",
            "paragraf": "§ 9",
            "title": "Matrisens beslut",
        },
    ),
    "POST delegering": Endpoint(
        "POST",
        lambda w: "/api/v1/delegeringar",
        frozenset({"KS-ledamot"}),
        lambda w: {"to": "kommundirektor", "matter": "personal", "beslut": str(w.ordning)},
    ),
    "POST återkallelse av delegering": Endpoint(
        "POST",
        lambda w: f"/api/v1/delegeringar/{w.delegering}/aterkallelse",
        frozenset({"KS-ledamot"}),
        lambda w: {"reason": "Ny delegationsordning."},
    ),
    # Everyone in a position may report a deviation upward, but the revisor, who only reads.
    "POST avvikelse": Endpoint(
        "POST",
        lambda w: "/api/v1/avvikelser",
        PERSONS - {"revisor"},
        lambda w: {
            "about": "budgetomrade",
            "ref": "forskola",
            "severity": "avvikelse",
            "category": "ekonomi",
            "description": "Matrisens avvikelse.",
        },
    ),
}


def test_every_operation_of_the_openapi_document_is_in_the_matrix(
    client: TestClient, world: WebWorld
) -> None:
    """An endpoint added to the API without a row in the matrix fails here, so none is left untested."""
    spec = client.get("/api/openapi.json").json()
    operations = {(method.upper(), path) for path, methods in spec["paths"].items() for method in methods}
    in_matrix = {(e.method, urlsplit(e.path(world)).path) for e in ENDPOINTS.values()}

    def covered(method: str, template: str) -> bool:
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        return any(m == method and pattern.match(path) for m, path in in_matrix)

    missing = sorted(f"{method} {path}" for method, path in operations if not covered(method, path))
    assert not missing, missing


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


# The pages, logged in through the provider as a browser is; forms carry the session's CSRF token.
PAGES: dict[str, Endpoint] = {
    "sida att-gora": Endpoint("GET", lambda w: "/att-gora", PERSONS),
    "sida uppdrag": Endpoint("GET", lambda w: f"/uppdrag/{w.uppdrag_to_chef}", PERSONS),
    "sida avvikelser": Endpoint("GET", lambda w: "/avvikelser", PERSONS),
    "sida uppdragsträdet": Endpoint("GET", lambda w: "/uppdragstrad", PERSONS),
    "sida årshjulet": Endpoint("GET", lambda w: "/arshjul", PERSONS),
    "sida revision": Endpoint("GET", lambda w: f"/revision?as_of={DAY.isoformat()}", PERSONS),
    "sida historik": Endpoint("GET", lambda w: f"/revision/historik?id={w.avvikelse}", PERSONS),
    "sida spåra": Endpoint("GET", lambda w: f"/revision/spar/{w.uppdrag_to_chef}", PERSONS),
    "sida förseglingen": Endpoint("GET", lambda w: "/revision/forsegling", PERSONS),
    "sida underlag": Endpoint("GET", lambda w: "/revision/underlag?format=jsonl", PERSONS),
    "sida beslut": Endpoint("GET", lambda w: "/beslut?q=budget", PERSONS),
    "sida delegeringar": Endpoint("GET", lambda w: "/delegeringar?alla=ja", PERSONS),
    "sida beslutanderätt": Endpoint("GET", lambda w: "/beslutanderatt?befattning=kommundirektor", PERSONS),
    "formulär beslut": Endpoint(
        "POST",
        lambda w: "/beslut",
        frozenset({"KS-ledamot"}),
        lambda w: {
            "organ": "ks",
            "kind": "delegationsordning",
            "diarienummer": "KS 2026/301",
            "paragraf": "§ 3",
            "title": "Sida",
        },
    ),
    "formulär delegera": Endpoint(
        "POST",
        lambda w: "/delegeringar",
        frozenset({"KS-ledamot"}),
        lambda w: {"to": "kommundirektor", "matter": "personal", "beslut": str(w.ordning)},
    ),
    "formulär återkalla delegering": Endpoint(
        "POST",
        lambda w: f"/delegeringar/{w.delegering}/aterkalla",
        frozenset({"KS-ledamot"}),
        lambda w: {"reason": "Ny delegationsordning."},
    ),
    "formulär ta emot": Endpoint(
        "POST", lambda w: f"/uppdrag/{w.uppdrag_to_chef}/ta-emot", frozenset({"chef"})
    ),
    "formulär rapportera": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/rapportera",
        frozenset({"sektorschef"}),
        lambda w: {"assessment": "uppfyllt", "text": "Klart."},
    ),
    "formulär godkänn": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/godkann-rapport",
        frozenset({"kommundirektör"}),
        prepare=lambda w: report_as(w, "larande", w.uppdrag_to_larande),
    ),
    "formulär återförvisa": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/aterforvisa-rapport",
        frozenset({"kommundirektör"}),
        lambda w: {"reason": "Siffror saknas."},
        prepare=lambda w: report_as(w, "larande", w.uppdrag_to_larande),
    ),
    "formulär bryt ned": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/bryt-ned",
        frozenset({"sektorschef"}),
        lambda w: {"to": CHEF, "title": "Matrisens deluppdrag"},
    ),
    "formulär ändra": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/andra",
        frozenset({"kommundirektör"}),
        lambda w: {"due": "2099-12-31", "reason": "Mer tid."},
    ),
    "formulär slutför": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/slutfor",
        frozenset({"kommundirektör"}),
        prepare=lambda w: report_accepted(w, w.uppdrag_to_larande, "kommundirektor", "larande"),
    ),
    "formulär återkalla": Endpoint(
        "POST",
        lambda w: f"/uppdrag/{w.uppdrag_to_larande}/aterkalla",
        frozenset({"kommundirektör"}),
        lambda w: {"reason": "Ersätts."},
    ),
    "formulär kvittera": Endpoint(
        "POST", lambda w: f"/avvikelser/{w.avvikelse}/kvittera", frozenset({"kommundirektör"})
    ),
}


def _as_browser(client: TestClient, user: str) -> str:
    """Log `client` in as `user` (or out, for the anonymous one); the session's CSRF token."""
    client.cookies.clear()
    subject = USERS[user]
    if subject is None:
        return ""
    logged_in(client, subject)
    page: str = client.get("/att-gora").text  # the logout form carries the token, on a refusal too
    return page.split('name="csrf" value="')[1].split('"')[0]


@pytest.mark.parametrize("name", list(PAGES))
def test_each_kind_of_user_is_allowed_or_refused_on_the_pages_and_a_refusal_records_nothing(
    name: str, client: TestClient, world: WebWorld
) -> None:
    """The same matrix through the pages: a system client's subject logged in by browser holds no
    position, and the anonymous visitor is sent to log in."""
    endpoint = PAGES[name]
    endpoint.prepare(world)
    order = sorted(USERS, key=lambda user: user in endpoint.allowed)
    answers: dict[str, int] = {}
    for user in order:
        token = _as_browser(client, user)
        before = event_count(world)
        if endpoint.writes:
            answer = client.post(
                endpoint.path(world),
                data={"csrf": token, **(endpoint.body(world) or {})},
                follow_redirects=False,
            )
        else:
            answer = client.get(endpoint.path(world), follow_redirects=False)
        answers[user] = answer.status_code
        if user not in endpoint.allowed:
            assert event_count(world) == before, (user, answer.text)
        elif endpoint.writes:
            assert event_count(world) > before, (user, answer.text)

    ok = 303 if endpoint.writes else 200
    expected = {user: ("tillåtet" if user in endpoint.allowed else "nekat") for user in USERS}
    got = {user: ("tillåtet" if status == ok else "nekat") for user, status in answers.items()}
    assert got == expected, answers
