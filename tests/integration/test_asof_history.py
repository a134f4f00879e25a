"""The as-of replay on a history whose recorded times and effective dates are both chosen.

Recorded times come from a clock the test sets before each command; effective
dates come from the commands. Each test asks one question on both time axes
and checks the exact answer, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from unit.governance_world import governance, send, staff, staffing_decisions

from lerum_flow.application import Governance, Outcome
from lerum_flow.projections.asof import AsOf, as_known, replay, replay_records
from lerum_flow.projections.authority import authority
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.registers import state_on
from lerum_flow.projections.store import Views, ViewStore
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell


class Clock:
    """The recorded time the application reads; the test moves it."""

    def __init__(self) -> None:
        self.now = datetime(2027, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class History:
    settings: Settings
    log: GovernanceLog
    budget: UUID
    uppdrag_to_ks: UUID
    uppdrag_to_director: UUID
    delegering: UUID
    delegated_beslut: UUID
    avvikelse: UUID
    # How `_views` answers: by the replay (the definition) or from the views' history tables.
    answer_by: str


def _at(
    app: Governance, clock: Clock, recorded: datetime, method: str, actor: str, **fields: object
) -> Outcome:
    clock.now = recorded
    return send(app, method, actor, **fields)


def _utc(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture(params=["replay", "history"])
def answer_by(request: pytest.FixtureRequest) -> str:
    """Each question answered by the replay (the definition) and by the views' history tables."""
    return str(request.param)


@pytest.fixture
def history(database_url: str, answer_by: str) -> Iterator[History]:
    """A year of governance recorded on chosen days (see each step's comment)."""
    settings = Settings(database_url=database_url)
    clock = Clock()
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"), clock=clock)
    # The people who act hold their positions, as recorded on the clock's first day.
    staff(app)
    # KF's budget, decided in June 2026 but registered in January with a wrong diarienummer.
    budget = _at(
        app,
        clock,
        _utc(2027, 1, 10),
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="budget",
        diarienummer="KF 2026/10",
        paragraf="§ 55",
        title="Budget 2027",
        decided_on=date(2026, 6, 15),
    ).id
    to_ks = _at(
        app,
        clock,
        _utc(2027, 1, 10),
        "issue_uppdrag",
        "kf",
        recipient="ks",
        title="Genomför budget 2027",
        origin_beslut_id=budget,
        issued_on=date(2027, 1, 1),
        due=date(2027, 12, 31),
    ).id
    _at(app, clock, _utc(2027, 2, 1), "accept_uppdrag", "ks", uppdrag_id=to_ks, on=date(2027, 1, 20))
    to_director = _at(
        app,
        clock,
        _utc(2027, 3, 5),
        "issue_uppdrag",
        "ks",
        recipient="kommundirektor",
        title="Verksamhetsplan 2027",
        parent_id=to_ks,
        issued_on=date(2027, 3, 1),
        due=date(2027, 6, 1),
    ).id
    ordning = _at(
        app,
        clock,
        _utc(2027, 1, 10),
        "take_beslut",
        "ks",
        decided_by="ks",
        kind="delegationsordning",
        diarienummer="KS 2026/200",
        paragraf="§ 120",
        title="Delegationsordning",
        decided_on=date(2026, 12, 10),
    ).id
    delegering = _at(
        app,
        clock,
        _utc(2027, 1, 10),
        "grant_delegering",
        "ks",
        delegates=["kommundirektor"],
        matter="upphandling",
        beslut_id=ordning,
        valid_from=date(2027, 1, 1),
    ).id
    # Decided under the delegation in March, reported (anmält) to KS in April.
    delegated = _at(
        app,
        clock,
        _utc(2027, 3, 2),
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2027/40",
        title="Avtal om städning",
        decided_on=date(2027, 3, 1),
        delegering_id=delegering,
    ).id
    _at(
        app,
        clock,
        _utc(2027, 4, 11),
        "report_beslut",
        "ks",
        beslut_id=delegated,
        reported_on=date(2027, 4, 10),
    )
    # A deviation at the director's, escalated to KS, closed in June.
    avvikelse = _at(
        app,
        clock,
        _utc(2027, 5, 3),
        "report_avvikelse",
        "larande",
        subject_kind="budgetomrade",
        subject_ref="forskola",
        severity="avvikelse",
        category="ekonomi",
        description="Underskott.",
        occurred_on=date(2027, 5, 2),
    ).id
    _at(
        app,
        clock,
        _utc(2027, 5, 10),
        "escalate_avvikelse",
        "kommundirektor",
        avvikelse_id=avvikelse,
        on=date(2027, 5, 10),
    )
    _at(
        app,
        clock,
        _utc(2027, 5, 12),
        "acknowledge_avvikelse",
        "ks",
        avvikelse_id=avvikelse,
        on=date(2027, 5, 12),
    )
    _at(
        app,
        clock,
        _utc(2027, 6, 15),
        "close_avvikelse",
        "ks",
        avvikelse_id=avvikelse,
        on=date(2027, 6, 15),
        resolution="Ny plan.",
    )
    # KS reports on KF's uppdrag in July.
    _at(
        app,
        clock,
        _utc(2027, 7, 15),
        "report_uppdrag",
        "ks",
        uppdrag_id=to_ks,
        on=date(2027, 7, 10),
        assessment="delvis",
        text="Delvis uppfyllt.",
    )
    # In August it is recorded that the delegation was revoked from 1 June.
    _at(
        app,
        clock,
        _utc(2027, 8, 20),
        "revoke_delegering",
        "ks",
        delegering_id=delegering,
        reason="Ny delegationsordning.",
        valid_from=date(2027, 6, 1),
    )
    # In September the budget's diarienummer is corrected.
    _at(
        app,
        clock,
        _utc(2027, 9, 5),
        "correct_beslut",
        "kf",
        beslut_id=budget,
        diarienummer="KF 2026/11",
        paragraf="§ 55",
        title="Budget 2027",
        reason="Fel diarienummer.",
        corrected_on=date(2027, 9, 5),
    )
    app.close()
    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        yield History(settings, log, budget, to_ks, to_director, delegering, delegated, avvikelse, answer_by)
    finally:
        log.close()


