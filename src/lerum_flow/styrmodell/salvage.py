"""What of a possibly broken styrmodell is whole: the items of each list that are valid on their own.

References are checked on these even when other values in the file are broken,
so that one round of editing can fix everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.styrmodell.file_fields import Kind, Manad, Slug
from lerum_flow.styrmodell.model import (
    Allvarlighetsgrad,
    Bedomningsniva,
    Befattning,
    Beslutsomrade,
    Dokumenttyp,
    Eskaleringsniva,
    Uppfoljningsled,
)

_T = TypeVar("_T")

_BEFATTNING: TypeAdapter[Befattning] = TypeAdapter(Befattning)
_BEDOMNINGSNIVA: TypeAdapter[Bedomningsniva] = TypeAdapter(Bedomningsniva)
_BESLUTSOMRADE: TypeAdapter[Beslutsomrade] = TypeAdapter(Beslutsomrade)
_DOKUMENTTYP: TypeAdapter[Dokumenttyp] = TypeAdapter(Dokumenttyp)
_ALLVARLIGHETSGRAD: TypeAdapter[Allvarlighetsgrad] = TypeAdapter(Allvarlighetsgrad)
_ESKALERINGSNIVA: TypeAdapter[Eskaleringsniva] = TypeAdapter(Eskaleringsniva)
_UPPFOLJNINGSLED: TypeAdapter[Uppfoljningsled] = TypeAdapter(Uppfoljningsled)
_KIND: TypeAdapter[PositionKind] = TypeAdapter(Kind)
_SLUG: TypeAdapter[str] = TypeAdapter(Slug)
_MANAD: TypeAdapter[int] = TypeAdapter(Manad)


@dataclass(frozen=True)
class Section(Generic[_T]):
    """The items of a list that are valid on their own, with their index in the file."""

    items: list[tuple[int, _T]]
    complete: bool
    listed: bool = True

    @classmethod
    def salvaged(cls, raw: object, adapter: TypeAdapter[_T]) -> Section[_T]:
        if not isinstance(raw, list):
            return cls([], complete=False, listed=False)
        items: list[tuple[int, _T]] = []
        for index, item in enumerate(raw):
            try:
                items.append((index, adapter.validate_python(item)))
            except ValidationError:
                continue
        return cls(items, complete=len(items) == len(raw))


@dataclass(frozen=True)
class Parts:
    """What of a file is whole enough to check references on."""

    befattning: Section[Befattning]
    ids_in_file: frozenset[str]
    nivaer_under: Section[PositionKind]
    bedomningsskala: Section[Bedomningsniva]
    beslutsomraden: Section[Beslutsomrade]
    dokumenttyper: Section[Dokumenttyp]
    allvarlighetsgrader: Section[Allvarlighetsgrad]
    avvikelsekategorier: Section[str]
    eskalering: Section[Eskaleringsniva]
    uppfoljningsmanader: Section[int]
    uppfoljningsled: Section[Uppfoljningsled]
    # Which of the kalender's tables for the nämnder's and bolag's steps the file has.
    organ_tables: frozenset[str] = frozenset()

    @classmethod
    def salvaged(cls, data: object) -> Parts:
        top: Mapping[Any, Any] = data if isinstance(data, dict) else {}
        kalender = top.get("kalender")
        kal: Mapping[Any, Any] = kalender if isinstance(kalender, dict) else {}
        nivaer = top.get("nivaer_under", [PositionKind.CHEF, PositionKind.MEDARBETARE])
        return cls(
            befattning=Section.salvaged(top.get("befattning"), _BEFATTNING),
            ids_in_file=_ids_written(top.get("befattning")),
            nivaer_under=Section.salvaged(nivaer, _KIND),
            bedomningsskala=Section.salvaged(top.get("bedomningsskala"), _BEDOMNINGSNIVA),
            beslutsomraden=Section.salvaged(top.get("beslutsomraden"), _BESLUTSOMRADE),
            dokumenttyper=Section.salvaged(top.get("dokumenttyper"), _DOKUMENTTYP),
            allvarlighetsgrader=Section.salvaged(top.get("allvarlighetsgrader"), _ALLVARLIGHETSGRAD),
            avvikelsekategorier=Section.salvaged(top.get("avvikelsekategorier"), _SLUG),
            eskalering=Section.salvaged(top.get("eskalering"), _ESKALERINGSNIVA),
            uppfoljningsmanader=Section.salvaged(kal.get("uppfoljningsmanader"), _MANAD),
            uppfoljningsled=Section.salvaged(kal.get("uppfoljningsled"), _UPPFOLJNINGSLED),
            organ_tables=frozenset(key for key in ("namnder", "bolag") if isinstance(kal.get(key), dict)),
        )


def _ids_written(raw: object) -> frozenset[str]:
    """Ids of every befattning in the file, even broken ones, so that a reference
    to a broken befattning is not also reported as unknown."""
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(item["id"] for item in raw if isinstance(item, dict) and isinstance(item.get("id"), str))
