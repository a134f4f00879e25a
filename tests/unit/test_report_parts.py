"""The pure parts of a report: its window, where a position stands, the assessment scale as shown."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast
from uuid import uuid4

import pytest

from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.befattning import Befattning, befattning_id
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.domain.values import Actor
from lerum_flow.reports.figures.maluppfyllelse import BEST, MIDDLE, WORST, scale_of
from lerum_flow.reports.period import ReportKind, annual_period, interim_period, month_period
from lerum_flow.reports.positions import NO_SECTOR, PositionIndex
from lerum_flow.styrmodell import default_styrmodell, load_styrmodell, shipped_styrmodell_path


def test_a_month_report_covers_the_month_to_its_last_day() -> None:
    """February 2028 ends on the 29th (a leap year) and is named in Swedish."""
    period = month_period(2028, 2)
    assert (period.kind, period.start, period.end) == (ReportKind.MANAD, date(2028, 2, 1), date(2028, 2, 29))
    assert period.name == "Månadsuppföljning februari 2028"


def test_a_month_that_does_not_exist_is_refused_in_swedish() -> None:
    with pytest.raises(InvalidInput, match="Månad 13 finns inte"):
        month_period(2028, 13)


def test_an_interim_report_covers_the_year_to_the_end_of_its_period() -> None:
    """Norrvik has two interim periods; each report runs from 1 January to its period's end."""
    norrvik = load_styrmodell(shipped_styrmodell_path("norrvik"))
    first, second = interim_period(norrvik, 2028, 1), interim_period(norrvik, 2028, 2)
    assert first.start == second.start == date(2028, 1, 1)
    assert first.end < second.end
    assert first.name.startswith("Delårsrapport 1 2028")
    with pytest.raises(InvalidInput, match="2 delårsperiod"):
        interim_period(norrvik, 2028, 3)


def test_lerums_one_interim_report_ends_with_august() -> None:
    assert interim_period(default_styrmodell(), 2028, 1).end == date(2028, 8, 31)
    assert annual_period(2028).end == date(2028, 12, 31)


def _established(code: str, kind: str, parent: str) -> Befattning.Established:
    """The event `organisation establish` records, made by the aggregate itself."""
    stamp = Stamp(uuid4(), Actor(parent, "p"), datetime(2027, 1, 1, tzinfo=UTC), date(2027, 1, 1))
    position = Position(id=code, name=code, kind=PositionKind(kind), parent=parent)
    events = Befattning.establish(befattning_id(code), stamp, position=position).collect_events()
    return cast(Befattning.Established, events[0])


def test_a_position_below_a_sector_belongs_to_that_sector() -> None:
    """A chef established under lärande and a medarbetare under the chef are both lärande's."""
    index = PositionIndex(
        default_styrmodell().styrkedja(),
        [_established("chef-a", "chef", "larande"), _established("m-a", "medarbetare", "chef-a")],
    )
    assert (index.placement("m-a").level, index.placement("m-a").sector) == ("medarbetare", "larande")
    assert index.placement("kommundirektor").sector == NO_SECTOR
    assert index.placement("okand-kod").level == "okand"
    assert index.sector_name("larande") == "Sektor lärande"


def test_every_step_of_the_scale_has_a_label_and_a_symbol_best_first() -> None:
    """Lerum's three steps: ✔ Uppfyllt, ◐ Delvis uppfyllt, ✘ Ej uppfyllt; never told apart by colour alone."""
    scale = scale_of(default_styrmodell())
    assert [(s.symbol, s.label) for s in scale] == [
        (BEST, "Uppfyllt"),
        (MIDDLE, "Delvis uppfyllt"),
        (WORST, "Ej uppfyllt"),
    ]
    assert len({s.symbol for s in scale}) == len(scale)