@contextmanager
def _views(history: History, on: date, known_on: date | None = None) -> Iterator[Views]:
    if history.answer_by == "history":
        live = ViewStore.open(history.settings)
        try:
            live.projector().catch_up()
            yield as_known(live.views, AsOf(on, known_on))
        finally:
            live.close()
        return
    store = replay(history.log, AsOf(on, known_on))
    try:
        yield store.views
    finally:
        store.close()


def test_as_of_shows_the_status_in_effect_on_the_day(history: History) -> None:
    """An uppdrag reported on 10 July is accepted but not reported on 30 June, reported on 31 July."""
    with _views(history, date(2027, 6, 30)) as views:
        before = views.uppdrag.select(UppdragRow, id=history.uppdrag_to_ks)[0]
        assert (before.status, before.assessment, before.reports) == ("mottaget", "", 0)
    with _views(history, date(2027, 7, 31)) as views:
        after = views.uppdrag.select(UppdragRow, id=history.uppdrag_to_ks)[0]
        assert (after.status, after.assessment, after.reports) == ("rapporterat", "delvis", 1)


def test_as_of_leaves_out_what_had_not_yet_taken_effect(history: History) -> None:
    """On 28 February the director's uppdrag (issued 1 March) does not exist yet."""
    with _views(history, date(2027, 2, 28)) as views:
        ids = {u.id for u in views.uppdrag.select(UppdragRow)}
        assert ids == {history.uppdrag_to_ks}


def test_state_on_counts_an_uppdrag_overdue_only_after_its_due_date(history: History) -> None:
    """The director's uppdrag, due 1 June and never reported, is overdue on 30 June, not on 31 May."""
    with _views(history, date(2027, 5, 31)) as views:
        assert state_on(views, date(2027, 5, 31)).overdue_uppdrag == []
    with _views(history, date(2027, 6, 30)) as views:
        overdue = state_on(views, date(2027, 6, 30)).overdue_uppdrag
        assert [u.id for u in overdue] == [history.uppdrag_to_director]


def test_known_on_before_a_retroactive_revocation_shows_the_delegation_in_force(history: History) -> None:
    """On 1 July, as known on 1 August, the delegation was in force; as known now it ended on 1 June."""
    with _views(history, date(2027, 7, 1), known_on=date(2027, 8, 1)) as views:
        then = state_on(views, date(2027, 7, 1))
        assert [e.delegering.id for e in then.delegeringar] == [history.delegering]
    with _views(history, date(2027, 7, 1)) as views:
        now = state_on(views, date(2027, 7, 1))
        assert now.delegeringar == []
        row = views.delegering.select(DelegeringRow, id=history.delegering)[0]
        assert row.valid_until == date(2027, 6, 1)


