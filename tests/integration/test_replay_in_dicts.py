"""A few records replayed into dict-backed views answer exactly as replayed into SQLite views.

The random histories are those of test_history_equals_replay (decisions, corrections,
delegations revoked and granted again, uppdrag, deviations, recorded late and out of
order); for every record, on days that can change an answer and as known on several
days, the two replays hold the same rows and give the same mandate state.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import integration.test_history_equals_replay as histories
import pytest
from hypothesis import HealthCheck, given, settings

from lerum_flow.projections.asof import AsOf, replay_records
from lerum_flow.projections.registers import state_on
from lerum_flow.projections.rows import Row
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.record_ids import RecordLog
from lerum_flow.settings import Settings


def _records(log: RecordLog) -> list[UUID]:
    found = {n.originator_id for n in log.recorder.select_notifications(start=1, limit=100_000)}
    return sorted(UUID(str(i)) for i in found)


def _answer(log: RecordLog, asked: AsOf, ids: list[UUID], *, in_sqlite: bool) -> tuple[object, ...]:
    into = ViewStore.in_memory if in_sqlite else ViewStore.in_dicts
    store = replay_records(log, asked, ids, into=into)
    try:
        dump: dict[str, list[Row]] = {}
        for projection in store.projections:
            dump.update(projection.view.dump())
        return dump, state_on(store.views, asked.on), store.views.uppdrag.count(UppdragRow, {})
    finally:
        store.close()


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories.steps)
def test_records_replayed_into_dicts_answer_as_replayed_into_sqlite(
    history: list[histories.Step], tmp_path: Path
) -> None:
    settings_ = Settings(database_url=f"sqlite:///{tmp_path / uuid4().hex / 'governance.db'}")
    follow = ViewStore.open(settings_)
    try:
        histories._record(settings_, history, follow)
        log = follow.log
        records = _records(log)
        effective, known = histories._days(log)
        asked_days: list[tuple[date, date | None]] = [
            (on, known_on)
            for known_on in [*histories._spread(known, 3), None]
            for on in histories._spread(effective, 4)
        ]
        for on, known_on in asked_days:
            asked = AsOf(on, known_on)
            # Each record alone, and all of them together (one replay following many chains).
            for ids in [*([r] for r in records), records]:
                in_dicts = _answer(log, asked, ids, in_sqlite=False)
                assert in_dicts == _answer(log, asked, ids, in_sqlite=True), (asked, ids)
    finally:
        follow.close()
