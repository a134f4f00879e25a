"""Lerum with short deadlines: one hour to acknowledge, and a store clock that runs behind.

The demo wing's; the escalation benchmark and the escalation scale test run on it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from lerum_flow.application import utc_now
from lerum_flow.demo.short_deadlines import late_clock, one_hour_styrmodell
from lerum_flow.styrmodell import default_styrmodell, load_styrmodell


def hours_by_kind(path: Path | None = None) -> dict[str, int | None]:
    styrmodell = default_styrmodell() if path is None else load_styrmodell(path)
    return {str(rule.slag): rule.kvittens_timmar for rule in styrmodell.eskalering}


def test_one_hour_styrmodell_gives_every_level_one_hour(tmp_path: Path) -> None:
    """Asked for no kinds in particular, every escalation level gets one hour to acknowledge."""
    assert set(hours_by_kind(one_hour_styrmodell(tmp_path)).values()) == {1}


def test_one_hour_styrmodell_shortens_only_the_kinds_asked_for(tmp_path: Path) -> None:
    """The levels not asked for keep the hours of the shipped styrmodell."""
    shipped = hours_by_kind()
    assert shipped["sektorschef"] != 1
    assert hours_by_kind(one_hour_styrmodell(tmp_path, kinds=["sektorschef"])) == shipped | {"sektorschef": 1}


def test_one_hour_styrmodell_refuses_a_kind_without_a_rule(tmp_path: Path) -> None:
    """A kind the styrmodell has no escalation rule for is named in the error."""
    with pytest.raises(ValueError, match="finns-inte"):
        one_hour_styrmodell(tmp_path, kinds=["finns-inte"])


def test_late_clock_runs_behind_the_real_one() -> None:
    """The clock reads the real time less the given delay."""
    before = utc_now()
    late = late_clock(timedelta(hours=1))()
    after = utc_now()
    assert before - timedelta(hours=1) <= late <= after - timedelta(hours=1)
