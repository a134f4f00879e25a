"""Tillsättning: who appoints whom to which position, in which role, and on what it must rest.

The rule follows how power comes down the styrkedja, so that every
förordnande is made by someone who held their own position on the day:

- fullmäktige's ledamöter and ersättare are elected by the voters; Länsstyrelsen
  certifies the result (a bevis) and fullmäktige's sekreterare, the
  kanslienhet, records it, citing the bevis. Nobody in the chain chooses them,
  so nobody but the sekreterare (who holds no vote) can record one;
- the ledamöter and ersättare of any other organ (KS, a nämnd, a beredning,
  the revisorer, a bolag's board) are elected by the organ above it, by
  decision: KF elects KS, the nämnder and the revisorer, a nämnd its utskott;
- the chair of an organ (a post held by one, `fortroendevald`) and its
  stand-in are elected by fullmäktige, which elects every organ's presidium;
- an organ appoints its own sekreterare, by decision;
- an official is appointed by the position right above: by decision when that
  is an organ (KS appoints the kommundirektör), by the official's own act
  when it is an official (the kommundirektör a sektorschef, a chef a medarbetare).

That chain has to start somewhere. A fresh store (or one kept before there
was a register) is taken into use by one introduction (införande): the first
sekreterare of fullmäktige, recorded once per store and never again, by
whoever the municipality has take the system into use. It is the one
förordnande that rests on nothing but itself, so it is kept as narrow as it
can be: a sekreterare has no vote of its own, and records in fullmäktige's
name what fullmäktige decided and whom the voters elected, each act then in
the record with the person who did it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from lerum_flow.domain.errors import InvalidInput, NotPermitted, field_named
from lerum_flow.domain.forordnande import ROLE_NAMES, Basis, Role
from lerum_flow.domain.inforande import Inforande
from lerum_flow.domain.styrkedja import OFFICIALS, ORGANS, Position, PositionKind

ORGAN_ROLES = frozenset({Role.LEDAMOT, Role.ERSATTARE, Role.SEKRETERARE})
OFFICIAL_ROLES = frozenset({Role.ANSTALLD, Role.TILLFORORDNAD})

ROLES_BY_KIND: Mapping[PositionKind, frozenset[Role]] = {
    **dict.fromkeys(ORGANS - {PositionKind.REVISION}, ORGAN_ROLES),
    PositionKind.REVISION: frozenset({Role.REVISOR}),
    PositionKind.FORTROENDEVALD: frozenset({Role.VALD, Role.ERSATTARE}),
    **dict.fromkeys(OFFICIALS, OFFICIAL_ROLES),
}

# What a position is held as when no role is named: the ordinary way to hold it.
USUAL_ROLE: Mapping[PositionKind, Role] = {
    **dict.fromkeys(ORGANS - {PositionKind.REVISION}, Role.LEDAMOT),
    PositionKind.REVISION: Role.REVISOR,
    PositionKind.FORTROENDEVALD: Role.VALD,
    **dict.fromkeys(OFFICIALS, Role.ANSTALLD),
}

BASIS_NAMES = {
    Basis.INFORANDE: "registrets införande",
    Basis.VALBEVIS: "länsstyrelsens bevis",
    Basis.BESLUT: "beslut",
    Basis.EGET: "eget beslut",
}


@dataclass(frozen=True)
class Appointer:
    """Who appoints to a position in a role: the acting position, the role the actor must hold
    it in (None: any), and what the förordnande must cite."""

    position: str
    basis: Basis
    actor_role: Role | None = None


def role_for(position: Position, role: str) -> Role:
    """The role named (or the usual one for the position when none is); refuse one it cannot be held in."""
    if not role:
        return USUAL_ROLE[position.kind]
    allowed = ROLES_BY_KIND[position.kind]
    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen not in allowed:
        raise InvalidInput(
            f"'{position.id}' ({position.kind}) innehas inte som '{role}'; välj "
            f"{', '.join(sorted(allowed))}.",
            field="role",
            rule="roll_for_befattningen",
        )
    return chosen


def appointer(position: Position, role: Role, above: Sequence[Position]) -> Appointer:
    """Who appoints `position` in `role`; `above` is the chain above it, nearest first."""
    organs_above = [p for p in above if p.is_organ]
    if role is Role.SEKRETERARE:
        return Appointer(position.id, Basis.BESLUT)
    if position.is_organ:
        if not organs_above:
            return Appointer(position.id, Basis.VALBEVIS, actor_role=Role.SEKRETERARE)
        return Appointer(organs_above[0].id, Basis.BESLUT)
    if position.kind is PositionKind.FORTROENDEVALD:
        return Appointer(organs_above[-1].id, Basis.BESLUT)
    nearest = above[0]
    return Appointer(nearest.id, Basis.BESLUT if nearest.is_organ else Basis.EGET)


def ending_appointer(appointed_by: Appointer) -> Appointer:
    """Who ends a förordnande: whoever made it, by decision when an organ did. Fullmäktige's own
    members too: the voters elect them, but fullmäktige decides on releasing one (entledigande)."""
    if appointed_by.basis is Basis.EGET:
        return appointed_by
    return Appointer(appointed_by.position, Basis.BESLUT)


def check_appointer(appointer: Appointer, actor: str, actor_role: Role | None, what: str) -> None:
    """Refuse a förordnande (`what`, in words) recorded by anyone but its appointer."""
    if actor != appointer.position:
        raise NotPermitted(
            f"{what} görs av '{appointer.position}', inte av '{actor}'.",
            field="as",
            rule="tillsatts_av",
        )
    if appointer.actor_role is not None and actor_role is not appointer.actor_role:
        raise NotPermitted(
            f"{what} registreras av '{appointer.position}' sekreterare (kanslienheten) efter "
            "länsstyrelsens bevis; en ledamot eller ersättare väljer inte sina kolleger.",
            field="person",
            rule="registreras_av_sekreteraren",
        )


def check_basis(
    appointer: Appointer, *, bevis: str, beslut: tuple[str, date] | None, decided_on: date
) -> None:
    """Refuse a förordnande that lacks what it must rest on, or cites what cannot carry it.

    `beslut` is the cited decision's decider and day, if one is cited.
    """
    if bevis and appointer.basis is not Basis.VALBEVIS:
        raise InvalidInput(
            "Länsstyrelsens bevis gäller bara fullmäktiges ledamöter och ersättare.",
            field="bevis",
            rule="bevis_bara_for_fullmaktige",
        )
    if appointer.basis is Basis.VALBEVIS and not bevis.strip():
        raise InvalidInput(
            "Fullmäktiges ledamöter och ersättare registreras efter länsstyrelsens bevis: "
            f"ange bevisets beteckning ({field_named('bevis')}).",
            field="bevis",
            rule="bevis_kravs",
        )
    if appointer.basis is Basis.BESLUT and beslut is None:
        raise InvalidInput(
            f"Förordnandet är ett beslut av '{appointer.position}': ange beslutet ({field_named('beslut')}).",
            field="beslut",
            rule="beslut_kravs",
        )
    if beslut is not None:
        decided_by, beslut_day = beslut
        if decided_by != appointer.position:
            raise NotPermitted(
                f"Beslutet fattades av '{decided_by}', men förordnandet görs av '{appointer.position}'.",
                field="beslut",
                rule="beslut_av_tillsattaren",
            )
        if beslut_day > decided_on:
            raise InvalidInput(
                f"Beslutet fattades {beslut_day.isoformat()}, efter förordnandets beslutsdag "
                f"{decided_on.isoformat()}.",
                field="beslut",
                rule="datumordning",
            )


def check_introduction(position: Position, introduced: Inforande | None) -> None:
    """Refuse an introduction of the register but the first, or of anyone but fullmäktige's sekreterare."""
    if introduced is not None:
        raise NotPermitted(
            f"Registret över förordnanden infördes redan {introduced.introduced_on.isoformat()} av "
            f"{introduced.introduced_by}; nya förordnanden görs av den som tillsätter.",
            field="person",
            rule="redan_infort",
        )
    if position.parent is not None or not position.is_organ:
        raise InvalidInput(
            f"Registret införs i fullmäktiges namn, med dess första sekreterare, inte som '{position.id}'.",
            field="as",
            rule="inforande_av_sekreterare",
        )


def describe(position: str, person: str, role: Role) -> str:
    """A förordnande in words, for refusals: 'p-1 som ledamot i ks'."""
    return f"Förordnandet av {person} som {ROLE_NAMES[role]} i '{position}'"
