"""The web application in a real browser (Debian's chromium through Playwright): a chef logs in through
the local identity provider, accepts an uppdrag and reports it, and the giver sees the report; by
keyboard alone, with axe-core finding nothing on any page reached, at full width and at 320 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, sync_playwright
from web.arshjul_world import PAST_YEAR, record_a_past_year, record_monthly_reports
from web.browser import check_accessible, find_chromium, screenshot, tab_to
from web.conftest import web_config
from web.web_world import CHEF, DAY, WebWorld, person, sealed_with_auditors_files

from lerum_flow.projections import uppdrag_tree_pages
from lerum_flow.web import pages_audit
from lerum_flow.web.app import create_app
from lerum_flow.web.config import OidcSettings
from lerum_flow.web.server import Address, free_port, serve_in_thread

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def chromium() -> str:
    return find_chromium()


@pytest.fixture
def browser_page(chromium: str, world: WebWorld, oidc: OidcSettings) -> Iterator[tuple[Page, str, list[str]]]:
    with (
        serve_in_thread(create_app(web_config(world, oidc)), Address("127.0.0.1", free_port())) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--lang=sv-SE"])
        page = browser.new_page(viewport={"width": 1024, "height": 800}, locale="sv-SE")
        blocked: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                blocked.append(message.text)

        page.on("console", on_console)
        try:
            yield page, url, blocked
        finally:
            browser.close()


def log_in(page: Page, url: str, subject: str) -> None:
    page.goto(url)
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=sub]")
    tab_to(page, "input[name=sub]")
    page.keyboard.type(subject)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/att-gora")


def log_out(page: Page) -> None:
    tab_to(page, "form.logout button")
    page.keyboard.press("Enter")
    page.wait_for_selector("a.button")


def test_a_chef_accepts_and_reports_by_keyboard_and_the_giver_sees_the_report(
    browser_page: tuple[Page, str, list[str]], world: WebWorld, tmp_path: Path
) -> None:
    """The whole flow by keyboard, to the giver accepting the report; every page and state reached passes
    axe-core at 1024 and 320 px, and the browser blocks nothing under the Content-Security-Policy."""
    page, url, blocked = browser_page
    page.goto(url)
    check_accessible(page, "startsidan")
    screenshot(page, "startsida", tmp_path)

    log_in(page, url, person(CHEF))
    check_accessible(page, "att göra (chef)")
    screenshot(page, "att-gora", tmp_path)

    link = f"a[href$='/uppdrag/{world.uppdrag_to_chef}']"
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    check_accessible(page, "uppdraget, att ta emot")
    tab_to(page, "form[action$='/ta-emot'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Uppdraget togs emot.")
    check_accessible(page, "uppdraget, mottaget")

    # Sent empty: each problem at its own field, the summary naming each by the form's label.
    tab_to(page, "form[action$='/rapportera'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary a").all_inner_texts() == [
        "Bedömning: Får inte vara tomt.",
        "Återrapport: Får inte vara tomt.",
    ]
    check_accessible(page, "återrapport utan bedömning och text")
    screenshot(page, "uppdrag-tva-fel", tmp_path)
    # Sent without an assessment: the error summary, then the report.
    tab_to(page, "#text")
    page.keyboard.type("Halvvägs: två av fyra förskolor klara.")
    tab_to(page, "form[action$='/rapportera'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    check_accessible(page, "återrapport utan bedömning")
    screenshot(page, "uppdrag-fel", tmp_path)
    # A radio group is one Tab stop; the arrow keys move the choice within it.
    tab_to(page, "#assessment-uppfyllt")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#assessment-delvis")
    tab_to(page, "form[action$='/rapportera'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Återrapporten registrerades")
    check_accessible(page, "uppdraget, rapporterat")
    screenshot(page, "uppdrag", tmp_path)

    log_out(page)
    log_in(page, url, person("larande"))
    review = page.locator("section, main").get_by_role("link", name="Budget för chef-forskola")
    assert review.count() == 1
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_selector(".history")
    assert "Halvvägs: två av fyra förskolor klara." in page.inner_text(".history")
    assert "Bedömning: Delvis uppfyllt" in page.inner_text(".history")
    check_accessible(page, "uppdraget hos givaren")
    screenshot(page, "uppdrag-granska", tmp_path)
    tab_to(page, "form[action$='/godkann-rapport'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Återrapporten godkändes.")
    check_accessible(page, "återrapporten godkänd")

    tab_to(page, "nav a[href$='/avvikelser']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tavla")
    check_accessible(page, "avvikelsetavlan")
    screenshot(page, "avvikelser", tmp_path)

    # The auditor's day: Att göra as it was on the uppdrag's first day (its report not yet made).
    page.goto(f"{url}/att-gora?as_of={DAY.isoformat()}")
    page.wait_for_selector("h1:has-text('Att göra')")
    assert "Rapporter att granska (0)" in page.inner_text("main")
    check_accessible(page, "att göra som det var")
    assert blocked == []


def test_the_recipient_breaks_down_and_the_giver_revises_by_keyboard_and_the_tree_shows_it(
    browser_page: tuple[Page, str, list[str]],
    world: WebWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Breaking down, the tree, a giver's refused withdrawal: axe-core finds nothing at 1024 and 320 px."""
    page, url, blocked = browser_page
    log_in(page, url, person("larande"))
    page.goto(f"{url}/uppdrag/{world.uppdrag_to_larande}")
    page.wait_for_selector("h1")
    check_accessible(page, "uppdraget, att bryta ned")
    # A form tampered to name a position above the recipient: refused at the choice, the choice kept.
    page.evaluate("document.querySelector('#deluppdrag-to option:last-child').value = 'kommundirektor'")
    page.select_option("#deluppdrag-to", "kommundirektor")
    page.fill("#deluppdrag-title", "Uppåt")
    page.click("form[action$='/bryt-ned'] button")
    page.wait_for_selector("#deluppdrag-to-error")
    check_accessible(page, "deluppdrag till en befattning som inte står under")
    # The positions below, chosen by keyboard: the first after the empty choice is the förskolechef.
    tab_to(page, "#deluppdrag-to")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#deluppdrag-to") == CHEF
    tab_to(page, "#deluppdrag-title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Fler platser i förskolan")
    tab_to(page, "form[action$='/bryt-ned'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Deluppdraget gavs.")
    screenshot(page, "uppdrag-bryt-ned", tmp_path)

    tab_to(page, "nav a[href$='/uppdragstrad']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Uppdragsträdet')")
    assert "Budget för ks" in page.inner_text("main")
    check_accessible(page, "uppdragsträdet, första sidan")
    screenshot(page, "uppdragstrad", tmp_path)
    # A branch closes by keyboard on its summary, without JavaScript of the page's own.
    tab_to(page, "details.tree-branch > summary")
    page.keyboard.press("Enter")
    assert not page.locator("details.tree-branch").first.get_attribute("open")
    page.keyboard.press("Enter")
    # Down the tree by keyboard, one branch a page, to the part just given: a page of one part each.
    monkeypatch.setattr(uppdrag_tree_pages, "CHILDREN_PAGE", 1)
    for title in ("Budget för ks", "Budget för kommundirektor"):
        tab_to(page, "ul.tree a[href*='under=']")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"h2:has-text('Deluppdragen till {title}')")
    page.goto(f"{url}/uppdragstrad?under={world.uppdrag_to_larande}")
    assert "1–1 av 2 deluppdrag." in page.inner_text("main")
    check_accessible(page, "uppdragsträdet, en gren")
    tab_to(page, "a[rel=next]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=2–2 av 2 deluppdrag.")
    assert "Fler platser i förskolan" in page.inner_text(
        "main"
    ) or "Budget för chef-forskola" in page.inner_text("main")
    check_accessible(page, "uppdragsträdet, en grens andra sida")
    screenshot(page, "uppdragstrad-gren", tmp_path)
    tab_to(page, ".breadcrumbs li:first-child a")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=uppdrag överst i trädet")
    page.goto(f"{url}/uppdragstrad?status=utfardat")
    check_accessible(page, "uppdragsträdet, utfärdade")

    log_out(page)
    log_in(page, url, person("kommundirektor"))
    page.goto(f"{url}/uppdrag/{world.uppdrag_to_larande}")
    tab_to(page, "details.giver-forms > summary")
    page.keyboard.press("Enter")
    tab_to(page, "form[action$='/aterkalla'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    check_accessible(page, "återkallelse utan skäl")
    screenshot(page, "uppdrag-andra-fel", tmp_path)
    assert blocked == []


def test_the_registers_and_the_authority_page_by_keyboard(
    browser_page: tuple[Page, str, list[str]], world: WebWorld, tmp_path: Path
) -> None:
    """KS searches its decisions, a refused registration shows its error, the delegations and the
    kommundirektör's authority with its chain: axe-core finds nothing at 1024 and 320 px."""
    page, url, blocked = browser_page
    log_in(page, url, person("ks"))
    tab_to(page, "nav a[href$='/beslut']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Beslutsregistret')")
    tab_to(page, "#q")
    page.keyboard.type("delegationsordning")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=KS 2026/200")
    check_accessible(page, "beslutsregistret, sökt")
    screenshot(page, "beslut", tmp_path)

    tab_to(page, "details.giver-forms > summary")
    page.keyboard.press("Enter")
    tab_to(page, "#beslut-title")
    page.keyboard.type("Ny delegationsordning")
    tab_to(page, "form[action$='/beslut'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    check_accessible(page, "beslut utan slag och diarienummer")

    page.goto(f"{url}/delegeringar")
    page.wait_for_selector("h1:has-text('Delegationsregistret')")
    assert "Upphandling och avtal: Kommundirektör ← Kommunstyrelsen" in page.inner_text("main")
    check_accessible(page, "delegationsregistret")
    screenshot(page, "delegeringar", tmp_path)

    page.goto(f"{url}/beslutanderatt")
    tab_to(page, "#befattning")
    page.keyboard.type("kommundirektor")
    page.keyboard.press("Enter")
    page.wait_for_selector("h2:has-text('Kommundirektör den')")
    assert "Kommundirektör ← Kommunstyrelsen" in page.inner_text("main")
    check_accessible(page, "beslutanderätt")
    screenshot(page, "beslutanderatt", tmp_path)

    tab_to(page, "nav a[href$='/arshjul']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Årshjulet')")
    check_accessible(page, "årshjulet")
    screenshot(page, "arshjul", tmp_path)
    # A past year whose report steps were reported late and not at all, with months reported in time.
    record_a_past_year(world)
    record_monthly_reports(world)
    tab_to(page, "#ar")
    page.keyboard.type(str(PAST_YEAR))
    page.keyboard.press("Enter")
    page.wait_for_selector(f"h2:has-text('Budgetår {PAST_YEAR}')")
    tab_to(page, "details > summary")
    page.keyboard.press("Enter")
    assert "Missat: ingen rapport" in page.inner_text("main")
    check_accessible(page, "årshjulet, rapporter i tid, för sent och missade")

    log_out(page)
    log_in(page, url, person("revisorer"))
    tab_to(page, "nav a[href$='/revision']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Revision')")
    page.goto(f"{url}/revision?as_of={DAY.isoformat()}")
    check_accessible(page, "revision, som det var")
    screenshot(page, "revision", tmp_path)
    tab_to(page, f"a[href$='/revision/spar/{world.uppdrag_to_chef}']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Spåra till beslutet')")
    check_accessible(page, "spåra till beslutet")
    page.goto(f"{url}/revision/historik?id={world.avvikelse}")
    check_accessible(page, "en posts historik")
    page.goto(f"{url}/revision/forsegling")
    check_accessible(page, "förseglingen")
    assert blocked == []


def test_the_revisor_pages_through_the_record_and_checks_the_seal_against_their_file_by_keyboard(
    browser_page: tuple[Page, str, list[str]],
    world: WebWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The record as of a day one register a page at a time, the auditors' own file checked (whole, then
    one that is no such file): axe-core finds nothing at 1024 and 320 px."""
    files = sealed_with_auditors_files(world, tmp_path)
    monkeypatch.setattr(pages_audit, "AS_OF_PAGE", 2)
    page, url, blocked = browser_page
    log_in(page, url, person("revisorer"))
    page.goto(f"{url}/revision?as_of={DAY.isoformat()}")
    tab_to(page, "nav.registers a[href$='slag=beslut']")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=1–2 av 5.")
    check_accessible(page, "revision, beslut första sidan")
    tab_to(page, "a[rel=next]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=3–4 av 5.")
    check_accessible(page, "revision, beslut andra sidan")
    screenshot(page, "revision-beslut", tmp_path)

    page.goto(f"{url}/revision/forsegling")
    page.set_input_files("#kontrollpunkter", str(files.checkpoints))  # the file chooser is the system's
    tab_to(page, "form[enctype='multipart/form-data'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("h3:has-text('Filens kontrollpunkter')")
    assert "Nyckeln stämmer" in page.inner_text("main")
    check_accessible(page, "förseglingen mot revisorernas fil")
    screenshot(page, "forsegling-fil", tmp_path)

    not_a_file = tmp_path / "anteckningar.json"
    not_a_file.write_text("inte json", encoding="utf-8")
    page.set_input_files("#kontrollpunkter", str(not_a_file))
    tab_to(page, "form[enctype='multipart/form-data'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert "är ingen kontrollpunktsfil" in page.inner_text(".error-summary")
    check_accessible(page, "förseglingen, fel fil")
    assert blocked == []
