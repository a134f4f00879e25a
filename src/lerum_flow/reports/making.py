"""One report from the log: gather its record, compute its figures, write its HTML (and PDF)."""

from __future__ import annotations

from lerum_flow.projections.asof import AsOf
from lerum_flow.record_ids import RecordLog
from lerum_flow.reports.contents import contents_of
from lerum_flow.reports.document import document_of
from lerum_flow.reports.gather import gather
from lerum_flow.reports.html import render_html
from lerum_flow.reports.period import ReportPeriod
from lerum_flow.styrmodell import Styrmodell


def make_report(
    log: RecordLog,
    period: ReportPeriod,
    as_of: AsOf,
    *,
    styrmodell: Styrmodell,
    scope: str | None = None,
    upto: int | None = None,
    command: str = "",
    as_pdf: bool = False,
    audience: str = "ks",
) -> bytes:
    """The report's bytes: UTF-8 HTML, or the PDF made from that same HTML."""
    record = gather(log, period, as_of, styrmodell=styrmodell, scope=scope, upto=upto, audience=audience)
    html = render_html(document_of(contents_of(record), command=command))
    if not as_pdf:
        return html.encode("utf-8")
    from lerum_flow.reports.pdf import render_pdf

    return render_pdf(html)
