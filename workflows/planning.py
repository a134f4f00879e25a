"""The plan of a budget year and of a mandate period: the rules' dates as instants to wait for.

Pure functions, run inside an activity: the plan is then part of the
workflow's history, so a later edit of the styrmodell file never changes
what a running cycle replays. The dates come from the styrmodell's
`kalender` within the law's limits (`domain.calendar_law`) and its report
policy (`styrmodell.report_policy`); this module only sets them in order.
"""

from __future__ import annotations

from datetime import date, timedelta

from lerum_flow.beslut_kind_names import beslut_kind_name
from lerum_flow.domain.calendar_law import ansvarsfrihet_by, arsredovisning_by, budget_by, delarsrapport_by
from lerum_flow.domain.styrkedja import Position, PositionKind, Styrkedja
from lerum_flow.domain.values import BeslutKind
from lerum_flow.styrmodell import Styrmodell
from lerum_flow.styrmodell.report_policy import (
    avvikelse_category,
    monthly_areas,
    monthly_deadline,
    monthly_reminder,
    report_reminder,
)
from lerum_flow.workflows.arshjul.models import CyclePlan, ReportStep
from lerum_flow.workflows.clock import end_of, start_of
from lerum_flow.workflows.mandatperiod.models import MandatPlan
from lerum_flow.workflows.models import DecisionStep, Moment, UppdragSpec
from lerum_flow.workflows.organ_steps import organ_steps
from lerum_flow.workflows.uppfoljning.models import FollowUpStep, Reporter


def request_moment(day: date) -> Moment:
    return Moment(on=day, at=start_of(day))


def deadline_moment(day: date) -> Moment:
    return Moment(on=day, at=end_of(day))


def plan_cycle(styrmodell: Styrmodell, budget_year: int, *, activity_timeout_seconds: int = 60) -> CyclePlan:
    """Every decision, follow-up and report of budget year N, from budget (N-1) to discharge (N+1)."""
    kalender = styrmodell.kalender
    chain = styrmodell.styrkedja()
    kf = _one_of_kind(chain, PositionKind.FULLMAKTIGE)
    ks = _one_of_kind(chain, PositionKind.STYRELSE)
    before, year, after = budget_year - 1, budget_year, budget_year + 1
    election = styrmodell.is_election_year(before)
    decisions = _budget_steps(styrmodell, kf, ks, before, election)
    for key, kind, last in (
        ("verksamhetsplan", BeslutKind.VERKSAMHETSPLAN, kalender.verksamhetsplan_senast),
        ("uppfoljningsplan", BeslutKind.UPPFOLJNINGSPLAN, kalender.uppfoljningsplan_senast),
    ):
        decisions.append(
            DecisionStep(
                key=key,
                name=f"{_document_name(styrmodell, kind)} {year}",
                kind=str(kind),
                organ=ks.id,
                organ_name=ks.name,
                not_before=date(before, 1, 1),
                deadline=deadline_moment(last.in_year(before)),
                responsible=ks.id,
                phase="planer",
            )
        )
    reports = _report_steps(styrmodell, year)
    decisions += organ_steps(styrmodell, chain, kf, ks, reports, year)
    discharge_by = ansvarsfrihet_by(kalender.ansvarsfrihet_senast.in_year(after))
    decisions.append(
        DecisionStep(
            key="ansvarsfrihet",
            name=f"Ansvarsfrihet för {year}",
            kind=str(BeslutKind.ANSVARSFRIHET),
            organ=kf.id,
            organ_name=kf.name,
            not_before=date(after, 1, 1),
            deadline=deadline_moment(discharge_by),
            responsible=kf.id,
            phase="ansvarsfrihet",
        )
    )
    return CyclePlan(
        kommunkod=styrmodell.kommun.kod,
        kommun=styrmodell.kommun.namn,
        budget_year=year,
        election_year=election,
        decisions=decisions,
        budget_uppdrag=UppdragSpec(
            giver=kf.id,
            recipient=ks.id,
            title=f"Budget {year}",
            description=f"{kf.name}s budget för {year} är {ks.name}s uppdrag; återrapporteras i "
            "delårsrapport och årsredovisning.",
            due=date(year, 12, 31),
            key=f"budget-{year}",
        ),
        budget_give_up=request_moment(date(year, 1, 1)),
        follow_ups=_follow_ups(styrmodell, chain, year),
        reports=reports,
        avvikelse_severity=styrmodell.severity_codes()[0],
        avvikelse_category=avvikelse_category(styrmodell),
        activity_timeout_seconds=activity_timeout_seconds,
    )


