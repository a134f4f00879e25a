"""Every endpoint of the API × every kind of user: allowed or refused, and a refusal records nothing.

What a person may do follows from the positions they hold that day and the
application's own rules; a system client reads with its scope and never acts;
the revisor reads everything and acts in nothing. The pages have their own matrix
(test_authorization_matrix_pages.py).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from web.authorization_users import EVERYONE_BUT_ANONYMOUS, PERSONS, USERS, Endpoint
from web.web_world import (
    CHEF,
    DAY,
    WebWorld,
    access_token,
    acknowledge_as,
    empty_checkpoint_file,
    event_count,
    report_accepted,
    report_as,
)

from lerum_flow.web.config import OidcSettings


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
    "POST förseglingen mot revisorernas fil": Endpoint(
        "POST",
        lambda w: "/api/v1/revision/forsegling/kontrollpunkter",
        EVERYONE_BUT_ANONYMOUS,
        files=empty_checkpoint_file,
        reads_only=True,
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
            endpoint.method,
            endpoint.path(world),
            headers=_headers(oidc, user),
            json=endpoint.body(world),
            files=endpoint.files(world),
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
