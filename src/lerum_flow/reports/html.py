"""The report as HTML, from the Jinja2 templates shipped with the package (reports/templates)."""

from __future__ import annotations

import base64
import functools

import jinja2

from lerum_flow.reports.document_parts import LISTED_IDS, Document
from lerum_flow.swedish_numbers import number


@functools.cache
def environment() -> jinja2.Environment:
    """The templates, also for the web application: `report.html` and its parts."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lerum_flow.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["number"] = number
    env.filters["base64"] = lambda text: base64.b64encode(text.encode("utf-8")).decode("ascii")
    return env


def render_html(doc: Document) -> str:
    return environment().get_template("report.html").render(doc=doc, listed=LISTED_IDS)