def plan_mandatperiod(
    styrmodell: Styrmodell, election_year: int, *, activity_timeout_seconds: int = 60
) -> MandatPlan:
    """The four years from the new KF's first day, and its Vilja och mål."""
    kalender = styrmodell.kalender
    chain = styrmodell.styrkedja()
    kf = _one_of_kind(chain, PositionKind.FULLMAKTIGE)
    ks = _one_of_kind(chain, PositionKind.STYRELSE)
    years = kalender.val.intervall_ar
    start = kalender.mandatperiod_borjar.in_year(election_year)
    end = kalender.mandatperiod_borjar.in_year(election_year + years)
    # Vilja och mål steers the budgets of the period: the new KF adopts it at
    # the latest by the first budget it prepares in full.
    goals_by = kalender.budget_senast.in_year(election_year + 1)
    label = f"{election_year}–{election_year + years}"
    return MandatPlan(
        kommunkod=styrmodell.kommun.kod,
        kommun=styrmodell.kommun.namn,
        election_year=election_year,
        period_start=request_moment(start),
        period_end=request_moment(end),
        vilja_och_mal=DecisionStep(
            key="vilja_och_mal",
            name=f"{_document_name(styrmodell, BeslutKind.VILJA_OCH_MAL)} {label}",
            kind=str(BeslutKind.VILJA_OCH_MAL),
            organ=kf.id,
            organ_name=kf.name,
            not_before=start,
            deadline=deadline_moment(goals_by),
            responsible=kf.id,
            phase="vilja_och_mal",
        ),
        goal_uppdrag=UppdragSpec(
            kind="mal",
            giver=kf.id,
            recipient=ks.id,
            title=f"Vilja och mål {label}",
            description=f"Mandatperiodens mål från {kf.name}, genom budgeten till {ks.name}.",
            due=end - timedelta(days=1),
            key=f"vilja-och-mal-{election_year}",
        ),
        anniversaries=[
            request_moment(kalender.mandatperiod_borjar.in_year(election_year + n)) for n in range(1, years)
        ],
        avvikelse_severity=styrmodell.severity_codes()[0],
        avvikelse_category=avvikelse_category(styrmodell),
        activity_timeout_seconds=activity_timeout_seconds,
    )


def _budget_steps(
    styrmodell: Styrmodell, kf: Position, ks: Position, before: int, election: bool
) -> list[DecisionStep]:
    kalender = styrmodell.kalender
    name = f"{_document_name(styrmodell, BeslutKind.BUDGET)} {before + 1}"
    regular = budget_by(kalender.budget_senast.in_year(before))
    newly_elected_from = kalender.mandatperiod_borjar.in_year(before)
    newly_elected_by = budget_by(kalender.budget_senast_valar.in_year(before))

    def step(key: str, title: str, not_before: date, by: date) -> DecisionStep:
        return DecisionStep(
            key=key,
            name=title,
            kind=str(BeslutKind.BUDGET),
            organ=kf.id,
            organ_name=kf.name,
            not_before=not_before,
            deadline=deadline_moment(by),
            responsible=ks.id,
            phase="budget",
            budget_year=before + 1,
        )

    if not election:
        return [step("budget", name, date(before, 1, 1), regular)]
    if regular >= newly_elected_from:
        # The budget already falls after the new KF takes office: one decision, by it.
        return [step("budget_nyvalt", f"{name} (nyvalt fullmäktige)", newly_elected_from, newly_elected_by)]
    return [
        step("budget", f"{name} (preliminär, valår)", date(before, 1, 1), regular),
        step("budget_nyvalt", f"{name} (nyvalt fullmäktige)", newly_elected_from, newly_elected_by),
    ]


