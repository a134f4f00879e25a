"""The value types of the styrmodell file's fields: codes, names, kinds and months, each
refusing a bad value with its own Swedish message (the tables are in `model`)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, Strict
from pydantic_core import PydanticCustomError

from lerum_flow.domain.law import MatterCategory
from lerum_flow.domain.styrkedja import ORGANS, PositionKind
from lerum_flow.field_types import TEXT_MAX, one_line

# Every error the file format raises has a type with this prefix. Being none of
# pydantic's own types, its message is shown as it is: already Swedish and final.
ERROR_TYPE_PREFIX = "styrmodell_"

_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_KOMMUNKOD = re.compile(r"[0-9]{4}")
_KIND_VALUES = frozenset(kind.value for kind in PositionKind)

# The law owns the kinds of matter; the file format names them in Swedish.
BeslutsomradeKategori = MatterCategory


def nonblank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(ERROR_TYPE_PREFIX + "tomt_varde", "Får inte vara tomt.")
    return value


def _slug(value: str) -> str:
    nonblank(value)
    if not _SLUG.fullmatch(value):
        raise PydanticCustomError(
            ERROR_TYPE_PREFIX + "ogiltig_kod",
            "'{value}' ska skrivas med små bokstäver a–z utan å, ä, ö, med siffror, "
            "'-' och '_', t.ex. 'vard-och-omsorg' eller 'ej_uppfyllt'.",
            {"value": value},
        )
    return value


def _kommunkod(value: str) -> str:
    if not _KOMMUNKOD.fullmatch(value):
        raise PydanticCustomError(
            ERROR_TYPE_PREFIX + "ogiltig_kommunkod",
            "'{value}' är ingen kommunkod; den är fyra siffror inom citattecken, t.ex. '1441'.",
            {"value": value},
        )
    return value


def _position_kind(value: str) -> str:
    if value not in _KIND_VALUES:
        raise PydanticCustomError(
            ERROR_TYPE_PREFIX + "okant_slag",
            "'{value}' är inget slag av befattning; välj ett av: {allowed}.",
            {"value": value, "allowed": ", ".join(PositionKind)},
        )
    return value


def _organ_kind(value: str) -> str:
    _position_kind(value)
    if PositionKind(value) not in ORGANS:
        raise PydanticCustomError(
            ERROR_TYPE_PREFIX + "inget_organ",
            "'{value}' är inget slag av organ; välj ett av: {allowed}.",
            {"value": value, "allowed": ", ".join(sorted(ORGANS))},
        )
    return value


Slug = Annotated[str, Strict(), AfterValidator(_slug)]
# Names and references end up in records and on screens: the same length and
# character rules as every text a person types (lerum_flow.field_types).
Beskrivning = Annotated[str, Strict(), Field(max_length=TEXT_MAX), AfterValidator(one_line)]
Namn = Annotated[Beskrivning, AfterValidator(nonblank)]
Ref = Annotated[Beskrivning, AfterValidator(nonblank)]
# Enum fields accept their string value: the file is text, never enum instances.
Kind = Annotated[PositionKind, Strict(False)]
KindName = Annotated[str, Strict(), AfterValidator(_position_kind)]
OrganKindName = Annotated[str, Strict(), AfterValidator(_organ_kind)]
Manad = Annotated[int, Strict(), Field(ge=1, le=12)]
Kommunkod = Annotated[str, AfterValidator(_kommunkod)]
