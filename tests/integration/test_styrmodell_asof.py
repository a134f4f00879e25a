"""The auditor's replay knows the styrmodell in force on the day asked about, as known on the day given.

Norrvik's store begins in June 2027, taken into use by staffing it (its first
write, which records the model); in December its fullmäktige records the
merger into a samhällsbyggnadsnämnd from 1 January 2028. The model of each
day is read from the store's record of its styrmodell, on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from unit.governance_world import TERM_ENDS, person_of, send
from unit.styrmodell_versions import REORGANISED_FROM, norrvik, reorganised_norrvik

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.projections.asof import AsOf, model_version_on
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.settings import Settings
from lerum_flow.staffing import Seat, record_plan, staffing_plan
from lerum_flow.styrmodell.canonical import model_from_content

ADOPTED_ON = date(2027, 12, 15)


@pytest.fixture
def log(database_url: str, tmp_path: Path) -> Iterator[GovernanceLog]:
    env = Settings(database_url=database_url).eventsourcing_env("governance")
    first = Governance(norrvik(), env=env, clock=lambda: datetime(2027, 6, 15, 9, tzinfo=UTC))
    _staff(first, date(2027, 6, 15))
    send(
        first, "take_beslut", "kf", decided_by="kf", kind="budget", diarienummer="KF 2027/1",
        paragraf="§ 1", title="Budget 2028", decided_on=date(2027, 6, 15),
    )  # fmt: skip
    changer = Governance(None, env=env, clock=lambda: datetime(2027, 12, 15, 9, tzinfo=UTC))
    command = c.parse_command(
        c.AdoptStyrmodell, actor="kf", person=person_of("kf"), effective_from=REORGANISED_FROM
    )
    changer.adopt_styrmodell(command, reorganised_norrvik(tmp_path))
    first.close()
    changer.close()
    opened = GovernanceLog(env)
    yield opened
    opened.close()


def _staff(app: Governance, day: date) -> None:
    """`p-<position>` holds every position of the chain from `day`, KF's as the sekreterare who
    introduces the register."""
    root = app.styrkedja.root().id
    cast = [Seat(p.id, person_of(p.id)) for p in app.styrkedja if p.parent is not None]
    record_plan(
        app,
        staffing_plan(cast, app.position, on=day, until=TERM_ENDS, introduce=Seat(root, person_of(root))),
    )


def _organs_on(log: GovernanceLog, asked: AsOf) -> set[str]:
    version = model_version_on(log, asked)
    assert version is not None
    return {b.id for b in model_from_content(version.content).befattning if b.slag == "namnd"}


def test_the_day_before_the_merger_has_the_old_model(log: GovernanceLog) -> None:
    """31 December 2027: the byggnadsnämnd still exists."""
    assert _organs_on(log, AsOf(on=date(2027, 12, 31))) == {"bun", "son", "byn"}


def test_the_day_of_the_merger_has_the_new_model(log: GovernanceLog) -> None:
    """1 January 2028: the samhällsbyggnadsnämnd has taken its place."""
    assert _organs_on(log, AsOf(on=date(2028, 1, 1))) == {"bun", "son", "sbn"}


def test_before_the_change_was_recorded_it_was_not_known(log: GovernanceLog) -> None:
    """Asked about January as known on 1 December, the store knew only the old model."""
    assert _organs_on(log, AsOf(on=date(2028, 1, 10), known_on=date(2027, 12, 1))) == {"bun", "son", "byn"}
    assert _organs_on(log, AsOf(on=date(2028, 1, 10), known_on=ADOPTED_ON)) == {"bun", "son", "sbn"}


def test_a_store_that_recorded_no_model_answers_none(sqlite_database_url: str) -> None:
    """A store older than the record of its model has no recorded model to show."""
    opened = GovernanceLog(Settings(database_url=sqlite_database_url).eventsourcing_env("governance"))
    try:
        assert model_version_on(opened, AsOf(on=date(2028, 1, 1))) is None
    finally:
        opened.close()
