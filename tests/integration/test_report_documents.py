"""The reports as documents: byte-identical HTML when made again, and a PDF/UA a screen reader can use.

The PDF is read back with pypdf: its structure tree, its language, its title,
its text in reading order, and the alternative text of every chart.
"""

from __future__ import annotations

import ctypes.util
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from typing import Any, cast

import pypdf
import pytest
from pypdf.generic import DictionaryObject
from unit.governance_world import governance, seed

from lerum_flow.application import Governance
from lerum_flow.projections.asof import AsOf
from lerum_flow.reports.making import make_report
from lerum_flow.reports.period import annual_period, month_period
from lerum_flow.styrmodell import default_styrmodell

# What WeasyPrint loads from the system, and the Debian packages that give it on a fresh machine.
SYSTEM_LIBRARIES = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0"}
FONT_PACKAGE = "fonts-dejavu-core"
# Six charts, of which the seeded year gives two nothing to draw (said in words instead).
CHARTS = 6
EMPTY_CHARTS = 2

# Every test here draws charts (vl-convert) and most lay out a PDF: seconds each.
pytestmark = pytest.mark.slow


def _missing() -> list[str]:
    packages = [
        package for library, package in SYSTEM_LIBRARIES.items() if ctypes.util.find_library(library) is None
    ]
    fonts = subprocess.run(["fc-match", "DejaVu Sans"], capture_output=True, text=True, check=False).stdout
    if "DejaVu" not in fonts:
        packages.append(FONT_PACKAGE)
    return packages


@pytest.fixture(scope="module")
def weasyprint_system() -> None:
    """Pango and the DejaVu fonts, installed from Debian when missing and we are root, else a clear
    failure."""
    missing = (
        _missing() if shutil.which("fc-match") else [*SYSTEM_LIBRARIES.values(), FONT_PACKAGE, "fontconfig"]
    )
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(
            "WeasyPrint needs these Debian packages, which are missing: "
            + " ".join(missing)
            + f". Install them with: apt-get install -y {' '.join(missing)}"
        )
    subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, capture_output=True)
    assert not _missing(), f"still missing after apt-get install: {_missing()}"


@pytest.fixture(scope="module")
def world() -> Iterator[Governance]:
    app = governance()
    seed(app)
    yield app
    app.close()


def _annual(app: Governance, *, as_pdf: bool) -> bytes:
    return make_report(
        app,
        annual_period(2027),
        AsOf(date(2027, 12, 31), known_on=date(2027, 12, 31)),
        styrmodell=default_styrmodell(),
        command="lerum-flow rapport arsredovisning --ar 2027",
        as_pdf=as_pdf,
    )


def test_the_same_report_twice_is_the_same_html_byte_for_byte(world: Governance) -> None:
    """Made twice with the same days from the same log, the HTML is identical."""
    first = _annual(world, as_pdf=False)
    assert first == _annual(world, as_pdf=False)
    assert b'<html lang="sv">' in first


def test_every_link_in_the_report_leads_to_a_place_in_it(world: Governance) -> None:
    """Each count links to its entry in the Underlag, each heading of the contents to its section."""
    html = _annual(world, as_pdf=False).decode("utf-8")
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert any(t.startswith("underlag-") for t in targets)
    assert targets <= set(re.findall(r'id="([^"]+)"', html))


def test_an_assessment_is_shown_by_its_label_and_symbol_not_by_colour_alone(world: Governance) -> None:
    """KF's uppdrag to KS, unreported in the seeded year, reads "– Ej bedömt" in words and symbol."""
    html = _annual(world, as_pdf=False).decode("utf-8")
    assert re.search(r'<span class="symbol" aria-hidden="true">–</span> Ej bedömt', html)
    assert "Skala: " in html
    assert "✔</span> Uppfyllt" in html or "✔ Uppfyllt" in html


def test_a_month_report_for_a_sector_names_the_sector_and_its_log_position(world: Governance) -> None:
    """The sector's own name heads the report and the footer names the log position read."""
    html = make_report(
        world,
        month_period(2027, 3),
        AsOf(date(2027, 3, 31)),
        styrmodell=default_styrmodell(),
        scope="larande",
    ).decode("utf-8")
    assert "Sektor lärande, till kommundirektören" in html
    assert f"Händelseloggen till och med position {world.head()}" in html.replace("\u202f", "")


