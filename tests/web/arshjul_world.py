"""Past budget years recorded for the årshjul's tests: KF's 2025 budget and uppdrag to KS with a late
delårsrapport and no årsredovisning, and KS's monthly reports asked of the kommundirektör."""

from __future__ import annotations

from datetime import date

from unit.governance_world import governance, send
from web.web_world import WebWorld

# Budget year 2025, all behind us: KF's budget, its uppdrag to KS, and KS's delårsrapport two weeks late.
PAST_YEAR = 2025
LATE_REPORT = date(2025, 11, 14)


def record_a_past_year(world: WebWorld) -> None:
    """KF's 2025 budget and uppdrag to KS; KS reports on it after the delårsrapport's deadline (31
    October) and never again: no årsredovisning by 15 April 2026."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        budget = send(app, "take_beslut", "kf", decided_by="kf", kind="budget", diarienummer="KF 2024/10",
                      paragraf="§ 40", title="Budget 2025", decided_on=date(2024, 6, 15),
                      budget_year=PAST_YEAR).id  # fmt: skip
        uppdrag = send(app, "issue_uppdrag", "kf", recipient="ks", title="Budget 2025",
                       issued_on=date(2024, 6, 20), due=date(2025, 12, 31),
                       origin_beslut_id=budget).id  # fmt: skip
        send(app, "accept_uppdrag", "ks", uppdrag_id=uppdrag, on=date(2024, 6, 21))
        send(app, "report_uppdrag", "ks", uppdrag_id=uppdrag, assessment="delvis", text="Delår 2025.",
             on=LATE_REPORT)  # fmt: skip
    finally:
        app.close()


def record_monthly_reports(world: WebWorld) -> None:
    """KS asks the kommundirektör for March's and April's reports; both of March's come by the 20th, the
    last on the 15th; of April's only one ever comes."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        budget = send(app, "take_beslut", "kf", decided_by="kf", kind="budget", diarienummer="KF 2024/11",
                      paragraf="§ 41", title="Budget 2025", decided_on=date(2024, 6, 15),
                      budget_year=PAST_YEAR).id  # fmt: skip
        for month, reported in (("03", [date(2025, 3, 5), date(2025, 3, 15)]), ("04", [date(2025, 4, 5)])):
            for area, day in zip(("ekonomi", "verksamhet"), [*reported, None], strict=False):
                uppdrag = send(app, "issue_uppdrag", "ks", recipient="kommundirektor",
                               title=f"Månadsrapport {area} 2025-{month}",
                               issued_on=date(2025, int(month), 1), origin_beslut_id=budget).id  # fmt: skip
                send(
                    app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=date(2025, int(month), 1)
                )
                if day is not None:
                    send(app, "report_uppdrag", "kommundirektor", uppdrag_id=uppdrag, assessment="uppfyllt",
                         text="Månaden.", on=day)  # fmt: skip
    finally:
        app.close()
