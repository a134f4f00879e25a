"""The web's answers as of a day, as known on a day (the inbox, the deviation board, the decision
register), are read from the views' history: no notification of the log once the views are current,
where each request replayed the whole log before. The history holds the rows the replay builds
(test_history_equals_replay); here the answers say what was so on each day.

Counted as the events the views' log decodes: the replay decodes every event in effect on the day
(reading its pages with SQL of its own, `effective_pages`), the history none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from unit.governance_world import BUDGET_DAY, DAY, governance, issue_to_director, seed, send

from lerum_flow.municipal_time import municipal_today
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.web.api_avvikelse import read_board
from lerum_flow.web.reads import Moment, read_inbox
from lerum_flow.web.reads_registers import read_beslut
from lerum_flow.web.record import WebRecord


class CountingDecodes:
    """Counts the events a log's mapper decodes."""

    def __init__(self, mapper: Any) -> None:
        self.decoded = 0
        self._decode = mapper.to_domain_event
        mapper.to_domain_event = self

    def __call__(self, stored: Any) -> Any:
        self.decoded += 1
        return self._decode(stored)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """A store on SQLite, then on PostgreSQL."""
    return Settings(database_url=database_url)


def test_the_webs_answers_as_of_a_day_read_the_views_history_and_no_notification(settings: Settings) -> None:
    """The kommundirektör's uppdrag waits to be accepted before the day it was, and to be reported on
    after; the sector's deviation is on the board from the day it occurred; the register before the
    delegationsordning holds the budget, not it. All as known today, none reading the log."""
    app = governance(settings.eventsourcing_env("governance"))
    world = seed(app)
    uppdrag = issue_to_director(app, world).id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY + timedelta(days=10))
    record = WebRecord(settings, default_styrmodell())
    known = municipal_today()
    try:
        read_inbox(record, ["kommundirektor"], Moment(DAY, known))  # the views catch up
        with record.views() as store:
            reads = CountingDecodes(store.log.mapper)
        before = read_inbox(record, ["kommundirektor"], Moment(DAY + timedelta(days=5), known))
        after = read_inbox(record, ["kommundirektor"], Moment(DAY + timedelta(days=15), known))
        not_yet = read_board(record, Moment(DAY - timedelta(days=1), known), "", 50, 0)
        on_board = read_board(record, Moment(DAY + timedelta(days=5), known), "", 50, 0)
        register = read_beslut(record, Moment(BUDGET_DAY, known))
        decoded = reads.decoded
    finally:
        record.close()
        app.close()
    assert ([u.id for u in before.att_ta_emot], [u.id for u in before.att_aterrapportera]) == ([uppdrag], [])
    assert ([u.id for u in after.att_ta_emot], [u.id for u in after.att_aterrapportera]) == ([], [uppdrag])
    assert ([a.id for a in not_yet.avvikelser], [a.id for a in on_board.avvikelser]) == (
        [],
        [world.avvikelse],
    )
    registered = {b.id for b in register.beslut}
    assert (world.budget in registered, world.delegationsordning in registered) == (True, False)
    assert decoded == 0
