"""A level's time to acknowledge in minutes, so an escalation drill can run in real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from lerum_flow.styrmodell import load_styrmodell, shipped_styrmodell_path, validate_styrmodell_file
from lerum_flow.styrmodell.frister import acknowledgement_deadline, acknowledgement_time

CHEF_HOURS = 'slag = "chef"\nkvittens_timmar = '


def lerum_with_chef_rule(tmp_path: Path, rule: str) -> Path:
    text = shipped_styrmodell_path("lerum").read_text(encoding="utf-8")
    start = text.index(CHEF_HOURS)
    end = text.index("\n", start + len(CHEF_HOURS))
    path = tmp_path / "kommun.toml"
    path.write_text(text[:start] + rule + text[end:], encoding="utf-8")
    return path


def test_a_level_may_have_minutes_to_acknowledge(tmp_path: Path) -> None:
    path = lerum_with_chef_rule(tmp_path, 'slag = "chef"\nkvittens_minuter = 5')
    allowed = acknowledgement_time(load_styrmodell(path), "chef")
    assert allowed == timedelta(minutes=5)
    reached = datetime(2027, 3, 14, 9, 0, tzinfo=UTC)
    assert acknowledgement_deadline(reached, allowed) == datetime(2027, 3, 14, 9, 5, tzinfo=UTC)


def test_hours_still_count_as_hours() -> None:
    assert acknowledgement_time(load_styrmodell(shipped_styrmodell_path("lerum")), "chef") is not None


def test_hours_and_minutes_together_or_neither_is_a_problem(tmp_path: Path) -> None:
    for rule in ('slag = "chef"\nkvittens_timmar = 2\nkvittens_minuter = 5', 'slag = "chef"'):
        problems = validate_styrmodell_file(lerum_with_chef_rule(tmp_path, rule))
        assert [p.location for p in problems] == ["eskalering[0]"]
        assert "en av dem" in problems[0].message
