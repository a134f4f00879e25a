"""The workload generator: reproducible, in Lerum's proportions, and accepted by the application."""

from __future__ import annotations

from collections import Counter

import pytest
from unit.governance_world import MEMORY, governance

from lerum_flow.application import Governance
from lerum_flow.demo.profile import LERUM_MANDATE_EVENTS, Profile
from lerum_flow.demo.workload import Tally, generate, profile_for_events

# Each builds or replays a store of thousands of events: seconds, not milliseconds. The generator
# staffs its own organisation, so it starts from an empty store.
pytestmark = pytest.mark.slow

# A municipality one fiftieth of Lerum, over five budget years: a mandate change included.
SMALL = Profile.lerum(years=5).scaled(0.02)


def stored(app: Governance) -> list[tuple[object, int, str, bytes]]:
    notifications = app.recorder.select_notifications(start=1, limit=10**9)
    return [(n.originator_id, n.originator_version, n.topic, n.state) for n in notifications]


@pytest.fixture(scope="module")
def small() -> tuple[Governance, Tally]:
    app = governance(MEMORY, staffed=False)
    return app, generate(app, SMALL, seed=7)


def test_the_same_seed_records_the_same_events(small: tuple[Governance, Tally]) -> None:
    """Two generations with one seed store byte-identical events, ids and times included."""
    first, _ = small
    again = governance(MEMORY, staffed=False)
    generate(again, SMALL, seed=7)
    assert stored(again) == stored(first)


def test_another_seed_records_another_history(small: tuple[Governance, Tally]) -> None:
    """The seed is what varies the history, not something else such as the clock."""
    first, _ = small
    other = governance(MEMORY, staffed=False)
    generate(other, SMALL, seed=8)
    assert stored(other) != stored(first)


def test_the_application_accepts_every_command_it_is_given(small: tuple[Governance, Tally]) -> None:
    """No command is refused or taken for a retry: the history is valid by the engine's own rules."""
    _, tally = small
    assert tally.refused == Counter(), tally.first_refusal
    assert tally.already == 0
    assert tally.recorded == sum(tally.commands.values())
    # One event a command, but for the introduction of the register, which records its marker too.
    assert tally.events == tally.recorded + 1


def test_the_history_has_the_profiles_volumes(small: tuple[Governance, Tally]) -> None:
    """Uppdrag, deviations, decisions and organisation come in the numbers the profile asks for."""
    _, tally = small
    made = tally.recorded_by
    years = SMALL.years
    assert made["report_avvikelse"] == SMALL.deviations * years
    assert made["establish_befattning"] == SMALL.units + SMALL.employees
    assert made["issue_uppdrag"] == pytest.approx(SMALL.uppdrag * years, rel=0.1)
    organs = SMALL.political_decisions * years
    assert made["take_beslut"] == pytest.approx(organs + SMALL.delegated_decisions * years, rel=0.05)
    # Nearly every delegated decision is reported (anmält) to KS.
    share = made["report_beslut"] / (SMALL.delegated_decisions * years)
    assert 1 - 2 * SMALL.unreported_share < share <= 1.0
    # The first mandate's delegations, and those granted anew when the next begins.
    assert made["grant_delegering"] >= 2 * SMALL.delegations
    assert made["revoke_delegering"] >= SMALL.delegations


def test_delegated_decisions_and_their_anmalan_are_most_of_the_log(small: tuple[Governance, Tally]) -> None:
    """As in a real diarium: the delegationsbeslut and their anmälan outnumber everything else."""
    _, tally = small
    delegated = tally.recorded_by["report_beslut"] * 2
    assert 0.55 < delegated / tally.events < 0.8


def test_every_kind_of_command_occurs() -> None:
    """Returned reports, revisions, withdrawals, corrections, escalations: all are in a year's history."""
    tally = generate(governance(MEMORY, staffed=False), Profile.lerum(years=1).scaled(0.1))
    for method in (
        "return_report",
        "revise_uppdrag",
        "withdraw_uppdrag",
        "correct_beslut",
        "escalate_avvikelse",
        "assess_avvikelse",
        "complete_uppdrag",
        "close_avvikelse",
    ):
        assert tally.recorded_by[method] > 0, method


def test_the_history_runs_year_by_year() -> None:
    """The head at each year's end grows, so a prefix of the log is the municipality at that time."""
    app = governance(MEMORY, staffed=False)
    tally = generate(app, Profile.lerum(years=2).scaled(0.01))
    ends = [tally.year_ends[y] for y in sorted(tally.year_ends)]
    assert ends == sorted(ends)
    assert ends[-1] == tally.events


@pytest.mark.parametrize("events", [3_000, 12_000])
def test_events_scales_the_history_to_about_that_many_events(events: int) -> None:
    """`--events N` gives about N events, small histories with their large fixed part included."""
    app = governance(MEMORY, staffed=False)
    tally = generate(app, profile_for_events(app.styrmodell, events))
    assert tally.events == pytest.approx(events, rel=0.05)


def test_lerum_is_the_unscaled_profile() -> None:
    """The base profile is Lerum's mandate period; scaling by one changes nothing."""
    assert Profile.lerum().scaled(1.0) == Profile.lerum()
    assert Profile.for_events(LERUM_MANDATE_EVENTS) == Profile.lerum()
    assert Profile.lerum().units == 110
    assert Profile.lerum().political_decisions == 1_200
    assert Profile.lerum().delegations == 400


def test_a_tiny_profile_keeps_one_unit_per_sector_and_one_of_everything() -> None:
    """However small, every sector has a unit and the municipality keeps its shape."""
    tiny = Profile.lerum().scaled(0.0001)
    assert tiny.units == 5
    assert tiny.employees >= 2 * tiny.units
    assert min(tiny.political_decisions, tiny.delegated_decisions, tiny.uppdrag, tiny.deviations) >= 5