def _root(pdf: pypdf.PdfReader) -> DictionaryObject:
    return cast(DictionaryObject, pdf.trailer["/Root"])


def _structure(node: Any, found: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        if kids is not None:
            _structure(kids, found)
    elif isinstance(node, list):
        for kid in node:
            _structure(kid, found)
    return found


@pytest.fixture(scope="module")
def pdf(
    world: Governance, weasyprint_system: None, tmp_path_factory: pytest.TempPathFactory
) -> pypdf.PdfReader:
    path = tmp_path_factory.mktemp("rapport") / "arsredovisning.pdf"
    path.write_bytes(_annual(world, as_pdf=True))
    return pypdf.PdfReader(path)


def test_the_pdf_is_tagged_in_swedish_with_its_title(pdf: pypdf.PdfReader) -> None:
    """A structure tree, /Lang sv, a title shown as the window's title, marked content."""
    root = _root(pdf)
    assert str(root["/Lang"]) == "sv"
    assert bool(cast(DictionaryObject, root["/MarkInfo"])["/Marked"])
    assert bool(cast(DictionaryObject, root["/ViewerPreferences"])["/DisplayDocTitle"])
    assert pdf.metadata is not None
    assert pdf.metadata.title == "Lerums kommun – Årsredovisning 2027"
    kinds = {kind for kind, _ in _structure(root["/StructTreeRoot"], [])}
    assert {"/Document", "/H1", "/H2", "/Table", "/TH", "/Figure", "/Link"} <= kinds


def _fonts(pdf: pypdf.PdfReader) -> dict[str, DictionaryObject]:
    found: dict[str, DictionaryObject] = {}
    for page in pdf.pages:
        resources = cast(DictionaryObject, page["/Resources"])
        for font in cast(DictionaryObject, resources.get("/Font", DictionaryObject())).values():
            font = cast(DictionaryObject, font.get_object())
            found[str(font["/BaseFont"])] = font
    return found


def test_every_font_of_the_pdf_is_embedded(pdf: pypdf.PdfReader) -> None:
    """A reader on another machine sees the same glyphs: each font carries its own program."""
    fonts = _fonts(pdf)
    assert fonts
    for name, font in fonts.items():
        descendant = cast(DictionaryObject, font["/DescendantFonts"][0].get_object())  # type: ignore[index]
        descriptor = cast(DictionaryObject, descendant["/FontDescriptor"])
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_every_chart_in_the_pdf_has_its_alternative_text(pdf: pypdf.PdfReader) -> None:
    """Each of the report's charts is a tagged figure whose alternative text gives its numbers."""
    figures = [alt for kind, alt in _structure(_root(pdf)["/StructTreeRoot"], []) if kind == "/Figure"]
    assert len(figures) == CHARTS - EMPTY_CHARTS
    text = "".join(page.extract_text() for page in pdf.pages)
    assert text.count("inga uppgifter under perioden.") >= EMPTY_CHARTS
    assert all(str(alt).startswith("Stapeldiagram, ") for alt in figures), figures
    # The seeded year has a deviation and delegated decisions: those charts speak in numbers.
    assert any(re.search(r"Ekonomi: 1\b", str(alt)) for alt in figures), figures


def test_the_pdf_text_reads_in_the_order_of_the_report(pdf: pypdf.PdfReader) -> None:
    """Title, sections and the Underlag come out of the text in the order a reader meets them."""
    text = "\n".join(page.extract_text() for page in pdf.pages)
    order = ["Årsredovisning 2027", "Måluppfyllelse", "Uppdrag per nivå", "Avvikelser per kategori"]
    order += ["Delegeringsbeslut per delegat", "Årshjulets tidpunkter", "Underlag", "Om rapporten"]
    places = [
        text.find(heading, text.find("Innehåll") + 200) if i else text.find(heading)
        for i, heading in enumerate(order)
    ]
    assert all(p >= 0 for p in places), dict(zip(order, places, strict=True))
    assert places == sorted(places)


def test_the_same_report_twice_gives_the_same_pdf_text(world: Governance, pdf: pypdf.PdfReader) -> None:
    """The PDF made again extracts to the same text."""
    again = pypdf.PdfReader(io.BytesIO(_annual(world, as_pdf=True)))
    assert [p.extract_text() for p in again.pages] == [p.extract_text() for p in pdf.pages]
