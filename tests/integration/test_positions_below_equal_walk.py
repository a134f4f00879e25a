"""The positions below one, read from the befattning view, are exactly what the walk of the log says;
so is the day each position was established from, as known on a day.

Random histories of positions established (under a sector or under one another,
some dated before the day they are recorded) and discontinued (through the
aggregate, so that a history may leave positions below a discontinued one, which
`Governance.discontinue_befattning` refuses), recorded on chosen days (late,
out of order, across midnight in Swedish time). The walk
(`unit.positions_below_oracle.positions_below_by_walk`) is the definition; the view is asked
on every (day, known on) that can change an answer, and the day before each,
whether it followed the log command by command or was rebuilt in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError
from hypothesis import given
from hypothesis import strategies as st
from integration.walk_oracle import WALK_EXAMPLES, answer_days, store_settings
from postgres_server import PgServer
from unit.governance_world import STAFFED_FROM, governance, person_of, send
from unit.positions_below_oracle import positions_below_by_walk

from lerum_flow.application import Governance
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.befattning import Befattning, befattning_id
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.values import Actor
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.projections.befattning import BefattningProjection
from lerum_flow.projections.store import ViewStore
from lerum_flow.view_lookups import ViewPositions

DIRECTOR = "kommundirektor"
SECTORS = ("larande", "samhallsbyggnad")
# Chefer, then medarbetare: a position may be placed under a sector or a chef before it in the list.
CHEFS = ("e-a", "e-b", "e-c")
CODES = (*CHEFS, "e-d", "e-e", "e-f")
# Asked of every (day, known on): the director, the sectors and every position of the history.
ASKED = (DIRECTOR, *SECTORS, *CODES)
START = datetime(2027, 1, 1, 8, tzinfo=UTC)


BEFATTNING_TOPICS = [Befattning.Established.TOPIC, Befattning.Discontinued.TOPIC]


@dataclass(frozen=True)
class Step:
    establish: bool
    code: int
    # Which of the sectors and the chefs before `code` it is placed under (modulo their number).
    parent: int
    # Days the clock moves and the hour of the day (UTC) it is recorded at.
    moved: int
    hour: int
    # The day it is established or discontinued on, from the clock's day.
    offset: int


steps = st.lists(
    st.builds(
        Step,
        establish=st.sampled_from((True, True, False)),
        code=st.integers(0, len(CODES) - 1),
        parent=st.integers(0, len(CODES)),
        moved=st.integers(0, 30),
        hour=st.integers(0, 23),
        offset=st.integers(-40, 40),
    ),
    min_size=3,
    max_size=14,
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _establish(app: Governance, step: Step, day: date) -> None:
    """Placed under a sector or an earlier chef, perhaps one not established (yet), or discontinued."""
    code = CODES[step.code]
    parents = (*SECTORS, *CHEFS[: step.code])
    send(
        app,
        "establish_befattning",
        DIRECTOR,
        code=code,
        name=f"Befattning {code}",
        kind="chef" if code in CHEFS else "medarbetare",
        parent=parents[step.parent % len(parents)],
        established_on=day,
    )


def _discontinue(app: Governance, clock: Clock, step: Step, day: date) -> None:
    """Through the aggregate: the record's own rule refuses a second discontinuation or an earlier day."""
    try:
        befattning: Befattning = app.repository.get(befattning_id(CODES[step.code]))
    except AggregateNotFoundError:
        return
    stamp = Stamp(uuid4(), Actor(DIRECTOR, person_of(DIRECTOR)), clock.now, day)
    befattning.discontinue(stamp, reason="Enheten läggs ned.")
    app.save(befattning)


def _record(app: Governance, clock: Clock, history: list[Step], follow: ViewStore) -> None:
    for step in history:
        moved = (clock.now + timedelta(days=step.moved)).replace(hour=step.hour)
        clock.now = max(moved, clock.now + timedelta(minutes=1))
        day = max(STAFFED_FROM, clock.now.astimezone(MUNICIPAL_TIME).date() + timedelta(days=step.offset))
        try:
            if step.establish:
                _establish(app, step, day)
            else:
                _discontinue(app, clock, step, day)
        except Refusal:
            continue
        follow.projector(page_size=2).catch_up()
    follow.projector().catch_up()


def _established_by_walk(app: Governance, code: str, known_on: date | None) -> date | None:
    """The day `code` was established from, as known by the end of `known_on`: its first event, if
    recorded by then."""
    events = app.events_of(befattning_id(code), limit=1)
    if not events:
        return None
    first = events[0]
    recorded = first.timestamp.astimezone(MUNICIPAL_TIME).date()
    return first.effective_on if known_on is None or recorded <= known_on else None


@pytest.mark.property
@WALK_EXAMPLES
@given(history=steps)
def test_the_view_names_every_position_below_on_every_day_as_known_on_every_day_as_the_walk(
    history: list[Step], server: PgServer | None, tmp_path: Path
) -> None:
    with store_settings(tmp_path, server, prefix="wp_positions") as settings_:
        clock = Clock()
        app = governance(settings_.eventsourcing_env("governance"), clock)
        follow = ViewStore.open(settings_, names=(BefattningProjection.name,))
        try:
            _record(app, clock, history, follow)
            positions = ViewPositions(follow.projection(BefattningProjection).view)
            effective, known = answer_days(app, topics=BEFATTNING_TOPICS, also=[STAFFED_FROM])
            for built in ("followed", "rebuilt"):
                if built == "rebuilt":
                    follow.projector().rebuild()
                for known_on in [*known, None]:
                    for code in CODES:
                        walked = _established_by_walk(app, code, known_on)
                        assert positions.established_on(code, known_on) == walked, (built, code, known_on)
                    for on in effective:
                        for code in ASKED:
                            walk = positions_below_by_walk(app, code, on, known_on)
                            view = app.positions_below(code, on, known_on, established=positions)
                            assert view == walk, (built, code, on, known_on)
        finally:
            follow.close()
            app.close()
