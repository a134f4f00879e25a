"""Which mandate period a day falls in: one rule for the relay's Vilja och mål and the web's årshjul."""

from __future__ import annotations

from datetime import date

from lerum_flow.domain.values import BeslutKind
from lerum_flow.relay_contract import mandatperiod_workflow_id
from lerum_flow.relay_routes import beslut_target
from lerum_flow.styrmodell import default_styrmodell


def test_a_period_begins_on_the_calendars_day_of_the_election_year_and_lasts_until_the_next() -> None:
    styrmodell = default_styrmodell()
    years = styrmodell.kalender.val.intervall_ar
    first = styrmodell.kalender.val.forsta_valar
    start = styrmodell.kalender.mandatperiod_borjar.in_year(first + years)

    assert styrmodell.mandate_election_year(start) == first + years
    assert styrmodell.mandate_election_year(date.fromordinal(start.toordinal() - 1)) == first
    assert styrmodell.mandate_election_year(date(first + 2 * years - 1, 12, 31)) == first + years
    # Before the first election the calendar knows, no period.
    assert styrmodell.mandate_election_year(date(first - 1, 12, 31)) is None


def test_vilja_och_mal_goes_to_the_mandate_period_of_its_day() -> None:
    styrmodell = default_styrmodell()
    start = styrmodell.kalender.mandatperiod_borjar.in_year(2026)

    target = beslut_target(styrmodell, str(BeslutKind.VILJA_OCH_MAL), start)

    assert target == mandatperiod_workflow_id(styrmodell.kommun.kod, 2026)
