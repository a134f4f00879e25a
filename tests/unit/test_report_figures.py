"""A report's figures equal a count over the events of the same history, made here independently.

Hypothesis draws a history of uppdrag (among them the monthly follow-up's), avvikelser and delegated
decisions on
days through 2027 (each step tried through the application; a refused one
records nothing and is skipped) and a day to read it as of. The test folds
the log's events itself, with its own map of the chain, and compares.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unit.governance_world import CHEF, SECTOR, World, governance, seed, send

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.projections.asof import AsOf
from lerum_flow.reports.contents import Contents, contents_of
from lerum_flow.reports.figures.delegation import DelegationLine, delegation_lines
from lerum_flow.reports.gather import gather
from lerum_flow.reports.period import annual_period
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.starter import plan_of_budget_year

pytestmark = [pytest.mark.property, pytest.mark.slow]

FIRST_DAY = date(2027, 3, 2)
# The follow-ups of 2027 whose months the history can reach.
FOLLOW_UPS = [f for f in plan_of_budget_year(default_styrmodell(), 2027).follow_ups if f.period >= "2027-03"]
# The test's own map of where the positions it uses stand: (level, sector).
PLACES = {
    "kf": ("fullmaktige", ""),
    "ks": ("styrelse", ""),
    "kommundirektor": ("forvaltningschef", ""),
    SECTOR: ("sektorschef", SECTOR),
    CHEF: ("chef", SECTOR),
}
# The other sectors' heads, whom the monthly follow-up asks for reports too.
PLACES |= {
    p.id: ("sektorschef", p.id)
    for p in default_styrmodell().styrkedja()
    if p.kind is PositionKind.SEKTORSCHEF and p.id not in PLACES
}
EDGES = (("kf", "ks"), ("ks", "kommundirektor"), ("kommundirektor", SECTOR), (SECTOR, CHEF))
ASSESSMENTS = ("uppfyllt", "delvis", "ej_uppfyllt")
CATEGORIES = ("ekonomi", "verksamhet", "kvalitet")
SEVERITIES = ("avvikelse", "storre")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2027, 3, 1, 8, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Made:
    uppdrag: list[tuple[UUID, str, str]]  # id, giver, recipient
    avvikelser: list[UUID]
    beslut: list[tuple[UUID, str]]  # id, delegate
    monthly: dict[UUID, str] = field(default_factory=dict)  # the follow-up's uppdrag: id, recipient


step = st.tuples(
    st.integers(0, 300),  # days after FIRST_DAY
    st.integers(0, 23),  # hour the step is recorded
    st.sampled_from(
        [
            *("issue", "accept", "report", "accept_report", "return", "complete", "withdraw"),
            *("avvikelse", "escalate", "acknowledge", "act", "close", "delegated", "anmal"),
            # Weighted: a month counts once its follow-up is issued and then answered.
            *("monthly", "monthly_reports") * 3,
        ]
    ),
    st.integers(0, 50),  # which record
    st.integers(0, 10),  # a choice within the step
)


def _try(app: Governance, method: str, actor: str, **fields: Any) -> UUID | None:
    try:
        return send(app, method, actor, **fields).id
    except Refusal:
        return None


def _run(app: Governance, clock: Clock, world: World, steps: list[tuple[int, int, str, int, int]]) -> None:
    made = Made([(world.kf_uppdrag_to_ks, "kf", "ks")], [world.avvikelse], [])
    for offset, hour, action, which, choice in sorted(steps):
        day = FIRST_DAY + timedelta(days=offset)
        clock.now = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)
        _step(app, world, made, day, action, which, choice)


def _step(app: Governance, world: World, made: Made, day: date, action: str, which: int, choice: int) -> None:
    if action == "monthly":
        # A month's follow-up on one edge asks every reporter for every area, as its workflow does.
        follow_up = FOLLOW_UPS[which % len(FOLLOW_UPS)]
        for request in follow_up.requests:
            found = _try(
                app,
                "issue_uppdrag",
                request.giver,
                recipient=request.recipient,
                title=request.title,
                issued_on=day,
                due=follow_up.deadline.on,
                origin_beslut_id=world.budget,
            )
            if found:
                made.monthly[found] = request.recipient
                made.uppdrag.append((found, request.giver, request.recipient))
        return
    if action == "monthly_reports":
        # The reporters answer the follow-up's uppdrag, all but one when `choice` is 0.
        answering = sorted(made.monthly.items())[: len(made.monthly) - (choice == 0)]
        for uppdrag_id, recipient in answering:
            _try(app, "accept_uppdrag", recipient, uppdrag_id=uppdrag_id, on=day)
            _try(
                app,
                "report_uppdrag",
                recipient,
                uppdrag_id=uppdrag_id,
                assessment=ASSESSMENTS[which % 3],
                text="Månadsrapport",
                period=f"2027-{day.month:02d}",
                on=day,
            )
        return
    if action == "issue":
        giver, recipient = EDGES[choice % len(EDGES)]
        parents = [u for u, _, r in made.uppdrag if r == giver]
        parent = parents[which % len(parents)] if parents and giver != "kf" else None
        extra: dict[str, Any] = {"parent_id": parent} if parent else {"origin_beslut_id": world.budget}
        if giver != "kf" and parent is None:
            return
        found = _try(
            app,
            "issue_uppdrag",
            giver,
            recipient=recipient,
            title=f"Uppdrag {len(made.uppdrag)}",
            issued_on=day,
            due=day + timedelta(days=10 * choice + 5),
            kind="mal" if choice % 3 == 0 else "uppdrag",
            **extra,
        )
        if found:
            made.uppdrag.append((found, giver, recipient))
        return
    if action in ("accept", "report", "accept_report", "return", "complete", "withdraw"):
        uppdrag_id, giver, recipient = made.uppdrag[which % len(made.uppdrag)]
        if action == "accept":
            _try(app, "accept_uppdrag", recipient, uppdrag_id=uppdrag_id, on=day)
        elif action == "report":
            _try(
                app,
                "report_uppdrag",
                recipient,
                uppdrag_id=uppdrag_id,
                assessment=ASSESSMENTS[choice % 3],
                text=f"Rapport {choice}",
                period=f"2027-{day.month:02d}",
                on=day,
            )
        elif action == "accept_report":
            _try(app, "accept_report", giver, uppdrag_id=uppdrag_id, comment="Bra", on=day)
        elif action == "return":
            _try(app, "return_report", giver, uppdrag_id=uppdrag_id, reason="Komplettera", on=day)
        elif action == "complete":
            _try(app, "complete_uppdrag", giver, uppdrag_id=uppdrag_id, comment="Klart", on=day)
        else:
            _try(app, "withdraw_uppdrag", giver, uppdrag_id=uppdrag_id, reason="Inte längre", on=day)
        return
    if action == "avvikelse":
        found = _try(
            app,
            "report_avvikelse",
            CHEF if choice % 2 else SECTOR,
            subject_kind="handelse",
            subject_ref="h",
            severity=SEVERITIES[which % 2] if choice > 7 else "avvikelse",
            category=CATEGORIES[which % 3],
            description="Händelse",
            occurred_on=day,
        )
        if found:
            made.avvikelser.append(found)
        return
    if action in ("escalate", "acknowledge", "act", "close"):
        avvikelse_id = made.avvikelser[which % len(made.avvikelser)]
        level = app.get_record(avvikelse_id).level  # type: ignore[attr-defined]
        if action == "escalate":
            _try(app, "escalate_avvikelse", level, avvikelse_id=avvikelse_id, on=day)
        elif action == "acknowledge":
            _try(app, "acknowledge_avvikelse", level, avvikelse_id=avvikelse_id, on=day)
        elif action == "act":
            _try(app, "decide_action", level, avvikelse_id=avvikelse_id, action="Åtgärd", on=day)
        else:
            _try(app, "close_avvikelse", level, avvikelse_id=avvikelse_id, resolution="Löst", on=day)
        return
    if action == "delegated":
        delegate, delegering = (
            ("kommundirektor", world.delegering) if choice % 2 else (SECTOR, world.vidaredelegering)
        )
        found = _try(
            app,
            "take_beslut",
            delegate,
            decided_by=delegate,
            kind="ovrigt",
            diarienummer=f"KS 2027/{which}{choice}{day.toordinal()}",
            title="Avtal",
            decided_on=day,
            delegering_id=delegering,
            matter="upphandling",
        )
        if found:
            made.beslut.append((found, delegate))
        return
    if action == "anmal" and made.beslut:
        beslut_id, delegate = made.beslut[which % len(made.beslut)]
        organ = "ks" if delegate == "kommundirektor" else "kommundirektor"
        _try(app, "report_beslut", organ, beslut_id=beslut_id, reported_on=day)


def _events(app: Governance, as_of: AsOf) -> Iterator[Any]:
    for page in app.pages():
        for notification in page.notifications:
            event = app.to_event(notification)
            if as_of.includes(event):
                yield event


@dataclass
class Folded:
    """The test's own reading of the log: each record's state from its events."""

    uppdrag: dict[UUID, dict[str, Any]]
    avvikelser: dict[UUID, dict[str, Any]]
    beslut: dict[UUID, dict[str, Any]]


def _fold(app: Governance, as_of: AsOf) -> Folded:
    folded = Folded({}, {}, {})
    for e in _events(app, as_of):
        if isinstance(e, Uppdrag.Issued):
            folded.uppdrag[e.originator_id] = {
                "recipient": e.recipient,
                "giver": e.giver,
                "title": e.title,
                "parent": e.parent_id,
                "issued_on": e.effective_on,
                "due": e.due,
                "status": "issued",
                "accepted": False,
                "reports": [],
            }
        elif isinstance(e, Uppdrag.Event) and e.originator_id in folded.uppdrag:
            u = folded.uppdrag[e.originator_id]
            name = type(e).__name__
            if name == "Revised":
                u["due"] = e.due  # type: ignore[attr-defined]
                u["title"] = e.title  # type: ignore[attr-defined]
                continue
            u["status"] = name
            u["accepted"] = u["accepted"] or name == "Accepted"
            if isinstance(e, Uppdrag.Reported):
                u["reports"].append((e.effective_on, e.originator_version, e.assessment))
        elif isinstance(e, Avvikelse.Reported):
            folded.avvikelser[e.originator_id] = {
                "occurred_on": e.effective_on,
                "reporter": e.actor,
                "category": e.category,
                "severity": e.severity,
                "events": [e],
            }
        elif isinstance(e, Avvikelse.Event) and e.originator_id in folded.avvikelser:
            a = folded.avvikelser[e.originator_id]
            a["events"].append(e)
            if isinstance(e, Avvikelse.Assessed):
                a["severity"] = e.severity
        elif isinstance(e, Beslut.Taken) and e.delegering_id is not None:
            folded.beslut[e.originator_id] = {
                "by": e.decided_by,
                "matter": e.matter,
                "on": e.effective_on,
                "anmalt": False,
            }
        elif isinstance(e, Beslut.Reported) and e.originator_id in folded.beslut:
            folded.beslut[e.originator_id]["anmalt"] = True
    return folded


def _check_uppdrag(contents: Contents, folded: Folded, on: date) -> None:
    start = date(2027, 1, 1)
    expected: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for u in folded.uppdrag.values():
        if not start <= u["issued_on"] <= on:
            continue
        counts = expected[PLACES[u["recipient"]]]
        counts["given"] += 1
        withdrawn = u["status"] == "Withdrawn"
        counts["accepted"] += u["accepted"] and not withdrawn
        counts["reported"] += bool(u["reports"])
        counts["completed"] += u["status"] == "Completed"
        counts["withdrawn"] += withdrawn
        awaiting = u["status"] in ("issued", "Accepted", "ReportReturned")
        counts["late"] += u["due"] is not None and u["due"] < on and awaiting
    got = {
        (line.level, line.sector): Counter(
            {
                k: getattr(line, k).value
                for k in ("given", "accepted", "reported", "completed", "withdrawn", "late")
            }
        )
        for line in contents.uppdrag
    }
    assert {k: +v for k, v in got.items()} == {k: +v for k, v in expected.items()}


def _check_goals(contents: Contents, folded: Folded, on: date) -> None:
    def under_kf(uppdrag_id: UUID | None) -> bool:
        while uppdrag_id is not None:
            u = folded.uppdrag[uppdrag_id]
            if u["parent"] is None:
                return bool(u["giver"] == "kf")
            uppdrag_id = u["parent"]
        return False

    expected = {
        i: (max(u["reports"])[2] if u["reports"] else "")
        for i, u in folded.uppdrag.items()
        if under_kf(i) and (u["due"] is None or u["due"] >= date(2027, 1, 1)) and u["issued_on"] <= on
    }
    assert {g.id: g.latest.code for g in contents.goals} == expected


def _check_avvikelser(contents: Contents, folded: Folded, on: date) -> None:
    rows = {i: a for i, a in folded.avvikelser.items() if date(2027, 1, 1) <= a["occurred_on"] <= on}
    by_category = Counter(a["category"] for a in rows.values())
    got = {line.category: line.total.value for line in contents.avvikelser.categories if line.total.value}
    assert got == dict(by_category)
    by_pair = Counter((a["category"], a["severity"]) for a in rows.values())
    severities = contents.avvikelser.severities
    got_pairs = {
        (line.category, severities[n]): c.value
        for line in contents.avvikelser.categories
        for n, c in enumerate(line.by_severity)
        if c.value
    }
    assert got_pairs == dict(by_pair)
    closed = {i for i, a in rows.items() if any(isinstance(e, Avvikelse.Closed) for e in a["events"])}
    acted = {i for i, a in rows.items() if any(isinstance(e, Avvikelse.ActionDecided) for e in a["events"])}
    closure = contents.avvikelser.closure
    assert (closure.with_action.value, closure.without_action.value, closure.open.value) == (
        len(closed & acted),
        len(closed - acted),
        len(set(rows) - closed),
    )
    # Hours to acknowledge, per level: from arriving at a level to its first acknowledgement there.
    waits: dict[str, list[float]] = defaultdict(list)
    reached: dict[str, set[UUID]] = defaultdict(set)
    for i, a in rows.items():
        level, since, done = "", a["events"][0].timestamp, False
        for e in a["events"]:
            if isinstance(e, (Avvikelse.Reported, Avvikelse.Escalated)):
                level = e.level if isinstance(e, Avvikelse.Reported) else e.to_level
                since, done = e.timestamp, False
                reached[_level(level)].add(i)
            elif isinstance(e, Avvikelse.Acknowledged) and not done:
                waits[_level(level)].append((e.timestamp - since).total_seconds() / 3600)
                done = True
    for line in contents.avvikelser.acknowledgement:
        assert line.reached.value == len(reached[line.level])
        expected = statistics.median(waits[line.level]) if waits[line.level] else None
        assert line.median_hours == expected
    assert {line.level for line in contents.avvikelser.acknowledgement} == set(reached)
    assert contents.avvikelser.reached.ks.value == len(reached["styrelse"])


def _level(code: str) -> str:
    return PLACES[code][0] if code in PLACES else "okand"


def _check_delegation(lines: list[DelegationLine], folded: Folded, on: date) -> None:
    expected: dict[tuple[str, str], tuple[int, int]] = {}
    for b in folded.beslut.values():
        if date(2027, 1, 1) <= b["on"] <= on:
            taken, reported = expected.get((b["by"], b["matter"]), (0, 0))
            expected[(b["by"], b["matter"])] = (taken + 1, reported + b["anmalt"])
    got = {(line.delegate, line.matter): (line.taken.value, line.reported.value) for line in lines}
    assert got == expected


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=5, max_size=60), on_offset=st.integers(0, 310))
def test_report_figures_equal_an_independent_count_over_the_events(
    steps: list[tuple[int, int, str, int, int]], on_offset: int
) -> None:
    """Uppdrag, måluppfyllelse, avvikelser and delegated decisions counted from the events agree."""
    clock = Clock()
    app = governance(clock=clock)
    world = seed(app)
    _run(app, clock, world, steps)
    on = FIRST_DAY + timedelta(days=on_offset)
    as_of = AsOf(on)
    record = gather(app, annual_period(2027), as_of, styrmodell=default_styrmodell())
    contents = contents_of(record)
    folded = _fold(app, as_of)
    _check_uppdrag(contents, folded, on)
    _check_goals(contents, folded, on)
    _check_avvikelser(contents, folded, on)
    _check_delegation(delegation_lines(record, per_position=True), folded, on)
    _check_deadlines(contents, folded, on)


def _check_deadlines(contents: Contents, folded: Folded, on: date) -> None:
    """Each month's follow-up of 2027 whose reports were asked for: in time when every report asked for
    was in by its deadline, late when the last came after it, missed or coming while one is not in."""
    expected = []
    for follow_up in plan_of_budget_year(default_styrmodell(), 2027).follow_ups:
        asked = []
        for request in follow_up.requests:
            issued = sorted(
                (u["issued_on"], i)
                for i, u in folded.uppdrag.items()
                if (u["giver"], u["recipient"], u["title"], u["parent"])
                == (request.giver, request.recipient, request.title, None)
            )
            if issued:
                asked.append(folded.uppdrag[issued[0][1]])
        if not asked:
            continue
        firsts = [min(r[0] for r in u["reports"]) if u["reports"] else None for u in asked]
        by = follow_up.deadline.on
        if len(asked) == len(follow_up.requests) and None not in firsts:
            last = max(d for d in firsts if d is not None)
            expected.append((by, "i tid" if last <= by else "för sent", last))
        else:
            expected.append((by, "missad" if by < on else "kommande", None))
    got = [
        (d.by, d.outcome.value, d.answered_on)
        for d in contents.deadlines
        if d.what.startswith("Månadsrapport")
    ]
    assert sorted(got) == sorted(expected)


def test_goals_are_listed_with_the_numbers_in_their_titles_compared_as_numbers() -> None:
    from lerum_flow.reports.figures.maluppfyllelse import reading_order

    titles = ["Utvecklingsuppdrag 10", "Utvecklingsuppdrag 2", "utvecklingsuppdrag 1", "Budget 2028"]
    assert sorted(titles, key=reading_order) == [
        "Budget 2028",
        "utvecklingsuppdrag 1",
        "Utvecklingsuppdrag 2",
        "Utvecklingsuppdrag 10",
    ]
