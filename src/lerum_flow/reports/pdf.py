"""The report as an accessible PDF (PDF/UA-1): the same HTML, laid out by WeasyPrint.

PDF/UA tags the structure (headings, tables, figures with their alternative
text), and the document carries its language (from `<html lang="sv">`) and
title. Fonts are embedded (subset) by WeasyPrint; DejaVu is the family the
stylesheet names, so the symbols of the assessment scale have glyphs.
"""

from __future__ import annotations

# WeasyPrint ships no type information; what this module uses of it is two calls.
import weasyprint  # type: ignore[import-untyped]

PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    document = weasyprint.HTML(string=html, base_url=None)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    return bytes(pdf)
