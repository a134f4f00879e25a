"""The styrmodell file: shipped models load, and every broken file is reported, never raised."""

from __future__ import annotations

import copy
import pickle
import tomllib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.styrmodell import (
    Problem,
    Styrmodell,
    StyrmodellInvalid,
    default_styrmodell,
    load_styrmodell,
    parse_styrmodell,
    shipped_styrmodell_path,
    validate_styrmodell_file,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "styrmodell"


@pytest.fixture(scope="module")
def lerum() -> Styrmodell:
    return default_styrmodell()


@pytest.fixture(scope="module")
def norrvik() -> Styrmodell:
    return load_styrmodell(shipped_styrmodell_path("norrvik"))


def ids_below(model: Styrmodell, parent: str, kind: PositionKind) -> set[str]:
    return {p.id for p in model.styrkedja().children(parent) if p.kind is kind}


def problems_in(name: str) -> list[Problem]:
    return validate_styrmodell_file(FIXTURES / f"{name}.toml")


def _outcome(load: Callable[[], Styrmodell]) -> Styrmodell | StyrmodellInvalid:
    """The model, or the refusal: anything else raised fails the test."""
    try:
        return load()
    except StyrmodellInvalid as invalid:
        return invalid


# --- Lerum, the shipped default ---------------------------------------------


def test_default_styrmodell_is_lerum(lerum: Styrmodell) -> None:
    """The default model is Lerum's, with its kommunkod."""
    assert (lerum.kommun.kod, lerum.kommun.namn) == ("1441", "Lerums kommun")


def test_default_styrmodell_is_read_once() -> None:
    """Asking for the default twice gives the same object."""
    assert default_styrmodell() is default_styrmodell()


def test_lerum_kf_is_the_root_with_51_ledamoter(lerum: Styrmodell) -> None:
    """Kommunfullmäktige is the root of Lerum's chain and has 51 members."""
    root = lerum.styrkedja().root()
    assert (root.id, root.kind, root.members) == ("kf", PositionKind.FULLMAKTIGE, 51)


def test_lerum_ks_has_11_ledamoter_and_an_elected_chair(lerum: Styrmodell) -> None:
    """Kommunstyrelsen has 11 members and a fortroendevald chair placed under it."""
    chain = lerum.styrkedja()
    ks = chain.position("ks")
    chair = chain.position("ks-ordforande")
    assert (ks.members, ks.chair) == (11, "ks-ordforande")
    assert (chair.kind, chair.parent) == (PositionKind.FORTROENDEVALD, "ks")


def test_lerum_has_five_beredningar_under_kf(lerum: Styrmodell) -> None:
    """KF has five preparatory committees."""
    assert len(ids_below(lerum, "kf", PositionKind.BEREDNING)) == 5


def test_lerum_has_five_sectors_under_kommundirektor(lerum: Styrmodell) -> None:
    """The kommundirektör has the five sektorschefer the handbook names."""
    assert ids_below(lerum, "kommundirektor", PositionKind.SEKTORSCHEF) == {
        "larande",
        "samhallsbyggnad",
        "vard-och-omsorg",
        "individ-och-familjeomsorg",
        "internt-stod",
    }


def test_lerum_revisorer_are_auditors_under_kf(lerum: Styrmodell) -> None:
    """The revisorer sit under KF and the chain treats them as auditors."""
    chain = lerum.styrkedja()
    assert chain.position("revisorer").parent == "kf"
    assert chain.is_auditor("revisorer")


def test_lerum_sector_reports_via_kommundirektor_and_ks_to_kf(lerum: Styrmodell) -> None:
    """A sektorschef's chain upward is kommundirektör, KS, KF."""
    chain = lerum.styrkedja()
    assert [p.id for p in chain.ancestors("vard-och-omsorg")] == ["kommundirektor", "ks", "kf"]


def test_lerum_assesses_on_three_levels(lerum: Styrmodell) -> None:
    """Lerum's assessment scale is uppfyllt, delvis, ej uppfyllt."""
    assert lerum.assessment_codes() == ["uppfyllt", "delvis", "ej_uppfyllt"]


def test_budget_is_adopted_by_fullmaktige(lerum: Styrmodell) -> None:
    """The document type for the budget may only be adopted by fullmäktige."""
    budget = lerum.dokumenttyp_for("budget")
    assert budget is not None
    assert budget.antas_av == ["fullmaktige"]


def test_dokumenttyp_for_returns_the_first_of_its_beslutsslag(lerum: Styrmodell) -> None:
    """Several document types share beslutsslag 'ovrigt'; the first one is returned."""
    ovrigt = lerum.dokumenttyp_for("ovrigt")
    assert ovrigt is not None
    assert (ovrigt.kod, ovrigt.antas_av) == ("ovrigt", ["fullmaktige", "styrelse"])


def test_dokumenttyp_for_unknown_beslutsslag_is_none(lerum: Styrmodell) -> None:
    """A beslutsslag without a document type gives None."""
    assert lerum.dokumenttyp_for("vision") is None


def test_beslutsomrade_is_found_by_kod(lerum: Styrmodell) -> None:
    """Vilja och mål is a goal held by KF."""
    omrade = lerum.beslutsomrade("vilja_och_mal")
    assert omrade is not None
    assert (omrade.innehavare, omrade.kategori) == ("kf", "mal")


def test_lerum_keeps_ansvarsfrihet_with_kf_and_delegates_procurement_decisions(lerum: Styrmodell) -> None:
    """Ansvarsprövning is reserved to KF (KL 5 kap. 1 § 7); procurement covers individual decisions."""
    ansvar, upphandling = lerum.beslutsomrade("ansvarsfrihet"), lerum.beslutsomrade("upphandling")
    assert ansvar is not None
    assert upphandling is not None
    assert (ansvar.kategori, ansvar.beslutsslag) == ("fullmaktige", ["ansvarsfrihet"])
    assert upphandling.beslutsslag == ["ovrigt"]


def test_a_matter_without_beslutsslag_covers_the_kind_it_is_named_after_or_individual_cases() -> None:
    """A file written before matters named their kinds still loads, with a default for each."""
    model = load_styrmodell(FIXTURES / "minimal.toml")
    assert [(o.kod, o.beslutsslag) for o in model.beslutsomraden] == [
        ("budget", ["budget"]),
        ("upphandling", ["ovrigt"]),
    ]


def test_unknown_beslutsomrade_is_none(lerum: Styrmodell) -> None:
    """An unknown matter code gives None."""
    assert lerum.beslutsomrade("finns-inte") is None


def test_lerum_major_deviation_goes_straight_to_styrelse(lerum: Styrmodell) -> None:
    """A större avvikelse skips the official levels and goes to KS."""
    assert lerum.severity_codes() == ["avvikelse", "storre"]
    assert [g.direkt_till for g in lerum.allvarlighetsgrader] == [None, "styrelse"]


def test_lerum_escalation_climbs_from_chef_to_fullmaktige(lerum: Styrmodell) -> None:
    """Escalation levels run bottom-up from chef to fullmäktige, each with a deadline."""
    assert [n.slag for n in lerum.eskalering] == [
        "chef",
        "sektorschef",
        "forvaltningschef",
        "styrelse",
        "fullmaktige",
    ]
    assert all(n.time_to_acknowledge() > timedelta(0) for n in lerum.eskalering)


def test_lerum_adopts_budget_by_30_june_and_by_30_november_in_election_years(
    lerum: Styrmodell,
) -> None:
    """The budget is due 30 June, or 30 November in an election year."""
    kalender = lerum.kalender
    assert kalender.budget_senast.in_year(2027) == date(2027, 6, 30)
    assert kalender.budget_senast_valar.in_year(2026) == date(2026, 11, 30)


def test_lerum_follows_up_every_month_but_july(lerum: Styrmodell) -> None:
    """Monthly follow-ups happen in every month except July."""
    assert lerum.kalender.uppfoljningsmanader == [m for m in range(1, 13) if m != 7]


def test_lerum_interim_period_ends_31_august_and_is_reported_by_31_october(
    lerum: Styrmodell,
) -> None:
    """The interim period ends 31 August and its report is due 31 October."""
    (period,) = lerum.kalender.interim_periods()
    assert (period.slutar.manad, period.slutar.dag) == (8, 31)
    assert (period.rapport_senast.manad, period.rapport_senast.dag) == (10, 31)


def test_lerum_follow_up_runs_sector_to_director_to_ks(lerum: Styrmodell) -> None:
    """Routine follow-up edges are förvaltningschef→styrelse and sektorschef→förvaltningschef."""
    assert [(e.fran, e.till) for e in lerum.kalender.uppfoljningsled] == [
        ("forvaltningschef", "styrelse"),
        ("sektorschef", "forvaltningschef"),
    ]


@pytest.mark.parametrize(("year", "expected"), [(2026, True), (2030, True), (2027, False)])
def test_election_years_come_every_four_years_from_2026(lerum: Styrmodell, year: int, expected: bool) -> None:
    """2026 and 2030 are election years and 2027 is not."""
    assert lerum.is_election_year(year) is expected


def test_years_before_the_first_election_year_are_not_election_years(lerum: Styrmodell) -> None:
    """The model knows no elections before its first election year."""
    assert not lerum.is_election_year(2022)


def test_election_day_is_the_second_sunday_of_september(lerum: Styrmodell) -> None:
    """The 2026 election falls on 13 September."""
    assert lerum.kalender.val.valdag(2026) == date(2026, 9, 13)


def test_styrmodell_cannot_be_changed_after_loading(lerum: Styrmodell) -> None:
    """A loaded model is frozen."""
    with pytest.raises(ValidationError):
        lerum.kommun = lerum.kommun  # type: ignore[misc]


# --- Norrvik, a model that is not Lerum's -------------------------------------


def test_norrvik_is_another_kommun(norrvik: Styrmodell) -> None:
    """The shipped Norrvik model loads with its own kommunkod."""
    assert (norrvik.kommun.kod, norrvik.kommun.namn) == ("9999", "Norrviks kommun")


def test_norrvik_has_namnder_each_with_a_forvaltningschef(norrvik: Styrmodell) -> None:
    """Each of Norrvik's nämnder has exactly one förvaltningschef below it."""
    namnder = ids_below(norrvik, "kf", PositionKind.NAMND)
    assert namnder == {"bun", "son", "byn"}
    for namnd in namnder:
        assert len(ids_below(norrvik, namnd, PositionKind.FORVALTNINGSCHEF)) == 1


def test_norrvik_has_no_sectors(norrvik: Styrmodell) -> None:
    """Norrvik is organised in nämnder, not sectors."""
    assert all(p.kind is not PositionKind.SEKTORSCHEF for p in norrvik.styrkedja())


def test_norrvik_steers_its_bolag_by_agardirektiv_from_kf(norrvik: Styrmodell) -> None:
    """The housing company lies under KF, which adopts ägardirektiv."""
    assert ids_below(norrvik, "kf", PositionKind.BOLAG) == {"norrviksbostader"}
    agardirektiv = norrvik.dokumenttyp_for("agardirektiv")
    assert agardirektiv is not None
    assert agardirektiv.antas_av == ["fullmaktige"]


def test_the_two_municipalities_review_their_documents_at_different_intervals(
    norrvik: Styrmodell, lerum: Styrmodell
) -> None:
    """Lerum reviews a riktlinje once a mandate period, Norrvik every second year; only Norrvik has regler."""
    lerum_riktlinje, norrvik_riktlinje = lerum.dokumenttyp("riktlinje"), norrvik.dokumenttyp("riktlinje")
    assert lerum_riktlinje is not None
    assert norrvik_riktlinje is not None
    assert (lerum_riktlinje.aktualitetsprovas_ar, norrvik_riktlinje.aktualitetsprovas_ar) == (4, 2)
    assert (lerum.dokumenttyp("regel"), lerum.dokumenttyp("rutin") is not None) == (None, True)
    assert norrvik.dokumenttyp("rutin") is None


def test_a_document_type_without_review_settings_is_never_reviewed_and_needs_no_parent(
    lerum: Styrmodell,
) -> None:
    """The keys for reviews and parents have defaults, so files written before them still load."""
    budget = lerum.dokumenttyp("budget")
    assert budget is not None
    assert (
        budget.aktualitetsprovas_ar,
        budget.paminnelse_dagar,
        budget.overordnade,
        budget.kraver_overordnad,
    ) == (
        None,
        90,
        [],
        False,
    )


def test_norrvik_assesses_on_four_levels(norrvik: Styrmodell) -> None:
    """Norrvik's assessment scale has four steps."""
    assert len(norrvik.assessment_codes()) == 4


def test_norrvik_adopts_budget_in_november(norrvik: Styrmodell, lerum: Styrmodell) -> None:
    """Norrvik's budget is due in November, Lerum's in June."""
    assert (norrvik.kalender.budget_senast.manad, lerum.kalender.budget_senast.manad) == (11, 6)


def test_norrvik_has_two_interim_periods_ending_31_march_and_31_august(norrvik: Styrmodell) -> None:
    """Norrvik's interim periods end 31 March and 31 August, each with its report's day."""
    periods = [
        (p.slutar.manad, p.slutar.dag, p.rapport_senast.manad) for p in norrvik.kalender.interim_periods()
    ]
    assert periods == [(3, 31, 5), (8, 31, 10)]


def test_a_file_with_one_interim_period_in_the_old_keys_still_loads_as_one_period(lerum: Styrmodell) -> None:
    """Lerum's file names its one period with delarsperiod_slutar and delarsrapport_senast."""
    assert [(p.slutar.manad, p.rapport_senast.manad) for p in lerum.kalender.interim_periods()] == [(8, 10)]


@pytest.mark.parametrize("name", ["lerum", "norrvik"])
def test_shipped_models_have_no_problems(name: str) -> None:
    """Every shipped model validates without problems."""
    assert validate_styrmodell_file(shipped_styrmodell_path(name)) == []


def test_unknown_shipped_model_names_the_shipped_ones() -> None:
    """Asking for a model that is not shipped lists those that are."""
    with pytest.raises(StyrmodellInvalid, match="lerum, norrvik"):
        shipped_styrmodell_path("../lerum")


# --- Broken files ---------------------------------------------------------------


def test_lerum_adopts_internkontroll_plans_in_ks_on_a_four_step_scale(lerum: Styrmodell) -> None:
    rules = lerum.internkontroll
    assert rules.antas_av == ["styrelse", "namnd"]
    assert (len(rules.sannolikhet), len(rules.konsekvens)) == (4, 4)
    assert (rules.plan_senast.in_year(2028), rules.bedomning_senast.in_year(2029)) == (
        date(2028, 1, 31),
        date(2029, 3, 31),
    )


def test_norrvik_has_its_bolag_adopt_an_internkontroll_plan_on_a_five_step_scale(norrvik: Styrmodell) -> None:
    rules = norrvik.internkontroll
    assert "bolag" in rules.antas_av
    assert (len(rules.sannolikhet), len(rules.konsekvens)) == (5, 5)


def test_a_file_without_internkontroll_gets_the_default_scale_and_deadlines() -> None:
    """Written before internal control was modelled, a file still loads, with the shipped defaults."""
    minimal = load_styrmodell(FIXTURES / "minimal.toml")
    assert "internkontroll" not in (FIXTURES / "minimal.toml").read_text(encoding="utf-8")
    assert minimal.internkontroll == default_styrmodell().internkontroll


def test_minimal_fixture_is_valid() -> None:
    """The base the broken fixtures are made from has no problems of its own."""
    assert problems_in("minimal") == []


BROKEN = [
    (
        "namnder_reports_not_adopted",
        ["kalender.namnder", "kalender.namnder"],
        "ingen dokumenttyp med det beslutsslaget har 'namnd' i antas_av",
    ),
    ("duplicate_id", ["befattning[6].id"], "finns redan"),
    ("unknown_under", ["befattning[4].under"], "menade du 'kommundirektor'"),
    ("unknown_ordforande", ["befattning[1].ordforande"], "menade du 'ks-ordforande'"),
    ("chair_not_fortroendevald", ["befattning[1].ordforande"], "'fortroendevald'"),
    ("chair_not_under_organ", ["befattning[1].ordforande"], "direkt under 'ks'"),
    (
        "no_root",
        ["befattning", "befattning[0].under", "befattning[0].under"],
        "Ingen befattning saknar 'under'",
    ),
    ("several_roots", ["befattning[6].under"], "bara roten 'kf'"),
    ("root_not_fullmaktige", ["befattning[0].slag"], "'fullmaktige'"),
    ("cycle", ["befattning[5].under"], "ks-au → beredning → ks-au"),
    ("unknown_slag", ["befattning[4].slag"], "forvaltningschef, sektorschef, chef"),
    ("missing_namn", ["befattning[3].namn"], "'namn' saknas"),
    ("ledamoter_as_text", ["befattning[0].ledamoter"], "heltal"),
    ("unknown_key", ["befattning[0].ledamot"], "menade du 'ledamoter'"),
    ("key_with_swedish_letter", ["rad 13, kolumn 6"], "inte å, ä, ö"),
    ("unknown_top_level_key", ["kommunnamn"], "Okänd nyckel"),
    ("key_after_table", ["kalender.val.nivaer_under"], "Okänd nyckel"),
    ("ledamoter_on_official", ["befattning[3].ledamoter"], "Bara organ"),
    ("organ_under_official", ["befattning[5].under"], "tjänsteperson"),
    ("befattning_not_a_list", ["befattning"], "lista"),
    ("kalender_not_a_table", ["kalender"], "tabell"),
    ("nivaer_under_fixed_kind", ["nivaer_under[1]"], "[[befattning]]"),
    ("bad_kommunkod", ["kommun.kod"], "fyra siffror"),
    ("duplicate_assessment_code", ["bedomningsskala[2].kod"], "finns redan"),
    ("empty_assessment_code", ["bedomningsskala[0].kod"], "tomt"),
    ("too_short_scale", ["bedomningsskala"], "minst 2"),
    ("unknown_innehavare", ["beslutsomraden[1].innehavare"], "finns inte"),
    ("innehavare_not_organ", ["beslutsomraden[1].innehavare"], "ett organ"),
    ("reserved_matter_delegable", ["beslutsomraden[2].kategori"], "'ansvarsprovning' gäller årsredovisning"),
    ("reserved_matter_held_by_ks", ["beslutsomraden[0].innehavare"], "ska vara fullmäktige, inte 'ks'"),
    ("unknown_beslutsslag", ["dokumenttyper[0].beslutsslag"], "ansvarsfrihet"),
    ("antas_av_unknown_kind", ["dokumenttyper[0].antas_av[0]"], "inget slag"),
    ("antas_av_kind_not_in_organisation", ["dokumenttyper[1].antas_av[1]"], "'namnd'"),
    ("overordnad_unknown_type", ["dokumenttyper[1].overordnade[0]"], "'vision'"),
    ("direkt_till_not_escalation_level", ["allvarlighetsgrader[1].direkt_till"], "eskaleringen"),
    ("escalation_unknown_kind", ["eskalering[0].slag"], "'enhetschef'"),
    ("escalation_zero_deadline", ["eskalering[1].kvittens_timmar"], "större än 0"),
    ("escalation_kind_not_in_organisation", ["eskalering[4].slag"], "'bolag'"),
    ("escalation_out_of_order", ["eskalering[1].slag"], "nerifrån och upp"),
    ("impossible_date", ["kalender.delarsperiod_slutar"], "sista dagen är 28"),
    ("leap_day", ["kalender.arsredovisning_senast"], "varje år"),
    ("month_13", ["kalender.budget_senast.manad"], "högst 12"),
    ("duplicate_follow_up_month", ["kalender.uppfoljningsmanader[6]"], "finns redan"),
    ("follow_up_not_an_edge", ["kalender.uppfoljningsled[1]"], "direkt under"),
    ("syntax_error", ["rad 11, kolumn 26"], "citattecken"),
    (
        "internkontroll_not_an_organ",
        ["internkontroll.antas_av[1]", "internkontroll.sannolikhet"],
        "'sektorschef' är inget slag av organ",
    ),
]


@pytest.mark.parametrize(("name", "locations", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_reported_where_it_is_broken(name: str, locations: list[str], fragment: str) -> None:
    """Each broken fixture gives exactly the problems of its fault, in Swedish, at its location."""
    problems = problems_in(name)
    assert [p.location for p in problems] == locations
    assert fragment in " ".join(p.message for p in problems)


def test_every_broken_fixture_is_tested() -> None:
    """No fixture file lies unused beside the tests."""
    tested = {name for name, _, _ in BROKEN} | {"minimal", "several_problems", "sex_namnder"}
    assert {path.stem for path in FIXTURES.glob("*.toml")} == tested


def test_several_problems_are_all_listed_in_file_order() -> None:
    """A file with five faults in different sections reports all five, by line and column."""
    problems = problems_in("several_problems")
    assert [(p.location, p.line, p.column) for p in problems] == [
        ("okand", 3, 1),
        ("befattning[4].slag", 39, 1),
        ("befattning[6].under", 52, 1),
        ("bedomningsskala[2].kod", 63, 1),
        ("kalender.delarsperiod_slutar", 124, 1),
    ]
    assert [p.block for p in problems] == [
        "",
        "befattning 'larande'",
        "befattning 'beredning'",
        "bedomningsskala 'uppfyllt'",
        "kalender",
    ]


def test_invalid_lists_one_problem_per_line() -> None:
    """The exception's text has one 'location: message' line per problem."""
    with pytest.raises(StyrmodellInvalid) as raised:
        load_styrmodell(FIXTURES / "several_problems.toml")
    lines = str(raised.value).splitlines()
    assert lines == [f"{p.where()}: {p.message}" for p in raised.value.problems]
    assert len(lines) == 5
    assert lines[1].startswith("rad 39, kolumn 1, befattning[4].slag (befattning 'larande'): ")


def test_invalid_survives_pickling() -> None:
    """The exception keeps its problems across pickling, e.g. between processes."""
    invalid = StyrmodellInvalid([Problem("kommun.kod", "fel")])
    restored = pickle.loads(pickle.dumps(invalid))
    assert restored.problems == invalid.problems


def test_missing_file_is_one_problem(tmp_path: Path) -> None:
    """A file that does not exist is reported, not raised as OSError."""
    with pytest.raises(StyrmodellInvalid) as raised:
        load_styrmodell(tmp_path / "saknas.toml")
    assert [p.location for p in raised.value.problems] == ["fil"]
    assert "finns inte" in raised.value.problems[0].message


def test_directory_is_one_problem(tmp_path: Path) -> None:
    """A directory in place of a file is reported, not raised as OSError."""
    assert [p.location for p in validate_styrmodell_file(tmp_path)] == ["fil"]


def test_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    """Latin-1 text (a bare 0xe4 for ä) is reported at its line and column."""
    path = tmp_path / "latin1.toml"
    path.write_bytes('[kommun]\nnamn = "Lerum"\nkod = "Mölndal"\n'.encode("latin-1"))
    problems = validate_styrmodell_file(path)
    assert [p.location for p in problems] == ["rad 3, kolumn 9"]
    assert "UTF-8" in problems[0].message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A file saved with a UTF-8 byte order mark loads."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + shipped_styrmodell_path().read_bytes())
    assert load_styrmodell(path).kommun.kod == "1441"


def test_truncated_file_is_invalid_not_a_crash(tmp_path: Path) -> None:
    """Half of lerum.toml is reported as StyrmodellInvalid with problems."""
    data = shipped_styrmodell_path().read_bytes()
    path = tmp_path / "halv.toml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StyrmodellInvalid) as raised:
        load_styrmodell(path)
    assert raised.value.problems


LERUM_BYTES = shipped_styrmodell_path().read_bytes()


@given(
    cut=st.integers(0, len(LERUM_BYTES)),
    damage=st.lists(st.tuples(st.integers(0, len(LERUM_BYTES) - 1), st.binary(max_size=3))),
)
@settings(max_examples=150, deadline=None)
def test_damaged_file_never_raises_anything_but_invalid(
    tmp_path_factory: pytest.TempPathFactory, cut: int, damage: list[tuple[int, bytes]]
) -> None:
    """A half-written or corrupted file either loads or raises StyrmodellInvalid."""
    data = bytearray(LERUM_BYTES)
    for position, replacement in damage:
        data[position : position + 1] = replacement
    path = tmp_path_factory.mktemp("skadad") / "lerum.toml"
    path.write_bytes(bytes(data[:cut]))
    outcome = _outcome(lambda: load_styrmodell(path))
    assert isinstance(outcome, Styrmodell) or outcome.problems


# --- Random mutations of a valid model ------------------------------------------

LERUM_DATA: dict[str, Any] = tomllib.loads(LERUM_BYTES.decode("utf-8"))


def _paths(node: object, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = list(_paths(LERUM_DATA))
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.dates()
    | st.sampled_from(["kf", "ks", "chef", "fullmaktige", "styrelse", "", "1441"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "slag", "under", "manad", "dag", "kod"]) | st.text(max_size=6),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)
MUTATION = st.tuples(st.sampled_from(PATHS), st.sampled_from(["delete", "replace", "rename"]), ANY_VALUE)


def _holds(node: Any, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def _mutate(data: Any, path: tuple[str | int, ...], action: str, value: Any) -> None:
    parent = data
    for part in path[:-1]:
        if not _holds(parent, part):
            return  # an earlier mutation removed or replaced this part
        parent = parent[part]
    key = path[-1]
    if not _holds(parent, key):
        return
    if action == "rename" and isinstance(parent, dict):
        parent[str(value)] = parent.pop(key)
    elif action == "delete":
        del parent[key]
    else:
        parent[key] = value


@given(st.lists(MUTATION, min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_mutated_model_never_raises_anything_but_invalid(
    mutations: list[tuple[tuple[str | int, ...], str, Any]],
) -> None:
    """Deleting, renaming or retyping parts of Lerum's model either loads or raises StyrmodellInvalid."""
    data = copy.deepcopy(LERUM_DATA)
    for mutation in mutations:
        _mutate(data, *mutation)
    outcome = _outcome(lambda: parse_styrmodell(data))
    if isinstance(outcome, StyrmodellInvalid):
        assert outcome.problems
        assert all(p.location and p.message for p in outcome.problems)
    else:
        chain = outcome.styrkedja()
        assert chain.root().kind is PositionKind.FULLMAKTIGE
        assert all(chain.ancestors(p.id)[-1:] in ([], [chain.root()]) for p in chain)


LERUM_IDS = [b["id"] for b in LERUM_DATA["befattning"]]


def _is_tree(model: Styrmodell) -> bool:
    parents = {b.id: b.under for b in model.befattning}
    for start in parents:
        current: str | None = start
        for _ in range(len(parents) + 1):
            if current is None:
                break
            current = parents[current]
        else:
            return False
    return sum(under is None for under in parents.values()) == 1


@given(
    st.lists(
        st.tuples(st.sampled_from(range(len(LERUM_IDS))), st.sampled_from([*LERUM_IDS, None])),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=200, deadline=None)
def test_rewired_chain_loads_only_when_it_is_a_tree(
    rewiring: list[tuple[int, str | None]],
) -> None:
    """Moving befattningar under one another loads only if one root and no cycle remain."""
    data = copy.deepcopy(LERUM_DATA)
    for index, under in rewiring:
        data["befattning"][index].pop("under", None)
        if under is not None:
            data["befattning"][index]["under"] = under
    outcome = _outcome(lambda: parse_styrmodell(data))
    assert _is_tree(outcome) if isinstance(outcome, Styrmodell) else outcome.problems
