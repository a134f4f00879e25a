"""The web's names of positions on an earlier day, or as known on one (`WebRecord.position_names`):
the chain of the styrmodell in force that day as then known, and the positions established by it
as then known, read from the befattning view's history; on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from unit.governance_world import governance, person_of, send
from unit.test_befattning_discontinued import Clock

from lerum_flow import commands as c
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.styrmodell.loading import shipped_styrmodell_path
from lerum_flow.web.record import WebRecord

ESTABLISHED_ON = date(2027, 4, 1)
ESTABLISHMENT_RECORDED = date(2027, 3, 10)
RENAMED_FROM = date(2027, 5, 1)
RENAME_RECORDED = date(2027, 3, 20)
OLD_NAME = "Sektorschef, sektor lärande"
NEW_NAME = "Sektorschef, sektor utbildning"


@pytest.fixture
def record(database_url: str, tmp_path: Path) -> WebRecord:
    """Lerum's store: a controller established under lärande from ESTABLISHED_ON (recorded on
    ESTABLISHMENT_RECORDED), and lärande's sektorschef renamed by the styrmodell in force from
    RENAMED_FROM (recorded on RENAME_RECORDED); the web's record of it."""
    settings = Settings(database_url=database_url)
    clock = Clock(datetime(2027, 3, 1, 9, tzinfo=UTC))
    app = governance(settings.eventsourcing_env("governance"), clock)
    try:
        clock.now = datetime.combine(ESTABLISHMENT_RECORDED, time(9), UTC)
        send(app, "establish_befattning", "larande", code="m-controller", name="Controller",
             kind="medarbetare", parent="larande", established_on=ESTABLISHED_ON)  # fmt: skip
        clock.now = datetime.combine(RENAME_RECORDED, time(9), UTC)
        text = shipped_styrmodell_path("lerum").read_text(encoding="utf-8")
        renamed = tmp_path / "lerum-utbildning.toml"
        renamed.write_text(text.replace(f'namn = "{OLD_NAME}"', f'namn = "{NEW_NAME}"'), encoding="utf-8")
        command = c.parse_command(
            c.AdoptStyrmodell, actor="kf", person=person_of("kf"), effective_from=RENAMED_FROM
        )
        app.adopt_styrmodell(command, load_styrmodell(renamed))
    finally:
        app.close()
    return WebRecord(settings)


@pytest.mark.parametrize(
    ("on", "known_on", "controller", "larande"),
    [
        (date(2027, 3, 31), None, None, OLD_NAME),
        (ESTABLISHED_ON, None, "Controller", OLD_NAME),
        (ESTABLISHED_ON, date(2027, 3, 9), None, OLD_NAME),
        (RENAMED_FROM, None, "Controller", NEW_NAME),
        (RENAMED_FROM, date(2027, 3, 19), "Controller", OLD_NAME),
        (RENAMED_FROM, RENAME_RECORDED, "Controller", NEW_NAME),
    ],
)
def test_a_position_is_named_as_it_was_named_on_the_day_as_then_known(
    record: WebRecord, on: date, known_on: date | None, controller: str | None, larande: str
) -> None:
    """The controller has no name before the day it was established, nor as known before its
    establishment was recorded; lärande's sektorschef has its old name before the new styrmodell
    is in force, or before it was recorded, and its new one after."""
    try:
        names = record.position_names(on, known_on)
        assert (names.get("m-controller"), names["larande"]) == (controller, larande)
    finally:
        record.close()


def test_todays_names_name_every_position_established(record: WebRecord) -> None:
    """Today, as known now: the controller, established for a later day, is named (as before)."""
    try:
        assert record.position_names()["m-controller"] == "Controller"
    finally:
        record.close()
