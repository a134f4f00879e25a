"""One translator of pydantic's errors: commands name fields by their titles, files by their keys."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from lerum_flow.commands import Command, GrantDelegering, IssueUppdrag, TakeBeslut, parse_command
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.validation_messages import (
    PLAIN,
    Wording,
    close_match,
    describe_errors,
    describe_validation_error,
    field_label,
)


def _refusal(command: type[Command], **fields: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as refusal:
        parse_command(command, actor="ks", person="p-1", **fields)
    return refusal.value


def _validation_error(model: type[BaseModel], data: object) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return raised.value


def _errors(model: type[BaseModel], data: object, wording: Wording = PLAIN) -> list[tuple[str, str]]:
    return describe_errors(_validation_error(model, data), model, wording)


BESLUT = {"decided_by": "ks", "kind": "ovrigt", "diarienummer": "KS 2027/1", "title": "t"}


def test_command_fields_are_named_by_their_titles() -> None:
    """A refused command names the field as the command line's option, and what would be right."""
    refusal = _refusal(TakeBeslut, **BESLUT, decided_on="2027-13-01")
    assert (refusal.field, refusal.rule) == ("date", "datum")
    assert refusal.message == (
        "date: '2027-13-01' är inget datum som finns; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-06-15."
    )


def test_every_field_at_fault_is_named_and_the_first_is_the_field() -> None:
    """Two faults give one message naming both; the refusal's field is the first."""
    refusal = _refusal(
        GrantDelegering,
        delegates=[""],
        matter="m",
        beslut_id=UUID(int=1),
        valid_from=date(2027, 1, 1),
        urgent="kanske",
    )
    assert refusal.field == "to[0]"
    assert (
        refusal.message
        == "to[0]: Får inte vara tomt. urgent: Ska vara true eller false, inte en text ('kanske')."
    )


def test_a_missing_field_says_what_to_give() -> None:
    """A missing field is named by its title, with the kind of value it takes."""
    error = _validation_error(TakeBeslut, {**BESLUT, "actor": "ks", "person": "p-1"})
    field, message = describe_validation_error(error, TakeBeslut)
    assert field == "date"
    assert "'date' saknas; ange ett datum på formen ÅÅÅÅ-MM-DD" in message


def test_a_value_outside_an_enum_lists_the_allowed_and_suggests_a_close_one() -> None:
    """A misspelt choice gets a 'menade du' and the list of allowed values."""
    refusal = _refusal(
        IssueUppdrag, kind="malet", recipient="kommundirektor", title="T", issued_on="2027-01-01"
    )
    assert refusal.field == "kind"
    assert "'malet' är inte tillåtet; menade du 'mal'? välj ett av: uppdrag, mal" in refusal.message


class _Rad(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    antal: Annotated[int, Field(ge=1)]
    namn: str = Field(title="Namn")


def _even(value: int) -> int:
    if value % 2:
        raise PydanticCustomError("eget_fel", "{value} är udda; ange ett jämnt tal.", {"value": value})
    return value


class _Fil(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    rader: list[_Rad]
    jamnt: Annotated[int, AfterValidator(_even)] = 2


TOML = Wording(text="en text inom citattecken", whole="(hela filen)")


def test_nested_locations_use_keys_indexes_and_titles() -> None:
    """A location walks into lists and tables; a key with a title is named by it."""
    assert field_label(_Fil, ("rader", 2, "namn")) == "rader[2].Namn"
    assert field_label(_Fil, ("rader", 0, "okand")) == "rader[0].okand"
    assert field_label(_Fil, ()) == "(hela)"


def test_the_declared_type_says_what_would_be_right() -> None:
    """A value of the wrong type is told what it should be, in the wording of its format."""
    assert _errors(_Fil, {"rader": [{"antal": "3", "namn": 1}]}, TOML) == [
        ("rader[0].antal", "Ska vara ett heltal, inte en text ('3')."),
        ("rader[0].Namn", "Ska vara en text inom citattecken, inte ett heltal (1)."),
    ]
    assert _errors(_Fil, {"rader": {}}) == [
        ("rader", "Ska vara en lista av tabeller, [[rader]], med nycklarna antal, namn, inte en tabell."),
    ]
    assert _errors(_Fil, "x", TOML) == [
        ("(hela filen)", "Ska vara en tabell med nycklarna rader, jamnt, inte en text ('x')."),
    ]


def test_an_unknown_key_suggests_the_known_one_it_resembles() -> None:
    """A misspelt key gets a 'menade du' and the keys allowed where it stands."""
    assert _errors(_Fil, {"rader": [{"antal": 1, "namn": "a", "antl": 2}]}) == [
        ("rader[0].antl", "Okänd nyckel 'antl'; menade du 'antal'? tillåtna nycklar här: antal, namn."),
    ]


def test_bounds_name_the_bound_and_the_value() -> None:
    """A number out of bounds says the bound and what was given."""
    assert _errors(_Fil, {"rader": [{"antal": 0, "namn": "a"}]}) == [
        ("rader[0].antal", "Ska vara minst 1, inte 0."),
    ]


def test_an_applications_own_error_is_shown_as_it_is() -> None:
    """A custom error's message is already Swedish and final."""
    assert _errors(_Fil, {"rader": [], "jamnt": 3}) == [("jamnt", "3 är udda; ange ett jämnt tal.")]


@pytest.mark.parametrize(("word", "expected"), [("ks-ordf", "ks-ordforande"), ("okand", None)])
def test_close_match_suggests_only_near_misses(word: str, expected: str | None) -> None:
    """'ks-ordf' is near 'ks-ordforande'; 'okand' is near nothing."""
    assert close_match(word, ["ks-ordforande", "kalender", "kf"]) == expected
