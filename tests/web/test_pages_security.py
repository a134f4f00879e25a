"""The pages' protections: a signed session cookie that is Secure, HttpOnly and SameSite; forms that need
the session's CSRF token; a Content-Security-Policy without inline script; a limit on login attempts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web.web_world import CHEF, DAY, WebWorld, browser_login, event_count, person

from lerum_flow.web.app import SESSION_COOKIE


def test_the_session_cookie_is_secure_httponly_and_samesite(client: TestClient) -> None:
    """The cookie set at login carries Secure, HttpOnly and SameSite=Lax."""
    start = client.get("/logga-in", follow_redirects=False)

    cookie = next(v for k, v in start.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v)
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax"} <= flags


def test_every_page_forbids_inline_script_and_framing(client: TestClient) -> None:
    """The policy allows script only from the site itself, and no page may be framed."""
    answer = client.get("/")

    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_form_without_the_sessions_token_is_refused_and_records_nothing(
    client: TestClient, world: WebWorld
) -> None:
    """Accepting through the page with a missing or foreign CSRF token is refused; nothing is recorded."""
    browser_login(client, person(CHEF))
    before = event_count(world)

    missing = client.post(f"/uppdrag/{world.uppdrag_to_chef}/ta-emot", data={})
    foreign = client.post(f"/uppdrag/{world.uppdrag_to_chef}/ta-emot", data={"csrf": "gissad"})

    assert missing.status_code == 401
    assert foreign.status_code == 401
    assert "Formuläret hörde inte till din inloggning" in foreign.text
    # A refused sending says that nothing was recorded (a refused page asked for does not).
    assert "Inget registrerades." in foreign.text
    assert event_count(world) == before


def test_a_page_form_with_the_token_records_the_command(client: TestClient, world: WebWorld) -> None:
    """With the session's token the same form accepts the uppdrag, and the page says so."""
    browser_login(client, person(CHEF))
    page = client.get(f"/uppdrag/{world.uppdrag_to_chef}")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]

    answer = client.post(f"/uppdrag/{world.uppdrag_to_chef}/ta-emot", data={"csrf": token})

    assert answer.status_code == 200
    assert "Uppdraget togs emot." in answer.text
    assert "mottaget" in answer.text


def test_login_attempts_beyond_the_limit_are_asked_to_wait(client: TestClient) -> None:
    """The eleventh login started from one address within a minute is refused with 429."""
    answers = [client.get("/logga-in", follow_redirects=False).status_code for _ in range(11)]

    assert answers[:10] == [302] * 10
    assert answers[10] == 429


def test_an_anonymous_visitor_is_sent_to_the_start_page(client: TestClient) -> None:
    """Att göra without a login redirects to the start page, which offers the login."""
    answer = client.get("/att-gora")

    assert answer.status_code == 200
    assert "Logga in" in answer.text
    assert str(answer.url).endswith("/")


def test_an_api_command_on_the_session_cookie_needs_the_csrf_header(
    client: TestClient, world: WebWorld
) -> None:
    """Logged in by browser, an API POST without X-CSRF-Token is refused and records nothing; with it, it
    is recorded."""
    browser_login(client, person(CHEF))
    page = client.get("/att-gora")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    before = event_count(world)

    without = client.post(f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande")
    unchanged = event_count(world)
    with_token = client.post(
        f"/api/v1/uppdrag/{world.uppdrag_to_chef}/mottagande", headers={"X-CSRF-Token": token}
    )

    assert without.status_code == 401
    assert without.json()["regel"] == "csrf"
    assert unchanged == before
    assert with_token.status_code == 200


def test_a_revisor_reads_every_page_and_is_offered_no_form(client: TestClient, world: WebWorld) -> None:
    """The revisor sees the uppdrag, its history and the board, as of a past day too, with no form to act."""
    browser_login(client, person("revisorer"))

    uppdrag = client.get(f"/uppdrag/{world.uppdrag_to_chef}")
    then = client.get(f"/uppdrag/{world.uppdrag_to_chef}", params={"as_of": DAY.isoformat()})
    board = client.get("/avvikelser")

    assert uppdrag.status_code == then.status_code == board.status_code == 200
    for page in (uppdrag.text, then.text):
        assert "Historik" in page
        assert "ta-emot" not in page
        assert "rapportera" not in page
    assert "Underskott i förskolan." in board.text
    assert "2 öppna avvikelser" in board.text
    assert "0 öppna avvikelser" in client.get("/avvikelser", params={"level": "ks"}).text
