"""Every position a command names must exist on the command's day: one established only from a
later day is refused as parent, recipient, delegate, appointee, document owner or scope and control
owner, in Swedish, naming it and the day it is established from, recording nothing; from that day the
same command is recorded. One rule serves them all (`befattning.check_exists_on`, asked through
`RecordReads.position_on`); reads about an earlier day still describe the position."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from unit.governance_world import DAY, PROCUREMENT, SECTOR, World, governance, refused, seed, send
from unit.styrdokument_world import adopt_fields, decide

from lerum_flow.application import Governance
from lerum_flow.domain.befattning import check_exists_on
from lerum_flow.domain.errors import InvalidState

LATE = "enhet-sen"
LATER = date(2027, 8, 1)
GONE = date(2027, 10, 1)

# A command naming LATE on a day: its method, the position it acts in, its fields, and the field the
# refusal names.
Named = tuple[str, str, dict[str, Any], str]


def establish_below(app: Governance, world: World, on: date) -> Named:
    fields = {"code": f"under-{on}", "name": "Medarbetare", "kind": "medarbetare", "parent": LATE}
    return "establish_befattning", SECTOR, {**fields, "established_on": on}, "parent"


def uppdrag_to(app: Governance, world: World, on: date) -> Named:
    fields = {"recipient": LATE, "title": f"Lokaler {on}", "origin_beslut_id": world.budget}
    return "issue_uppdrag", SECTOR, {**fields, "issued_on": on, "due": date(2027, 12, 1)}, "to"


def delegering_to(app: Governance, world: World, on: date) -> Named:
    fields = {"delegates": [LATE], "matter": PROCUREMENT, "beslut_id": world.delegationsordning}
    return "grant_delegering", "ks", {**fields, "valid_from": on}, "to"


def appointed_to(app: Governance, world: World, on: date) -> Named:
    # Decided on DAY either way: one may be appointed ahead, to hold it from its first day.
    fields = {"position": LATE, "appointee": f"p-ny-{on}", "decided_on": DAY}
    return "appoint", SECTOR, {**fields, "valid_from": on}, "position"


def styrdokument_owned_by(app: Governance, world: World, on: date) -> Named:
    beslut = decide(app, "kf", DAY, "Lokalpolicy", number=20)
    return "adopt_styrdokument", "kf", adopt_fields(beslut, "policy", owner=LATE, valid_from=on), "owner"


def styrdokument_for(app: Governance, world: World, on: date) -> Named:
    beslut = decide(app, "kf", DAY, "Lokalpolicy", number=21)
    return "adopt_styrdokument", "kf", adopt_fields(beslut, "policy", scope=LATE, valid_from=on), "scope"


def control_owned_by(app: Governance, world: World, on: date, *, year: int = 2027) -> Named:
    plan = send(app, "open_internkontrollplan", "kommundirektor", organ="ks", year=year, opened_on=DAY).id
    send(app, "identify_risk", "kommundirektor", plan_id=plan, title="Felaktiga utbetalningar", probability=3,
         consequence=4, on=DAY)  # fmt: skip
    fields = {"plan_id": plan, "risk": 1, "title": "Attestkontroll", "owner": LATE, "method": "Stickprov",
              "frequency": "kvartal"}  # fmt: skip
    return "plan_control", "kommundirektor", {**fields, "on": on}, "owner"


NAMING = [establish_below, uppdrag_to, delegering_to, appointed_to, styrdokument_owned_by, styrdokument_for,
          control_owned_by]  # fmt: skip


@pytest.fixture
def seeded() -> tuple[Governance, World]:
    """The seeded world, with a unit below the sector established only from LATER."""
    app = governance()
    world = seed(app)
    send(app, "establish_befattning", SECTOR, code=LATE, name="Ny enhet", kind="chef", parent=SECTOR,
         established_on=LATER)  # fmt: skip
    return app, world


@pytest.mark.parametrize("naming", NAMING, ids=lambda n: n.__name__)
def test_a_command_naming_a_position_before_it_is_established_is_refused_and_records_nothing(
    seeded: tuple[Governance, World], naming: Callable[[Governance, World, date], Named]
) -> None:
    """On DAY, before the unit exists, refused naming it, the day and the day it is established from,
    in the field that names it; nothing recorded."""
    app, world = seeded
    method, actor, fields, field = naming(app, world, DAY)

    refusal = refused(app, method, actor, **fields)

    assert (refusal.rule, refusal.field) == ("inte_inrattad_an", field)
    assert str(refusal).startswith(
        f"Befattningen '{LATE}' fanns inte {DAY.isoformat()}: den inrättades först från {LATER.isoformat()}."
    )


@pytest.mark.parametrize("naming", NAMING, ids=lambda n: n.__name__)
def test_a_command_naming_a_position_from_the_day_it_is_established_is_recorded(
    seeded: tuple[Governance, World], naming: Callable[[Governance, World, date], Named]
) -> None:
    """The same command for LATER, the unit's first day, is recorded."""
    app, world = seeded
    method, actor, fields, _ = naming(app, world, LATER)

    assert send(app, method, actor, **fields).recorded


