"""The authorization matrix through the pages: every page and form × every kind of user, logged in
through the provider as a browser is; forms carry the session's CSRF token. A refusal records nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web.authorization_users import PERSONS, USERS, Endpoint
from web.web_world import (
    CHEF,
    DAY,
    WebWorld,
    empty_checkpoint_file,
    event_count,
    logged_in,
    report_accepted,
    report_as,
)

# The pages, logged in through the provider as a browser is; forms carry the session's CSRF token.
PAGES: dict[str, Endpoint] = {
    "sida att-gora": Endpoint("GET", lambda w: "/att-gora", PERSONS),
    "sida uppdrag": Endpoint("GET", lambda w: f"/uppdrag/{w.uppdrag_to_chef}", PERSONS),
    "sida avvikelser": Endpoint("GET", lambda w: "/avvikelser", PERSONS),
    "sida uppdragsträdet": Endpoint("GET", lambda w: "/uppdragstrad", PERSONS),
    "sida uppdragsträdet, en gren": Endpoint(
        "GET", lambda w: f"/uppdragstrad?under={w.uppdrag_to_larande}", PERSONS
    ),
    "sida årshjulet": Endpoint("GET", lambda w: "/arshjul", PERSONS),
    "sida revision": Endpoint("GET", lambda w: f"/revision?as_of={DAY.isoformat()}", PERSONS),
    "sida revision, beslut": Endpoint(
        "GET", lambda w: f"/revision?as_of={DAY.isoformat()}&slag=beslut&fran=2", PERSONS
    ),
    "sida historik": Endpoint("GET", lambda w: f"/revision/historik?id={w.avvikelse}", PERSONS),
    "sida spåra": Endpoint("GET", lambda w: f"/revision/spar/{w.uppdrag_to_chef}", PERSONS),
    "sida förseglingen": Endpoint("GET", lambda w: "/revision/forsegling", PERSONS),
    "formulär förseglingen mot revisorernas fil": Endpoint(
        "POST", lambda w: "/revision/forsegling", PERSONS, files=empty_checkpoint_file, reads_only=True
    ),
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
        if endpoint.method == "POST":
            answer = client.post(
                endpoint.path(world),
                data={"csrf": token, **(endpoint.body(world) or {})},
                files=endpoint.files(world),
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
