"""The steps of a budget year each nämnd and each bolag owes, beside the kommun's own.

A nämnd with its own förvaltning adopts its verksamhetsplan (with its
internbudget) after KF's budget, and sends its delårsrapport and its
årsbokslut to KS ahead of the kommun's report to KF; a bolag, steered by KF's
ägardirektiv, sends KS the same reports under KS's uppsikt (KL 6 kap. 1 §).
Only a styrmodell whose `kalender` has a `namnder` or `bolag` table plans
them. Pure functions, run inside the plan activity like the rest of the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from lerum_flow.domain.styrkedja import Position, PositionKind, Styrkedja
from lerum_flow.domain.values import BeslutKind
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.styrmodell.model import Bolagsrapportering
from lerum_flow.workflows.arshjul.models import ReportStep
from lerum_flow.workflows.clock import end_of
from lerum_flow.workflows.models import DecisionStep, Moment


def organ_steps(
    styrmodell: Styrmodell, chain: Styrkedja, ks: Position, reports: Iterable[ReportStep], budget_year: int
) -> list[DecisionStep]:
    """Every nämnd's plan and reports, then every bolag's reports, in the styrkedja's order."""
    kalender = styrmodell.kalender
    report_list = list(reports)
    steps: list[DecisionStep] = []
    for organ in chain:
        if organ.kind is PositionKind.NAMND and kalender.namnder is not None:
            by = kalender.namnder.verksamhetsplan_senast.in_year(budget_year - 1)
            steps.append(
                DecisionStep(
                    key=f"{organ.id}/verksamhetsplan",
                    name=f"{_genitive(organ.name)} verksamhetsplan och internbudget {budget_year}",
                    kind=str(BeslutKind.VERKSAMHETSPLAN),
                    organ=organ.id,
                    organ_name=organ.name,
                    not_before=date(budget_year - 1, 1, 1),
                    deadline=Moment(on=by, at=end_of(by)),
                    responsible=_responsible(chain, organ),
                    phase="planer",
                    after_budget=True,
                )
            )
            steps += _reports(chain, organ, ks, kalender.namnder, report_list)
        elif organ.kind is PositionKind.BOLAG and kalender.bolag is not None:
            steps += _reports(chain, organ, ks, kalender.bolag, report_list)
    return steps


def _reports(
    chain: Styrkedja, organ: Position, ks: Position, rules: Bolagsrapportering, reports: list[ReportStep]
) -> list[DecisionStep]:
    """The organ's own delårsrapport for each of the kommun's, and its årsbokslut, to KS."""
    steps = []
    for report in reports:
        annual = report.key == "arsredovisning"
        by = max(report.deadline.on - timedelta(days=rules.rapport_dagar_fore), report.not_before)
        title = report.name.replace("Årsredovisning", "Årsbokslut") if annual else report.name
        steps.append(
            DecisionStep(
                key=f"{organ.id}/{report.key}",
                name=f"{_genitive(organ.name)} {title[0].lower()}{title[1:]} till {ks.name.lower()}",
                kind=str(BeslutKind.ARSREDOVISNING if annual else BeslutKind.DELARSRAPPORT),
                organ=organ.id,
                organ_name=organ.name,
                not_before=report.not_before,
                deadline=Moment(on=by, at=end_of(by)),
                responsible=_responsible(chain, organ),
                phase=report.phase,
                owed_to=ks.id,
                not_after=report.not_after,
            )
        )
    return steps


def _responsible(chain: Styrkedja, organ: Position) -> str:
    """Who records a missed step: the organ's förvaltningschef (a bolag's VD), so that the
    deviation lands with the organ itself; an organ without one records it in its own name."""
    heads = [p for p in chain if p.parent == organ.id and p.kind is PositionKind.FORVALTNINGSCHEF]
    return heads[0].id if heads else organ.id


def _genitive(name: str) -> str:
    """Swedish genitive: 'Socialnämndens', 'Österviksbostäder AB:s', 'Kommunens revisorers'."""
    if name.endswith(("s", "x", "z")):
        return name
    return f"{name}:s" if name[-1].isupper() else f"{name}s"