def test_a_command_naming_a_discontinued_position_is_refused_in_the_same_words(
    seeded: tuple[Governance, World],
) -> None:
    """Discontinued from GONE, the unit is refused as recipient on GONE, naming the day it is gone from."""
    app, world = seeded
    send(app, "discontinue_befattning", SECTOR, code=LATE, reason="Omorganisation.", discontinued_on=GONE)
    method, actor, fields, field = uppdrag_to(app, world, GONE)

    refusal = refused(app, method, actor, **fields)

    assert (refusal.rule, refusal.field) == ("avvecklad", field)
    assert str(refusal).startswith(
        f"Befattningen '{LATE}' fanns inte {GONE.isoformat()}: den avvecklades från {GONE.isoformat()}."
    )


def test_a_control_planned_ahead_of_its_year_may_name_a_position_established_from_the_years_first_day(
    seeded: tuple[Governance, World],
) -> None:
    """A plan is drafted in the autumn before its year: its control's owner performs it from the
    year's first day, so a unit established from then may own it; one established only later may not."""
    app, world = seeded
    send(app, "establish_befattning", SECTOR, code="enhet-nyar", name="Ny enhet", kind="chef", parent=SECTOR,
         established_on=date(2028, 1, 1))  # fmt: skip
    method, actor, fields, _ = control_owned_by(app, world, DAY, year=2028)

    assert send(app, method, actor, **{**fields, "owner": "enhet-nyar"}).recorded
    send(app, "establish_befattning", SECTOR, code="enhet-var", name="Ny enhet", kind="chef", parent=SECTOR,
         established_on=date(2028, 4, 1))  # fmt: skip
    refusal = refused(app, method, actor, **{**fields, "owner": "enhet-var", "title": "Avtalskontroll"})
    assert (refusal.rule, refusal.field) == ("inte_inrattad_an", "owner")
    assert "fanns inte 2028-01-01: den inrättades först från 2028-04-01" in str(refusal)


def test_a_read_about_a_day_before_a_position_is_established_still_describes_it(
    seeded: tuple[Governance, World],
) -> None:
    """Asked about DAY (as `audit authority` and `organisation list` ask), the unit is described."""
    app, _ = seeded
    app.govern_on(DAY)

    assert (app.position(LATE).id, app.position(LATE).parent) == (LATE, SECTOR)


@pytest.mark.parametrize(
    ("day", "established_from", "gone_from", "rule"),
    [
        (date(2027, 7, 31), LATER, None, "inte_inrattad_an"),
        (LATER, LATER, None, None),
        (date(2027, 9, 30), LATER, GONE, None),
        (GONE, LATER, GONE, "avvecklad"),
        (date(2020, 1, 1), None, None, None),
    ],
    ids=["day-before-established", "first-day", "last-day", "day-discontinued-from", "fixed-chain"],
)
def test_a_position_exists_from_the_day_it_is_established_until_the_day_before_it_is_discontinued(
    day: date, established_from: date | None, gone_from: date | None, rule: str | None
) -> None:
    """The rule alone: established from its first day, gone from the day it is discontinued from; a
    position of the fixed chain (no first day) exists on any day."""
    if rule is None:
        check_exists_on(LATE, day, established_from=established_from, gone_from=gone_from, field="to")
        return
    with pytest.raises(InvalidState) as refusal:
        check_exists_on(LATE, day, established_from=established_from, gone_from=gone_from, field="to")
    assert (refusal.value.rule, refusal.value.field) == (rule, "to")