def _follow_ups(styrmodell: Styrmodell, chain: Styrkedja, year: int) -> list[FollowUpStep]:
    kalender = styrmodell.kalender
    edges = []
    for led in kalender.uppfoljningsled:
        reporters = [
            p
            for p in chain
            if p.kind is led.fran and p.parent is not None and chain.position(p.parent).kind is led.till
        ]
        # Kinds established at run time (chefs) are not in the fixed chain; their
        # follow-up is not planned by the cycle.
        if reporters:
            depth = len(chain.ancestors(reporters[0].id))
            edges.append((depth, led, reporters))
    edges.sort(key=lambda edge: -edge[0])
    steps: list[FollowUpStep] = []
    for index, month in enumerate(kalender.uppfoljningsmanader):
        period = f"{year}-{month:02d}"
        for rank, (_, led, reporters) in enumerate(edges):
            # An edge is named by the kind that reports; two edges from one kind (a nämnd's
            # förvaltningschef to its nämnd, the kommundirektör to KS) by both kinds.
            shared = sum(other.fran is led.fran for _, other, _ in edges) > 1
            edge = f"{led.fran}-{led.till}" if shared else str(led.fran)
            edge_name = f"{led.fran} → {led.till}"
            areas = monthly_areas(index, led.omraden)
            deadline = monthly_deadline(year, month, rank, led.rapportdag)
            steps.append(
                FollowUpStep(
                    period=period,
                    led=edge,
                    led_name=edge_name,
                    request=request_moment(date(year, month, 1)),
                    remind=request_moment(monthly_reminder(deadline)),
                    deadline=deadline_moment(deadline),
                    reporters=[Reporter(position=r.id, reports_to=r.parent or "") for r in reporters],
                    areas=areas,
                )
            )
    return steps


def _report_steps(styrmodell: Styrmodell, year: int) -> list[ReportStep]:
    kalender = styrmodell.kalender
    annual_by = arsredovisning_by(kalender.arsredovisning_senast.in_year(year + 1))
    annual_from = date(year + 1, 1, 1)
    periods = kalender.interim_periods()
    ends = [p.slutar.in_year(year) for p in periods]
    # A report answers its period until the next period ends; the last one until the year does.
    answers_until = [*ends[1:], date(year, 12, 31)]
    steps = []
    for number, (period, period_end, until) in enumerate(zip(periods, ends, answers_until, strict=True), 1):
        interim_by = delarsrapport_by(period.rapport_senast.in_year(year), period_end)
        interim_from = period_end + timedelta(days=1)
        several = len(periods) > 1
        steps.append(
            ReportStep(
                # One period keeps the key and name it had when there could be only one.
                key="delarsrapport" if number == 1 else f"delarsrapport-{number}",
                name=f"Delårsrapport {number} {year}" if several else f"Delårsrapport {year}",
                period=f"delår {year} (till {period_end.isoformat()})",
                not_before=interim_from,
                request=request_moment(interim_from),
                remind=request_moment(report_reminder(interim_by)),
                deadline=deadline_moment(interim_by),
                phase="delarsrapport" if number == 1 else f"delarsrapport-{number}",
                not_after=until,
            )
        )
    return [
        *steps,
        ReportStep(
            key="arsredovisning",
            name=f"Årsredovisning {year}",
            period=f"helår {year}",
            not_before=annual_from,
            request=request_moment(annual_from),
            remind=request_moment(report_reminder(annual_by)),
            deadline=deadline_moment(annual_by),
            phase="arsredovisning",
        ),
    ]


def _one_of_kind(chain: Styrkedja, kind: PositionKind) -> Position:
    return next(p for p in chain if p.kind is kind)


def _document_name(styrmodell: Styrmodell, kind: BeslutKind) -> str:
    dokumenttyp = styrmodell.dokumenttyp_for(str(kind))
    return dokumenttyp.namn if dokumenttyp is not None else beslut_kind_name(kind)
