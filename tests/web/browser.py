"""What the browser tests need: Debian's chromium (installed here if missing and allowed), the app
served by uvicorn on a free local port, and checks every page gets: axe-core, 320 px width."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM_NAMES = ("chromium", "chromium-browser")
# Read at import: the suite's autouse fixture strips LERUM_FLOW_* from each test's environment.
SCREENSHOTS = os.environ.get("LERUM_FLOW_SCREENSHOTS", "")


def find_chromium() -> str:
    """Debian's chromium; installed with apt-get when absent and this runs as root, else a clear failure."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
        subprocess.run([apt, "update", "-qq"], check=False, **quiet)  # type: ignore[call-overload]
        subprocess.run([apt, "install", "-y", "-qq", "chromium"], check=True, **quiet)  # type: ignore[call-overload]
        for name in CHROMIUM_NAMES:
            found = shutil.which(name)
            if found:
                return found
    pytest.fail(
        "The browser tests drive Debian's chromium package, which is not installed and could not be "
        "installed here (needs root and apt-get): run `apt-get install -y chromium`."
    )


def check_accessible(page: Page, state: str) -> None:
    """axe-core finds no violation on the page as it is now, and it fits 320 px without sideways scrolling."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{state}:\n{results.generate_report()}"
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{state}: {overflow} px wide at 320 px"
        narrow = Axe().run(page)
        assert narrow.violations_count == 0, f"{state} at 320 px:\n{narrow.generate_report()}"
    finally:
        if size:
            page.set_viewport_size(size)


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element `selector` names has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus with Tab")


def screenshot(page: Page, name: str, directory: Path) -> None:
    """Kept in the test's directory, and in LERUM_FLOW_SCREENSHOTS (docs/bilder for the README) if set."""
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
