"""Who held a position, read from the förordnande view, is exactly what the walk of the log says.

Random histories of appointments, ends (some taking effect before the day they
are recorded), re-appointments after an end and refused overlaps, recorded on
chosen days (late, out of order, across midnight in Swedish time). The walk
(`Appointments.holders`, `held_by`, `register`) is the definition; the view is
asked every (day, known on) that can change an answer, and the day before it,
whether it followed the log command by command or was rebuilt in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from integration.walk_oracle import WALK_EXAMPLES, answer_days, store_settings
from postgres_server import PgServer
from unit.governance_world import STAFFED_FROM, governance, person_of, send

from lerum_flow.application import Governance
from lerum_flow.domain.errors import Refusal
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.projections.store import ViewStore
from lerum_flow.view_lookups import ViewHoldings

DIRECTOR = "kommundirektor"
POSITIONS = ("larande", "samhallsbyggnad")
PEOPLE = ("p-a", "p-b")
START = datetime(2027, 1, 1, 8, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    appoint: bool
    position: int
    person: int
    # Days the clock moves and the hour of the day (UTC) it is recorded at.
    moved: int
    hour: int
    # The first day (appointing) or the last day (ending), from the clock's day.
    offset: int
    # How long an appointment lasts; None: until further notice.
    length: int | None


steps = st.lists(
    st.builds(
        Step,
        appoint=st.booleans(),
        position=st.integers(0, len(POSITIONS) - 1),
        person=st.integers(0, len(PEOPLE) - 1),
        moved=st.integers(0, 30),
        hour=st.integers(0, 23),
        offset=st.integers(-40, 40),
        length=st.one_of(st.none(), st.integers(0, 90)),
    ),
    min_size=1,
    max_size=16,
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _command(step: Step, today: date) -> tuple[str, dict[str, Any]]:
    position, person = POSITIONS[step.position], PEOPLE[step.person]
    day = max(STAFFED_FROM, today + timedelta(days=step.offset))
    if step.appoint:
        until = None if step.length is None else day + timedelta(days=step.length)
        fields = {"valid_from": day, "valid_until": until, "role": ("", "tillforordnad")[step.person]}
        return "appoint", {"position": position, "appointee": person, "decided_on": today, **fields}
    return "end_forordnande", {
        "position": position,
        "appointee": person,
        "valid_until": day,
        "reason": "Ny tjänst.",
        "decided_on": today,
    }


def _record(app: Governance, clock: Clock, history: list[Step], follow: ViewStore) -> None:
    for step in history:
        # Never back: the walk folds each record's events as known by a moment, in order.
        moved = (clock.now + timedelta(days=step.moved)).replace(hour=step.hour)
        clock.now = max(moved, clock.now + timedelta(minutes=1))
        method, fields = _command(step, clock.now.astimezone(MUNICIPAL_TIME).date())
        try:
            send(app, method, DIRECTOR, **fields)
        except Refusal:
            continue
        follow.projector(page_size=2).catch_up()
    follow.projector().catch_up()  # the world's staffing, when every step was refused


def _answers(app: Governance, holdings: ViewHoldings, on: date, known_on: date | None) -> tuple[Any, Any]:
    """What the walk and the view say of every position and person of the history, that day."""
    known_until = AsOf(on, known_on).known_until
    people = (*PEOPLE, person_of(DIRECTOR))
    walk = [app.holders(p, on, known_until=known_until) for p in (*POSITIONS, DIRECTOR)]
    walk += [app.held_by(p, on, known_until=known_until) for p in people]
    view = [holdings.holders(p, on, known_on) for p in (*POSITIONS, DIRECTOR)]
    view += [holdings.held_by(p, on, known_on) for p in people]
    return walk, view


@pytest.mark.property
@WALK_EXAMPLES
@given(history=steps)
def test_the_view_names_every_holder_on_every_day_as_known_on_every_day_as_the_walk(
    history: list[Step], server: PgServer | None, tmp_path: Path
) -> None:
    with store_settings(tmp_path, server, prefix="wp_holders") as settings_:
        clock = Clock()
        app = governance(settings_.eventsourcing_env("governance"), clock)
        follow = ViewStore.open(settings_, names=(ForordnandeProjection.name,))
        try:
            _record(app, clock, history, follow)
            holdings = ViewHoldings(follow.projection(ForordnandeProjection).view)
            effective, known = answer_days(app)
            for built in ("followed", "rebuilt"):
                if built == "rebuilt":
                    follow.projector().rebuild()
                for known_on in [*known, None]:
                    for on in effective:
                        walk, view = _answers(app, holdings, on, known_on)
                        assert view == walk, (built, on, known_on)
                assert list(holdings.register()) == list(app.register()), built
        finally:
            follow.close()
            app.close()
