"""`lerum-flow organisation list` as a user types it: the whole chain on a day, the styrmodell's fixed
part and the positions established below it, with the day each was established, the day it is
discontinued from and who held it; as text and as --json; refusals in Swedish that record nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from e2e.cli_world import PERSON, Cli

from lerum_flow.municipal_time import municipal_today

SECTOR = "vard-och-omsorg"
CHEF = "enhetschef-solgarden"
MEDARBETARE = "underskoterska-solgarden"


@pytest.fixture
def unit(cli: Cli) -> Cli:
    """A chef under the sector from 2027-01-10, held by PERSON, with a medarbetare under it from
    2027-02-01, held by nobody, discontinued from 2027-06-01."""
    cli.record(
        "organisation", "establish", "--as", SECTOR, "--id", CHEF, "--name", "Enhetschef, Solgården",
        "--kind", "chef", "--parent", SECTOR, "--date", "2027-01-10",
    )  # fmt: skip
    cli.appoint(CHEF, by=SECTOR, on="2027-01-10")
    cli.record(
        "organisation", "establish", "--as", CHEF, "--id", MEDARBETARE, "--name", "Undersköterska",
        "--kind", "medarbetare", "--parent", CHEF, "--date", "2027-02-01",
    )  # fmt: skip
    cli.record(
        "organisation", "discontinue", "--as", CHEF, "--id", MEDARBETARE, "--reason", "Enheten läggs ned.",
        "--date", "2027-06-01",
    )  # fmt: skip
    return cli


def listed(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("--json", "organisation", "list", *args)
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def by_code(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {post["kod"]: post for post in answer["befattningar"]}


def test_the_whole_chain_is_listed_with_the_positions_established_below_it(unit: Cli) -> None:
    """On 2027-03-01: KF first, the fixed chain each under its own, the chef after its sector and the
    medarbetare after the chef, one level deeper each; established days, the day the medarbetare is
    discontinued from, and who holds each (nobody holds the medarbetare)."""
    answer = listed(unit, "--date", "2027-03-01")
    posts = by_code(answer)
    order = [post["kod"] for post in answer["befattningar"]]

    assert (answer["datum"], answer["under"], order[0]) == ("2027-03-01", None, "kf")
    assert {"kf", "ks", "kommundirektor", "revisorer", SECTOR} <= posts.keys()
    assert order.index(SECTOR) < order.index(CHEF) < order.index(MEDARBETARE)
    assert posts["kommundirektor"] | {"innehavare": []} == {
        "kod": "kommundirektor", "namn": "Kommundirektör", "slag": "forvaltningschef", "overordnad": "ks",
        "djup": 2, "fast": True, "inrattad": None, "avvecklas_fran": None, "innehavare": [],
    }  # fmt: skip
    assert posts[CHEF] == {
        "kod": CHEF, "namn": "Enhetschef, Solgården", "slag": "chef", "overordnad": SECTOR, "djup": 4,
        "fast": False, "inrattad": "2027-01-10", "avvecklas_fran": None,
        "innehavare": [{"befattning": CHEF, "person": PERSON, "namn": None, "roll": "anstalld",
                        "giltig_fran": "2027-01-10", "giltig_till": None}],
    }  # fmt: skip
    assert (posts[MEDARBETARE]["djup"], posts[MEDARBETARE]["avvecklas_fran"]) == (5, "2027-06-01")
    assert posts[MEDARBETARE]["innehavare"] == []


def test_a_position_is_listed_only_on_the_days_it_stands(unit: Cli) -> None:
    """Before the medarbetare is established, and from the day it is discontinued, it is not listed;
    the chef is, from its own first day."""
    assert MEDARBETARE not in by_code(listed(unit, "--date", "2027-01-31"))
    assert CHEF in by_code(listed(unit, "--date", "2027-01-31"))
    assert MEDARBETARE in by_code(listed(unit, "--date", "2027-05-31"))
    assert MEDARBETARE not in by_code(listed(unit, "--date", "2027-06-01"))
    assert CHEF not in by_code(listed(unit, "--date", "2027-01-09"))


def test_under_a_position_lists_it_and_everything_below_it(unit: Cli) -> None:
    """Under the sector: the sector first (level 0), then the chef and its medarbetare."""
    answer = listed(unit, "--date", "2027-03-01", "--under", SECTOR)

    assert answer["under"] == SECTOR
    assert [(p["kod"], p["djup"]) for p in answer["befattningar"]] == [
        (SECTOR, 0),
        (CHEF, 1),
        (MEDARBETARE, 2),
    ]


def test_without_a_date_the_organisation_is_todays_in_swedish_time(unit: Cli) -> None:
    assert listed(unit)["datum"] == municipal_today().isoformat()


def test_the_table_shows_the_chain_indented_with_its_days_and_holders(unit: Cli) -> None:
    """As text: the title with the day and the count, each position one line, its name indented by
    its level, with its code, kind, days and holder; fixed ones marked "fast"."""
    result = unit("organisation", "list", "--date", "2027-03-01", "--under", SECTOR, env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Organisationen 2027-03-01 under vard-och-omsorg (3)" in lines[0]
    [sector] = [line for line in lines[1:] if SECTOR in line.split()]
    [chef] = [line for line in lines if line.startswith("  Enhetschef, Solgården ")]
    [medarbetare] = [line for line in lines if line.startswith("    Undersköterska ")]
    assert not sector.startswith(" ")
    assert "fast" in sector.split()
    assert chef.split()[-5:] == [CHEF, "chef", "2027-01-10", f"{PERSON},", "anställd"]
    assert medarbetare.split()[-4:] == [MEDARBETARE, "medarbetare", "2027-02-01", "2027-06-01"]


@pytest.mark.parametrize(
    ("args", "rule", "says"),
    [
        (["--under", "enhetschef-finns-inte"], "okand_befattning", "'enhetschef-finns-inte' finns inte"),
        (["--date", "2027-13-01"], "datum", "'2027-13-01' är inget datum som finns"),
        (["--under", MEDARBETARE, "--date", "2027-06-01"], "finns_inte_den_dagen",
         f"Befattningen '{MEDARBETARE}' finns inte i organisationen 2027-06-01"),
        (["--under", CHEF, "--date", "2027-01-09"], "finns_inte_den_dagen", "finns inte i organisationen"),
    ],
    ids=["okand", "datum", "avvecklad", "inte-inrattad"],
)  # fmt: skip
def test_an_unknown_position_or_a_day_that_is_none_is_refused_in_swedish(
    unit: Cli, args: list[str], rule: str, says: str
) -> None:
    """Refused with exit code 1, naming what is wrong, as text and as --json; nothing recorded."""
    before = unit.event_count()

    as_text = unit("organisation", "list", *args)
    as_json = unit("--json", "organisation", "list", *args)

    assert as_text.exit_code == 1, as_text.output
    assert says in " ".join(as_text.stderr.split())
    assert f"regel: {rule}" in as_text.stderr
    assert as_json.exit_code == 1, as_json.output
    assert json.loads(as_json.stdout)["regel"] == rule
    assert unit.event_count() == before
