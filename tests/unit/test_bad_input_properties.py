"""Random commands, valid and not, never make the application raise anything but a Refusal,
and a refused command records nothing; a control character or a number given as a date in any
field is always refused."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from unit.command_fields import date_fields, is_list, text_fields
from unit.governance_world import (
    CHEF,
    COMMAND_OF,
    DAY,
    MEDARBETARE,
    YEAR_START,
    World,
    event_count,
    governance,
    person_of,
    run,
    seed,
)

from lerum_flow import commands as c
from lerum_flow.application import Outcome
from lerum_flow.domain.befattning import befattning_id
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.forordnande import Role
from lerum_flow.domain.internkontroll import internkontrollplan_id
from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.domain.values import (
    AvvikelseSubject,
    BeslutKind,
    BudgetKind,
    Frekvens,
    Rapportperiod,
    UppdragKind,
    Utfall,
)
from lerum_flow.input_dates import EARLIEST, LATEST
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.text_safety import first_unsafe

STYRMODELL = default_styrmodell()
POSITIONS = [p.id for p in STYRMODELL.styrkedja()] + [CHEF, MEDARBETARE]
MATTERS = [o.kod for o in STYRMODELL.beslutsomraden]

# Values a person could type (or a broken client send) that are wrong for most fields.
JUNK_TEXT = [
    "",
    " ",
    "\t\n ",
    "\x00",
    "\u200b",
    "x" * 81,
    "x" * 201,
    "x" * 4001,
    "ä" * 5000,
    "🚒",
    "KS",
    " ks ",
    "kf\x00",
    "../etc",
    "'; DROP TABLE stored_events; --",
    "null",
    "-1",
    "\udcff",  # what a non-UTF-8 byte on the command line becomes (surrogateescape)
    "KS 2027/1\x1b[2J",
    "titel\rskriven över",
    "Budget\u202e2027",
    "rad ett\nrad två",
    "a\u2028b",
]
# Characters the character rule refuses in every text (lerum_flow.text_safety).
UNSAFE = ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u200f",
          "\u061c", "\u200b", "\u00ad", "\ufeff", "\U000e0041", "\u2028", "\udcff", "\uffff"]  # fmt: skip
# Numbers, other forms and far-off days: never a date (lerum_flow.input_dates).
NOT_A_DAY: list[Any] = [0, 86400, 1_700_000_000, "86400", "20270615", "1899-12-31", "2201-01-01",
                        date(1, 1, 1), date(9999, 12, 31), 1.5]  # fmt: skip
any_text = st.one_of(st.text(max_size=40), st.text(min_size=1, max_size=8).map(lambda s: s * 600))
junk = st.one_of(
    any_text,
    st.sampled_from(JUNK_TEXT),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["2027-02-30", "2027-13-01", "idag", "not-a-uuid", "{}"]),
    st.sampled_from(NOT_A_DAY),
)

# Well-formed values: they pass the command model, so the application's own rules decide.
# What a person types: no control or format characters; newline and tab in long texts only.
# (Noncharacters such as U+1FFFE are unassigned, Cn, yet refused too: they are filtered out.)
typed = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")).filter(
    lambda character: first_unsafe(character, multiline=False) is None
)
line = st.text(typed, min_size=1, max_size=80).filter(str.strip)
prose = st.one_of(
    st.sampled_from(["Skäl", "Åtgärdat enligt plan.", "Första raden.\nAndra:\tmed tabb."]),
    st.text(st.one_of(typed, st.sampled_from("\n\t")), min_size=1, max_size=300).filter(str.strip),
)
short = st.one_of(st.just(""), st.text(typed, max_size=200))
heading = st.text(typed, min_size=1, max_size=200).filter(str.strip)  # titles and names: one line
day = st.one_of(
    st.sampled_from([DAY, YEAR_START, date(2026, 6, 15), date(2026, 12, 10), date(2027, 12, 31)]),
    st.dates(min_value=EARLIEST, max_value=LATEST),
)


def code(values: list[str]) -> st.SearchStrategy[str]:
    """Mostly the real codes, sometimes a near miss or any other code."""
    near = [v.upper() for v in values] + [v + "x" for v in values]
    real = st.sampled_from(values)
    return st.one_of(real, real, real, st.sampled_from(near), line)


# The positions that hold the seeded records come first, so commands on them sometimes succeed.
position = st.one_of(st.sampled_from(["kf", "ks", "kommundirektor", "larande"]), code(POSITIONS))


# Stands for the person who holds the actor's position in the world, so that commands get past
# the check of the person's förordnande as often as they are refused by it.
HOLDER = "innehavaren"


def held_by_the_actor(fields: dict[str, Any]) -> None:
    if fields.get("person") == HOLDER:
        actor = fields.get("actor")
        fields["person"] = person_of(actor) if actor in [*POSITIONS, CHEF, MEDARBETARE] else "p-1"


def well_formed(method: str, world: World) -> dict[str, st.SearchStrategy[Any]]:
    known = [*dataclasses.astuple(world), befattning_id(CHEF)]
    any_id = st.one_of(st.sampled_from(known), st.sampled_from(known), st.uuids())

    def an_id(*likely: Any) -> st.SearchStrategy[Any]:
        """The record this field usually names, else any known record, else a random id."""
        return st.one_of(st.sampled_from(likely), any_id)

    kinds = {
        "establish_befattning": code([str(k) for k in PositionKind]),
        "take_beslut": st.sampled_from([str(k) for k in BeslutKind]),
        "issue_uppdrag": st.sampled_from([str(k) for k in UppdragKind]),
    }
    return {
        "actor": position,
        "person": st.one_of(
            st.just(HOLDER),
            st.sampled_from(["p-1", "p-2"]),
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", fullmatch=True),
        ),
        "command_id": st.one_of(st.none(), st.uuids()),
        "secrecy": st.one_of(st.just(""), st.just("OSL 39:3"), short),
        "process": st.one_of(st.none(), st.just("arshjul-1441-2027"), line),
        "correction": st.one_of(st.none(), st.just("Registrerades sent."), short),
        "code": st.one_of(
            st.sampled_from(["chef-ny", "m-ny", CHEF, MEDARBETARE, "kf"]),
            st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
        ),
        "name": st.one_of(st.just("Rektor, Vallhamra skola"), heading),
        "kind": kinds.get(method, line),
        "parent": position,
        "established_on": day,
        "discontinued_on": day,
        "decided_by": position,
        "diarienummer": st.one_of(st.sampled_from(["KF 2026/10", "KS 2026/200", "KS 2027/1"]), line),
        "paragraf": st.one_of(st.sampled_from(["§ 55", "§ 120", ""]), short),
        "title": st.one_of(st.sampled_from(["Budget 2027", "Ny titel"]), heading),
        "decided_on": day,
        "matter": st.one_of(code(MATTERS), st.just("")) if method == "take_beslut" else code(MATTERS),
        "delegering_id": st.one_of(st.none(), an_id(world.delegering))
        if method == "take_beslut"
        else an_id(world.delegering),
        "beslut_id": an_id(world.budget, world.delegationsordning, world.director_delegationsordning),
        "budget_year": st.one_of(st.none(), st.integers(2025, 2029), st.integers(1900, 2999)),
        "budget_kind": st.one_of(st.none(), st.sampled_from([str(k) for k in BudgetKind])),
        "reason": prose,
        "corrected_on": day,
        "minutes_paragraf": short,
        "reported_on": day,
        "delegates": st.lists(position, min_size=1, max_size=3),
        "urgent": st.booleans(),
        "parent_delegering_id": st.one_of(st.none(), an_id(world.delegering)),
        "valid_from": day,
        "conditions": short,
        "recipient": position,
        "description": st.one_of(st.none(), prose, st.just("")) if method == "revise_uppdrag" else prose,
        "due": st.one_of(st.none(), day),
        "origin_beslut_id": st.one_of(st.none(), an_id(world.budget)),
        "parent_id": st.one_of(st.none(), an_id(world.kf_uppdrag_to_ks)),
        "issued_on": day,
        "key": short,
        "uppdrag_id": an_id(world.kf_uppdrag_to_ks),
        "on": day,
        "assessment": code(STYRMODELL.assessment_codes()),
        "text": prose,
        "period": st.sampled_from([str(p) for p in Rapportperiod])
        if method == "report_internkontroll"
        else short,
        "comment": short,
        "subject_kind": st.sampled_from([str(k) for k in AvvikelseSubject]),
        "subject_ref": st.one_of(an_id(world.kf_uppdrag_to_ks).map(str), line),
        "severity": code(STYRMODELL.severity_codes()),
        "category": code(list(STYRMODELL.avvikelsekategorier)),
        "occurred_on": day,
        "avvikelse_id": an_id(world.avvikelse),
        "to_level": st.one_of(st.just(""), position),
        "action": prose,
        "resolution": prose,
        # Internal control: the plan is seldom there, so most commands on it are refused, as they must be.
        "organ": position,
        "year": st.one_of(st.just(2027), st.integers(min_value=EARLIEST.year, max_value=LATEST.year)),
        "opened_on": day,
        "plan_id": an_id(internkontrollplan_id("ks", 2027)),
        "probability": st.integers(min_value=0, max_value=6),
        "consequence": st.integers(min_value=0, max_value=6),
        "chosen": st.booleans(),
        "risk": st.integers(min_value=1, max_value=3),
        "method": prose,
        "frequency": st.sampled_from([str(f) for f in Frekvens]),
        "control": st.integers(min_value=1, max_value=3),
        "outcome": st.sampled_from([str(u) for u in Utfall]),
        "performed_on": day,
        "handed_over_on": day,
        "summary": prose,
        "document_type": code([k.kod for k in STYRMODELL.dokumenttyper]),
        "owner": position
        if method in ("adopt_styrdokument", "plan_control", "hand_over_control")
        else st.one_of(st.just(""), position),
        "scope": st.one_of(st.just(""), position),
        "parent_styrdokument_id": st.one_of(st.none(), any_id),
        "styrdokument_id": any_id,
        "successor_id": st.one_of(st.none(), any_id),
        "position": position,
        "appointee": st.sampled_from(["p-ny", "p-ks", "p-larande"]),
        "role": st.one_of(st.just(""), st.sampled_from([str(r) for r in Role]), line),
        "valid_until": day if method == "end_forordnande" else st.one_of(st.none(), day),
        "bevis": st.one_of(st.just(""), st.just("Länsstyrelsen, bevis nr 7"), short),
        # A report's draft and the decision adopting it.
        "report": st.one_of(st.sampled_from(["manad", "delar", "arsredovisning"]), code(["kvartal"])),
        "digest": st.one_of(st.from_regex(r"[0-9a-f]{64}", fullmatch=True), short),
        "log_position": st.integers(min_value=0),
        "as_of": day,
        "known_on": st.one_of(st.none(), day),
        "made_on": day,
        "report_digest": st.one_of(st.none(), st.from_regex(r"[0-9a-f]{64}", fullmatch=True), short),
    }


@pytest.mark.parametrize("method", sorted(COMMAND_OF))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_commands_are_refused_or_recorded_never_crash(method: str, data: st.DataObject) -> None:
    """Whatever the fields, the command is recorded or refused (a Refusal), and a refusal records nothing."""
    app = governance()
    world = seed(app)
    model = COMMAND_OF[method]
    valid = well_formed(method, world)
    names = list(model.model_fields)
    # Most fields well-formed, a few (often none) replaced by junk, one sometimes left out,
    # and now and then a field the command does not have. The usual choice comes first in
    # each sampled_from, because hypothesis favours (and shrinks towards) the first.
    spoiled = data.draw(st.sets(st.sampled_from(names), max_size=2), label="spoiled")
    fields: dict[str, Any] = {}
    for name in names:
        if not model.model_fields[name].is_required() and not data.draw(st.booleans(), label=f"send {name}"):
            continue
        fields[name] = data.draw(junk if name in spoiled else valid[name], label=name)
    left_out = data.draw(st.sampled_from([None, *names]), label="left out")
    if left_out is not None and data.draw(st.sampled_from([False] * 9 + [True]), label="leave out"):
        fields.pop(left_out, None)
    if data.draw(st.sampled_from([False] * 19 + [True]), label="unknown field"):
        fields["bogus"] = data.draw(junk, label="bogus")
    held_by_the_actor(fields)
    before = event_count(app)
    outcome: Outcome | None = None
    refusal: Refusal | None = None
    try:
        outcome = run(app, method, c.parse_command(model, **fields))
    except Refusal as error:  # anything else fails the test with its traceback
        refusal = error
    if refusal is not None:
        event(f"refused: {refusal.rule}")
        assert event_count(app) == before, f"refused ({refusal.rule}) yet events were added"
        assert refusal.message
    else:
        assert isinstance(outcome, Outcome)
        event("recorded" if outcome.recorded else "already recorded")
        assert event_count(app) == before + (1 if outcome.recorded else 0)


# A letter-and-digit text with room for one more character well inside it: nothing to strip,
# never too long for any field.
core = st.text(st.characters(categories=("Lu", "Ll", "Nd")), min_size=2, max_size=30)


def refused_with_one_field_spoiled(
    method: str,
    data: st.DataObject,
    choose: Callable[[type[c.Command]], list[str]],
    spoil: st.SearchStrategy[Any],
) -> tuple[Refusal, str]:
    """Send the command with every field well-formed but one of `choose(model)`, drawn from
    `spoil`; it must be refused and record nothing. The refusal and the spoiled field's name."""
    app = governance()
    world = seed(app)
    model = COMMAND_OF[method]
    valid = well_formed(method, world)
    fields: dict[str, Any] = {name: data.draw(valid[name], label=name) for name in model.model_fields}
    name = data.draw(st.sampled_from(choose(model)), label="spoiled field")
    value = data.draw(spoil, label="spoiled value")
    fields[name] = [value] if is_list(model.model_fields[name].annotation) else value
    held_by_the_actor(fields)
    before = event_count(app)

    with pytest.raises(Refusal) as refusal:
        run(app, method, c.parse_command(model, **fields))

    assert event_count(app) == before
    field = model.model_fields[name]
    return refusal.value, f"{field.title}[0]" if is_list(field.annotation) else str(field.title)


