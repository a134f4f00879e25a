"""`lerum-flow audit authority` about a day before a position was established says, as the web's
Beslutanderätt page does, that it was no position then and from which day it is, not that it stood
empty; a day it stood with nobody appointed still reads as such."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from e2e.cli_world import Cli

from lerum_flow.municipal_time import municipal_today

SECTOR = "vard-och-omsorg"
CHEF = "enhetschef-solgarden"
STOOD_EMPTY = "Innehades av: ingen förordnad person den dagen."


@pytest.fixture
def chef(cli: Cli) -> Cli:
    """An enhetschef under the sector, established from 2027-01-10, nobody appointed to it."""
    cli.record(
        "organisation", "establish", "--as", SECTOR, "--id", CHEF, "--name", "Enhetschef, Solgården",
        "--kind", "chef", "--parent", SECTOR, "--date", "2027-01-10",
    )  # fmt: skip
    return cli


def test_authority_on_a_day_before_a_position_was_established_says_from_which_day_it_exists(
    chef: Cli,
) -> None:
    """Asked about 2027-01-01: no position then, established from 2027-01-10, as text and as JSON."""
    text = chef("audit", "authority", CHEF, "--as-of", "2027-01-01").stdout
    answer = json.loads(chef("--json", "audit", "authority", CHEF, "--as-of", "2027-01-01").stdout)

    said = "Befattningen fanns inte den dagen: den inrättades först från 2027-01-10."
    assert said in text
    assert STOOD_EMPTY not in text
    assert (answer["forordnade"], answer["inrattad_fran"], answer["ej_inrattad"]) == ([], "2027-01-10", said)


def test_authority_as_known_before_a_position_was_recorded_says_it_was_recorded_later(chef: Cli) -> None:
    """Asked about 2027-02-01 as known yesterday, before the establishment was recorded today: no
    position then as known then, its establishment recorded later."""
    known_on = (municipal_today() - timedelta(days=1)).isoformat()

    text = chef("audit", "authority", CHEF, "--as-of", "2027-02-01", "--known-on", known_on).stdout

    assert (
        "Befattningen fanns inte den dagen, som det var känt då: att den är inrättad från 2027-01-10 "
        "registrerades först senare."
    ) in text
    assert STOOD_EMPTY not in text


def test_authority_on_a_day_a_position_stood_with_nobody_appointed_says_nobody_held_it(chef: Cli) -> None:
    """Asked about 2027-02-01, after it was established: nobody held it, and nothing of when it was."""
    text = chef("audit", "authority", CHEF, "--as-of", "2027-02-01").stdout
    answer = json.loads(chef("--json", "audit", "authority", CHEF, "--as-of", "2027-02-01").stdout)

    assert STOOD_EMPTY in text
    assert "Befattningen fanns inte" not in text
    assert (answer["inrattad_fran"], answer["ej_inrattad"]) == (None, None)