def test_known_on_the_day_of_recording_includes_that_days_events(history: History) -> None:
    """The revocation recorded on 20 August is known on 20 August (the whole Swedish day counts)."""
    with _views(history, date(2027, 7, 1), known_on=date(2027, 8, 20)) as views:
        assert state_on(views, date(2027, 7, 1)).delegeringar == []
    with _views(history, date(2027, 7, 1), known_on=date(2027, 8, 19)) as views:
        assert len(state_on(views, date(2027, 7, 1)).delegeringar) == 1


def test_a_correction_applies_to_the_past_once_it_is_known(history: History) -> None:
    """The September correction shows in the state of 30 June as known now."""
    with _views(history, date(2027, 6, 30)) as views:
        budget = views.beslut.select(BeslutRow, id=history.budget)[0]
        assert (budget.diarienummer, budget.corrections) == ("KF 2026/11", 1)


def test_known_on_before_a_correction_shows_the_uncorrected_fact(history: History) -> None:
    """As known on 1 September, the budget still had its first diarienummer."""
    with _views(history, date(2027, 6, 30), known_on=date(2027, 9, 1)) as views:
        budget = views.beslut.select(BeslutRow, id=history.budget)[0]
        assert (budget.diarienummer, budget.corrections) == ("KF 2026/10", 0)


def test_known_on_before_anything_was_recorded_shows_nothing(history: History) -> None:
    """Before the first registration (10 January) nothing was known, even of 2026's decisions: only
    the decisions on who holds which position, recorded when the store was staffed."""
    with _views(history, date(2027, 6, 30), known_on=date(2027, 1, 9)) as views:
        state = state_on(views, date(2027, 6, 30))
        assert (state.uppdrag, state.delegeringar, state.avvikelser) == ([], [], [])
        assert [b.id for b in state.beslut] == staffing_decisions(governance(staffed=False))


def test_a_delegated_decision_awaits_anmalan_until_it_is_reported(history: History) -> None:
    """The decision of 1 March is unreported on 31 March and reported on 30 April."""
    with _views(history, date(2027, 3, 31)) as views:
        assert [b.id for b in state_on(views, date(2027, 3, 31)).unreported_beslut] == [
            history.delegated_beslut
        ]
    with _views(history, date(2027, 4, 30)) as views:
        assert state_on(views, date(2027, 4, 30)).unreported_beslut == []


def test_as_of_follows_a_deviation_up_the_levels_until_it_is_closed(history: History) -> None:
    """At the director's on 5 May, at KS on 20 May, closed (not open) on 30 June."""
    expected = {date(2027, 5, 5): "kommundirektor", date(2027, 5, 20): "ks"}
    for day, level in expected.items():
        with _views(history, day) as views:
            [open_one] = state_on(views, day).avvikelser
            assert (open_one.id, open_one.level) == (history.avvikelse, level)
    with _views(history, date(2027, 6, 30)) as views:
        assert state_on(views, date(2027, 6, 30)).avvikelser == []


def test_replaying_one_mandate_gives_the_same_rows_as_the_whole_replay(history: History) -> None:
    """The director's uppdrag and its chain, replayed alone, equal their rows in the whole replay."""
    as_of = AsOf(date(2027, 7, 31), known_on=date(2027, 9, 1))
    whole = replay(history.log, as_of)
    alone = replay_records(history.log, as_of, [history.uppdrag_to_director])
    try:
        chain = {history.uppdrag_to_director, history.uppdrag_to_ks}
        assert alone.views.uppdrag.select(UppdragRow) == whole.views.uppdrag.select(
            UppdragRow, id=tuple(chain)
        )
        assert alone.views.beslut.select(BeslutRow) == whole.views.beslut.select(BeslutRow, id=history.budget)
    finally:
        whole.close()
        alone.close()


def test_authority_on_a_day_follows_what_was_known_then(history: History) -> None:
    """On 1 July the director held upphandling by delegation as known on 1 August, not as known now."""
    holders = {a.kod: a.innehavare for a in default_styrmodell().beslutsomraden}
    for known_on, expected in ((date(2027, 8, 1), ["upphandling"]), (None, [])):
        with _views(history, date(2027, 7, 1), known_on=known_on) as views:
            found = authority(views, "kommundirektor", on=date(2027, 7, 1), holders=holders, root="kf")
            assert [a.matter for a in found] == expected
            assert all(a.valid and a.organ == "ks" for a in found)
