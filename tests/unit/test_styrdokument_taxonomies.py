"""A second municipality's taxonomy of governing documents, with other types and review intervals,
read from its styrmodell file with no change of code."""

from __future__ import annotations

from datetime import date

import pytest
from unit.governance_world import governance, refused, staff
from unit.styrdokument_world import POLICY_DAY, RIKTLINJE_DAY, adopt, adopt_fields, decide, document

from lerum_flow.application import Governance
from lerum_flow.styrmodell import load_styrmodell, shipped_styrmodell_path

LATER = date(2028, 3, 1)


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def norrvik() -> Governance:
    """A store on Norrvik's styrmodell, its fixed chain staffed as the world's is."""
    app = Governance(
        load_styrmodell(shipped_styrmodell_path("norrvik")), env={"PERSISTENCE_MODULE": "eventsourcing.popo"}
    )
    staff(app)
    return app


def test_norrvik_adopts_its_own_types_with_its_own_review_intervals(norrvik: Governance) -> None:
    """A nämnd adopts a riktlinje under KF's program (reviewed every second year) and a regel under it
    (every year); the bolag gets its ägardirektiv from KF."""
    program = adopt(
        norrvik, "kf", decide(norrvik, "kf", POLICY_DAY, "Program", number=1), "program", "Miljöprogram", "ks"
    )
    riktlinje = adopt(
        norrvik,
        "bun",
        decide(norrvik, "bun", RIKTLINJE_DAY, "Riktlinje", number=2),
        "riktlinje",
        "Riktlinje för skolskjuts",
        "bun-forvaltningschef",
        parent_styrdokument_id=program,
    )
    regel = adopt(
        norrvik,
        "bun",
        decide(norrvik, "bun", LATER, "Regel", number=3),
        "regel",
        "Regler för skolskjuts",
        "bun-forvaltningschef",
        parent_styrdokument_id=riktlinje,
    )
    direktiv = adopt(
        norrvik,
        "kf",
        decide(norrvik, "kf", LATER, "Ägardirektiv", kind="agardirektiv", number=4),
        "agardirektiv",
        "Ägardirektiv för Norrviksbostäder",
        "ks",
        scope="norrviksbostader",
    )

    assert [document(norrvik, d).review_by for d in (program, riktlinje, regel, direktiv)] == [
        date(2031, 2, 15),
        date(2029, 4, 10),
        date(2029, 3, 1),
        date(2030, 3, 1),
    ]
    assert (document(norrvik, riktlinje).scope, document(norrvik, direktiv).scope) == (
        "bun",
        "norrviksbostader",
    )


def test_a_type_one_municipality_has_is_unknown_in_the_other(app: Governance, norrvik: Governance) -> None:
    """Norrvik has regler but no rutiner; Lerum has rutiner but no regler."""
    lerum_beslut = decide(app, "ks", LATER, "Regel", number=1)
    norrvik_beslut = decide(norrvik, "ks", LATER, "Rutin", number=1)

    assert (
        refused(app, "adopt_styrdokument", "ks", **adopt_fields(lerum_beslut, "regel")).rule
        == "okand_dokumenttyp"
    )
    assert refused(norrvik, "adopt_styrdokument", "ks", **adopt_fields(norrvik_beslut, "rutin")).rule == (
        "okand_dokumenttyp"
    )


def test_a_nämnd_cannot_adopt_for_another_nämnd(norrvik: Governance) -> None:
    """Barn- och utbildningsnämnden's riktlinje cannot govern the socialnämnd."""
    program = adopt(
        norrvik, "kf", decide(norrvik, "kf", POLICY_DAY, "Program", number=1), "program", "Program", "ks"
    )
    beslut = decide(norrvik, "bun", LATER, "Riktlinje", number=2)

    refusal = refused(
        norrvik,
        "adopt_styrdokument",
        "bun",
        **adopt_fields(beslut, "riktlinje", scope="son", owner="bun", parent_styrdokument_id=program),
    )

    assert refusal.rule == "rackvidd"
