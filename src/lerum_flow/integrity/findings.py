"""What verification found, each named by position and aggregate, in Swedish."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from lerum_flow.swedish_numbers import number


class Kind(StrEnum):
    CHANGED = "andrad"
    MISSING = "saknas"
    INSERTED = "infogad"
    MOVED = "flyttad"
    SEAL_CHANGED = "forsegling_andrad"
    CHAIN_BROKEN = "kedja_bruten"
    CHECKPOINT_CHANGED = "kontrollpunkt_andrad"
    CHECKPOINT_MISSING = "kontrollpunkt_saknas"
    FILE_CHANGED = "fil_andrad"
    CHECKPOINT_UNSIGNED = "kontrollpunkt_ej_signerad"
    FIRST_DIFFERENCE = "forsta_avvikelse"
    OFF_CHAIN = "utanfor_kedjan"
    DUPLICATE_VERSION = "dubbel_version"
    VERSION_GAP = "versionslucka"
    SHARED_POSITION = "delad_position"


@dataclass(frozen=True)
class Finding:
    """One thing that is not as sealed. `position` is where it is now (or was, if gone)."""

    kind: Kind
    message: str
    position: int | None = None
    sealed_position: int | None = None
    originator_id: str | None = None
    originator_version: int | None = None
    checkpoint: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"typ": str(self.kind), "meddelande": self.message}
        optional = {
            "position": self.position,
            "forseglad_position": self.sealed_position,
            "aggregat_id": None if self.originator_id is None else display_id(self.originator_id),
            "version": self.originator_version,
            "kontrollpunkt": self.checkpoint,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        return data | self.details


def _aggregate(originator_id: str, version: int) -> str:
    return f"aggregat {display_id(originator_id)}, version {version}"


def display_id(originator_id: str) -> str:
    """An id as the rest of the command line prints it (with dashes), so it can be looked up."""
    try:
        return str(UUID(hex=originator_id))
    except ValueError:
        return originator_id  # not an id at all: shown exactly as stored


def changed(position: int, originator_id: str, version: int, *, now: str = "") -> Finding:
    also = f"; innehåller nu {now}" if now else ""
    return Finding(
        Kind.CHANGED,
        f"händelse {number(position)} har ändrats ({_aggregate(originator_id, version)}{also})",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def missing(
    position: int, originator_id: str, version: int, *, after: int | None, before: int | None
) -> Finding:
    return Finding(
        Kind.MISSING,
        f"händelse {number(position)} saknas{_between(after, before)} ({_aggregate(originator_id, version)})",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def _between(after: int | None, before: int | None) -> str:
    if after is not None and before is not None:
        return f" mellan {number(after)} och {number(before)}"
    if after is not None:
        return f" efter {number(after)}"
    if before is not None:
        return f" före {number(before)}"
    return ""


def inserted(position: int, originator_id: str, version: int) -> Finding:
    return Finding(
        Kind.INSERTED,
        f"händelse {number(position)} har lagts in i efterhand; den fanns inte när historiken "
        f"förseglades ({_aggregate(originator_id, version)})",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def moved(position: int, sealed_position: int, originator_id: str, version: int) -> Finding:
    return Finding(
        Kind.MOVED,
        f"händelse {number(position)} förseglades som händelse {number(sealed_position)}: "
        f"ordningen har ändrats ({_aggregate(originator_id, version)})",
        position=position,
        sealed_position=sealed_position,
        originator_id=originator_id,
        originator_version=version,
    )


def seal_changed(position: int, checkpoint: int | None) -> Finding:
    proof = f"; händelsen själv stämmer med kontrollpunkt {checkpoint}" if checkpoint is not None else ""
    return Finding(
        Kind.SEAL_CHANGED,
        f"förseglingen av händelse {number(position)} har ändrats{proof}",
        position=position,
        checkpoint=checkpoint,
    )


def chain_broken(after: int, upto: int, checkpoint: int, sealed_at: str) -> Finding:
    return Finding(
        Kind.CHAIN_BROKEN,
        f"historiken mellan {number(after)} och {number(upto)} stämmer inte med kontrollpunkt "
        f"{checkpoint} ({sealed_at}): den har ändrats sedan förseglingen",
        position=upto,
        checkpoint=checkpoint,
        details={"fran_position": after},
    )


def checkpoint_problem(checkpoint: int, reason: str, where: str) -> Finding:
    kind = Kind.CHECKPOINT_MISSING if reason == "saknas" else Kind.CHECKPOINT_CHANGED
    return Finding(kind, f"kontrollpunkt {checkpoint} {reason} {where}", checkpoint=checkpoint)


def unsealed_seal_rows(first: int, last: int, checkpoint: int) -> Finding:
    return Finding(
        Kind.CHECKPOINT_MISSING,
        f"kontrollpunkt {checkpoint} saknas: händelserna {number(first)}–{number(last)} är "
        "förseglade men ingen kontrollpunkt intygar det",
        position=first,
        checkpoint=checkpoint,
        details={"till_position": last},
    )


def file_changed(reason: str) -> Finding:
    return Finding(Kind.FILE_CHANGED, f"kontrollpunktsfilen {reason}")


def checkpoint_unsigned(checkpoint: int, reason: str) -> Finding:
    return Finding(Kind.CHECKPOINT_UNSIGNED, f"kontrollpunkt {checkpoint} {reason}", checkpoint=checkpoint)


def first_difference(position: int, originator_id: str, version: int, *, signed: bool = True) -> Finding:
    """`signed`: the event has a signature that no longer verifies (a rewrite); without one, the
    key never vouched for it, or its signature was removed."""
    why = (
        "historiken har skrivits om från och med den"
        if signed
        else (
            "den har ingen signatur (den förseglades utan revisorernas nyckel, "
            "eller signaturen har tagits bort)"
        )
    )
    return Finding(
        Kind.FIRST_DIFFERENCE,
        f"händelse {number(position)} är den första som revisorernas signatur inte intygar: "
        f"{why} ({_aggregate(originator_id, version)}); allt före den är som det förseglades",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def off_chain(position: int, originator_id: str, version: int) -> Finding:
    return Finding(
        Kind.OFF_CHAIN,
        f"händelse {number(position)} ligger utanför kedjan: positionen är inte ett positivt tal, "
        f"så ingen försegling täcker den ({_aggregate(originator_id, version)})",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def duplicate_version(
    originator_id: str, version: int, position: int, last_version: int, last_position: int
) -> Finding:
    return Finding(
        Kind.DUPLICATE_VERSION,
        f"händelse {number(position)} är {_aggregate(originator_id, version)}, men posten har redan "
        f"version {last_version} (händelse {number(last_position)}): en version finns två gånger "
        "eller har lagts in i efterhand",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def shared_position(originator_id: str, version: int, position: int, other_version: int) -> Finding:
    return Finding(
        Kind.SHARED_POSITION,
        f"händelse {number(position)} är {_aggregate(originator_id, version)}, på samma position som "
        f"postens version {other_version}: en version har flyttats eller lagts in i efterhand",
        position=position,
        originator_id=originator_id,
        originator_version=version,
    )


def version_gap(originator_id: str, missing_version: int, position: int) -> Finding:
    return Finding(
        Kind.VERSION_GAP,
        f"{_aggregate(originator_id, missing_version)} saknas: händelse {number(position)} "
        "kommer efter en lucka i postens versioner",
        position=position,
        originator_id=originator_id,
        originator_version=missing_version,
    )
