"""Several delårsperioder in a styrmodell, each with its report, and the uppföljningsplan's days and areas."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lerum_flow.styrmodell import shipped_styrmodell_path, validate_styrmodell_file
from lerum_flow.styrmodell.loading import load_styrmodell
from lerum_flow.workflows.planning import plan_cycle

ONE_PERIOD = """delarsperiod_slutar = { manad = 8, dag = 31 }
delarsrapport_senast = { manad = 10, dag = 31 }
"""
TWO_PERIODS = """delarsperioder = [
    { slutar = { manad = 4, dag = 30 }, rapport_senast = { manad = 6, dag = 15 } },
    { slutar = { manad = 8, dag = 31 }, rapport_senast = { manad = 11, dag = 30 } },
]
"""


def lerum_with(tmp_path: Path, kalender_lines: str) -> Path:
    text = shipped_styrmodell_path("lerum").read_text(encoding="utf-8")
    assert ONE_PERIOD in text
    path = tmp_path / "kommun.toml"
    path.write_text(text.replace(ONE_PERIOD, kalender_lines), encoding="utf-8")
    return path


def test_each_interim_period_gets_its_own_report_step_within_the_law(tmp_path: Path) -> None:
    """30 April and 31 August: two delårsrapporter, the second cut to two months after its period."""
    plan = plan_cycle(load_styrmodell(lerum_with(tmp_path, TWO_PERIODS)), 2027)
    interim = [(r.key, r.not_before, r.deadline.on, r.not_after) for r in plan.reports[:-1]]
    assert interim == [
        ("delarsrapport", date(2027, 5, 1), date(2027, 6, 15), date(2027, 8, 31)),
        ("delarsrapport-2", date(2027, 9, 1), date(2027, 10, 31), date(2027, 12, 31)),
    ]
    assert plan.reports[-1].key == "arsredovisning"


def test_one_period_keeps_the_step_it_had_when_there_could_be_only_one() -> None:
    plan = plan_cycle(load_styrmodell(shipped_styrmodell_path("lerum")), 2027)
    assert [(r.key, r.name, r.deadline.on) for r in plan.reports] == [
        ("delarsrapport", "Delårsrapport 2027", date(2027, 10, 31)),
        ("arsredovisning", "Årsredovisning 2027", date(2028, 4, 15)),
    ]


@pytest.mark.parametrize(
    ("kalender_lines", "fragment"),
    [
        (ONE_PERIOD + TWO_PERIODS, "inte båda"),
        ("", "Minst en delårsperiod"),
        (
            "delarsperioder = [\n"
            "    { slutar = { manad = 8, dag = 31 }, rapport_senast = { manad = 8, dag = 1 } },\n"
            "]\n",
            "efter att perioden slutat",
        ),
        (
            "delarsperioder = [\n"
            "    { slutar = { manad = 8, dag = 31 }, rapport_senast = { manad = 10, dag = 31 } },\n"
            "    { slutar = { manad = 4, dag = 30 }, rapport_senast = { manad = 6, dag = 15 } },\n"
            "]\n",
            "årets ordning",
        ),
    ],
    ids=["both-forms", "none", "report-before-period-end", "out-of-order"],
)
def test_a_wrong_set_of_interim_periods_is_a_problem_of_the_kalender(
    tmp_path: Path, kalender_lines: str, fragment: str
) -> None:
    problems = validate_styrmodell_file(lerum_with(tmp_path, kalender_lines))
    assert len(problems) == 1
    assert problems[0].location.startswith("kalender")
    assert fragment in problems[0].message


def test_the_uppfoljningsplan_names_each_levels_report_day_and_areas() -> None:
    """Norrvik: nämnd reports by the 8th on economy and operations, KS by the 15th on economy."""
    plan = plan_cycle(load_styrmodell(shipped_styrmodell_path("norrvik")), 2027)
    february = [(f.led_name, f.deadline.on, f.areas) for f in plan.follow_ups if f.period == "2027-02"]
    assert sorted(february) == [
        ("forvaltningschef → namnd", date(2027, 2, 8), ["ekonomi", "verksamhet"]),
        ("forvaltningschef → styrelse", date(2027, 2, 15), ["ekonomi"]),
    ]


def test_a_level_without_its_own_day_or_areas_keeps_the_default_policy() -> None:
    """Lerum names none: the 10th, 20th and 28th, economy every month and the rest in turn."""
    plan = plan_cycle(load_styrmodell(shipped_styrmodell_path("lerum")), 2027)
    days = sorted({f.deadline.on.day for f in plan.follow_ups if f.period == "2027-03"})
    assert days == [10, 20, 28][: len(days)]
    assert all(f.areas[0] == "ekonomi" for f in plan.follow_ups)