@st.composite
def with_unsafe_character(draw: st.DrawFn) -> tuple[str, str, int]:
    """A text with a refused character inside it, the character, and its place counting from 1."""
    text, character = draw(core), draw(st.sampled_from(UNSAFE))
    at = draw(st.integers(1, len(text) - 1))
    return text[:at] + character + text[at:], character, at + 1


@pytest.mark.parametrize("method", sorted(COMMAND_OF))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_control_character_in_any_text_field_is_refused_and_records_nothing(
    method: str, data: st.DataObject
) -> None:
    """Whichever text field holds it and wherever inside, the character rule refuses the command."""
    spoiled, character, place = data.draw(with_unsafe_character(), label="text")

    refusal, field = refused_with_one_field_spoiled(method, data, text_fields, st.just(spoiled))

    assert (refusal.rule, refusal.field) == ("styrtecken", field)
    assert f"U+{ord(character):04X} på plats {place}" in refusal.message


# The commands with a date of their own (an adoption, an assessment and a review take theirs from the
# decision).
DATED = sorted(method for method, model in COMMAND_OF.items() if date_fields(model))


@pytest.mark.parametrize("method", DATED)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_number_or_far_off_day_in_any_date_field_is_refused_and_records_nothing(
    method: str, data: st.DataObject
) -> None:
    """Every date field of every command refuses a timestamp or a day outside 1900-2200, rule 'datum'."""
    refusal, field = refused_with_one_field_spoiled(method, data, date_fields, st.sampled_from(NOT_A_DAY))

    assert (refusal.rule, refusal.field) == ("datum", field)
