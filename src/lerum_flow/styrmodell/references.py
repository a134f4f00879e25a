"""Whether the parts of a styrmodell fit together: unique codes, and references that lead somewhere.

Each value has already been checked on its own by the model; here the sections
are checked against the befattningar and against each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from lerum_flow.domain.styrkedja import ESTABLISHABLE_UNDER, ORGANS, PositionKind
from lerum_flow.styrmodell.chain import Chain, chain_problems
from lerum_flow.styrmodell.model import (
    Allvarlighetsgrad,
    Beslutsomrade,
    Dokumenttyp,
    Eskaleringsniva,
    Uppfoljningsled,
)
from lerum_flow.styrmodell.problems import Problem
from lerum_flow.styrmodell.reserved import reserved_matter_problems
from lerum_flow.styrmodell.salvage import Parts, Section

_T = TypeVar("_T")

# Escalation climbs the chain: officials from the bottom up, then organs, then KF.
_RANK = {
    PositionKind.MEDARBETARE: 0,
    PositionKind.CHEF: 1,
    PositionKind.SEKTORSCHEF: 2,
    PositionKind.FORVALTNINGSCHEF: 3,
    PositionKind.FULLMAKTIGE: 5,
}
_ORGAN_RANK = 4


def consistency_problems(parts: Parts) -> list[Problem]:
    """Every problem in how the whole parts of a file refer to each other, section by section."""
    chain = Chain(parts)
    return [
        *_duplicate_values("befattning", parts.befattning, lambda b: b.id, ".id"),
        *chain_problems(chain),
        *_nivaer_under_problems(parts.nivaer_under),
        *_duplicate_values("bedomningsskala", parts.bedomningsskala, lambda n: n.kod, ".kod"),
        *_duplicate_values("beslutsomraden", parts.beslutsomraden, lambda o: o.kod, ".kod"),
        *_innehavare_problems(chain, parts.beslutsomraden),
        *reserved_matter_problems(chain, parts.beslutsomraden),
        *_duplicate_values("dokumenttyper", parts.dokumenttyper, lambda d: d.kod, ".kod"),
        *_antas_av_problems(chain, parts.dokumenttyper),
        *_overordnade_problems(parts.dokumenttyper),
        *_duplicate_values("allvarlighetsgrader", parts.allvarlighetsgrader, lambda g: g.kod, ".kod"),
        *_direkt_till_problems(parts.allvarlighetsgrader, parts.eskalering),
        *_duplicate_values("avvikelsekategorier", parts.avvikelsekategorier, str, ""),
        *_eskalering_problems(chain, parts.eskalering),
        *_duplicate_values("kalender.uppfoljningsmanader", parts.uppfoljningsmanader, str, ""),
        *_uppfoljningsled_problems(chain, parts.uppfoljningsled),
        *_organ_table_problems(chain, parts),
    ]


# What each of the kalender's tables for the organs' steps asks the organs of its kind to adopt.
_ORGAN_TABLES = {
    "namnder": (PositionKind.NAMND, ("verksamhetsplan", "delarsrapport", "arsredovisning")),
    "bolag": (PositionKind.BOLAG, ("delarsrapport", "arsredovisning")),
}


def _organ_table_problems(chain: Chain, parts: Parts) -> Iterator[Problem]:
    """A nämnd (bolag) owes decisions the file's document types must let it adopt, and the
    chain must have one, or the table plans steps nobody can take."""
    for table in sorted(parts.organ_tables):
        kind, kinds = _ORGAN_TABLES[table]
        yield from chain.missing_kind(f"kalender.{table}", kind)
        if not parts.dokumenttyper.complete:
            continue
        for beslutsslag in kinds:
            adopters = {
                k
                for _, typ in parts.dokumenttyper.items
                if typ.beslutsslag == beslutsslag
                for k in typ.antas_av
            }
            if adopters and str(kind) not in adopters:
                yield Problem(
                    f"kalender.{table}",
                    f"Årshjulet ber varje {kind} om ett beslut av slaget '{beslutsslag}', men ingen "
                    f"dokumenttyp med det beslutsslaget har '{kind}' i antas_av.",
                )


def _duplicate_values(
    section: str, items: Section[_T], key: Callable[[_T], object], field: str
) -> Iterator[Problem]:
    first: dict[object, int] = {}
    for index, item in items.items:
        value = key(item)
        if value in first:
            yield Problem(
                f"{section}[{index}]{field}",
                f"'{value}' finns redan i {section}[{first[value]}]; varje värde får förekomma en gång.",
            )
        else:
            first[value] = index


def _nivaer_under_problems(nivaer: Section[PositionKind]) -> Iterator[Problem]:
    yield from _duplicate_values("nivaer_under", nivaer, str, "")
    for index, kind in nivaer.items:
        if kind not in ESTABLISHABLE_UNDER:
            yield Problem(
                f"nivaer_under[{index}]",
                f"'{kind}' inrättas inte under styrkedjan; här hör bara "
                f"{', '.join(ESTABLISHABLE_UNDER)} hemma, övriga anges som [[befattning]].",
            )


def _innehavare_problems(chain: Chain, omraden: Section[Beslutsomrade]) -> Iterator[Problem]:
    for index, omrade in omraden.items:
        location = f"beslutsomraden[{index}].innehavare"
        holder = chain.get(omrade.innehavare)
        if holder is None:
            yield from chain.unknown(location, omrade.innehavare)
        elif holder.slag not in ORGANS:
            yield Problem(
                location,
                f"'{holder.id}' är av slaget '{holder.slag}'; innehavaren ska vara ett organ "
                "(fullmäktige, styrelse, nämnd ...) som har ärendet genom lag eller reglemente.",
            )


def _antas_av_problems(chain: Chain, typer: Section[Dokumenttyp]) -> Iterator[Problem]:
    for index, typ in typer.items:
        for position, kind in enumerate(typ.antas_av):
            yield from chain.missing_kind(f"dokumenttyper[{index}].antas_av[{position}]", kind)


def _overordnade_problems(typer: Section[Dokumenttyp]) -> Iterator[Problem]:
    if not typer.complete:
        return
    codes = [typ.kod for _, typ in typer.items]
    for index, typ in typer.items:
        for position, kod in enumerate(typ.overordnade):
            if kod not in codes:
                yield Problem(
                    f"dokumenttyper[{index}].overordnade[{position}]",
                    f"'{kod}' är ingen dokumenttyp i styrmodellen; välj bland: {', '.join(codes)}.",
                )


def _direkt_till_problems(
    grader: Section[Allvarlighetsgrad], eskalering: Section[Eskaleringsniva]
) -> Iterator[Problem]:
    if not eskalering.complete:
        return
    levels = [niva.slag for _, niva in eskalering.items]
    for index, grad in grader.items:
        if grad.direkt_till is not None and grad.direkt_till not in levels:
            yield Problem(
                f"allvarlighetsgrader[{index}].direkt_till",
                f"'{grad.direkt_till}' är ingen nivå i eskaleringen; välj en av: {', '.join(levels)}.",
            )


def _eskalering_problems(chain: Chain, eskalering: Section[Eskaleringsniva]) -> Iterator[Problem]:
    yield from _duplicate_values("eskalering", eskalering, lambda n: n.slag, ".slag")
    previous: tuple[int, PositionKind] | None = None
    for index, niva in eskalering.items:
        location = f"eskalering[{index}].slag"
        yield from chain.missing_kind(location, niva.slag)
        rank = _RANK.get(niva.slag, _ORGAN_RANK)
        if previous is not None and rank < _RANK.get(previous[1], _ORGAN_RANK):
            yield Problem(
                location,
                f"Eskaleringen går nerifrån och upp: '{niva.slag}' kan inte komma efter "
                f"'{previous[1]}' (eskalering[{previous[0]}]).",
            )
        previous = (index, niva.slag)


def _uppfoljningsled_problems(chain: Chain, led: Section[Uppfoljningsled]) -> Iterator[Problem]:
    for index, edge in led.items:
        location = f"kalender.uppfoljningsled[{index}]"
        if edge.fran is edge.till:
            yield Problem(
                location,
                f"'fran' och 'till' är båda '{edge.fran}'; uppföljning går till befattningen ovanför.",
            )
        elif chain.kinds is not None and chain.resolved and not _is_edge(chain, edge):
            yield Problem(
                location,
                f"Ingen befattning av slaget '{edge.fran}' ligger direkt under en av slaget "
                f"'{edge.till}'; uppföljning går längs styrkedjan, till befattningen närmast ovanför.",
            )


def _is_edge(chain: Chain, edge: Uppfoljningsled) -> bool:
    kinds = chain.kinds or frozenset()
    if edge.fran not in {b.slag for _, b in chain.items}:
        # A kind established at run time: it can only be placed where allowed.
        allowed = ESTABLISHABLE_UNDER.get(edge.fran, frozenset())
        return edge.fran in kinds and edge.till in allowed and edge.till in kinds
    return any(
        b.slag is edge.fran and (parent := chain.get(b.under)) is not None and parent.slag is edge.till
        for _, b in chain.items
    )
