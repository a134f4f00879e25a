"""The styrmodell's rules for governing documents, as pure functions over loaded state.

Which organ adopts (and so revises, reviews and repeals) which type, which
types derive from another document, where a document may reach and who may
own it, when it is next due for review, and what a missed review is as a
deviation. The document types are the styrmodell's; only their shape is
known here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Protocol
from uuid import UUID

from lerum_flow.domain.adoption import DocumentType
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotFound, NotPermitted, field_named
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.domain.styrkedja import Position
from lerum_flow.domain.values import derive_id

IsAbove = Callable[[str, str], bool]

# A missed review goes down as "övrigt" where the styrmodell has such a category.
OVERDUE_CATEGORY = "ovrigt"


class DocumentKind(DocumentType, Protocol):
    """A document type of the styrmodell with its review interval and what it derives from."""

    @property
    def kod(self) -> str: ...
    @property
    def aktualitetsprovas_ar(self) -> int | None: ...
    @property
    def overordnade(self) -> Sequence[str]: ...
    @property
    def kraver_overordnad(self) -> bool: ...
    @property
    def paminnelse_dagar(self) -> int: ...


def known_kind(code: str, kinds: Sequence[DocumentKind]) -> DocumentKind:
    found = next((k for k in kinds if k.kod == code), None)
    if found is None:
        codes = ", ".join(k.kod for k in kinds)
        raise NotFound(
            f"Dokumenttypen '{code}' finns inte i styrmodellen; välj en av: {codes}.",
            field="type",
            rule="okand_dokumenttyp",
        )
    return found


def check_decision_adopts(kind: DocumentKind, beslut: Beslut, decider: Position) -> None:
    """Refuse a decision that is not of the type's kind, or not by a kind of position that adopts it."""
    if beslut.kind != kind.beslutsslag:
        raise NotPermitted(
            f"Enligt styrmodellen (beslutsslag) antas en {kind.namn.lower()} genom ett beslut av slaget "
            f"'{kind.beslutsslag}'; beslutet är av slaget '{beslut.kind}'.",
            field="beslut",
            rule="beslutsslag",
        )
    if str(decider.kind) not in kind.antas_av:
        raise NotPermitted(
            f"Enligt styrmodellen (antas_av) antas en {kind.namn.lower()} av {_either(kind.antas_av)}, "
            f"inte av '{decider.id}' ({decider.kind}).",
            field="beslut",
            rule="antas_av",
        )


def check_same_or_higher_organ(decider: str, adopted_by: str, is_above: IsAbove) -> None:
    """Refuse a change to a document by anyone but the organ that adopted it, or one above it."""
    if decider != adopted_by and not is_above(decider, adopted_by):
        raise NotPermitted(
            f"Dokumentet antogs av '{adopted_by}'; bara det eller ett organ över det kan ändra, "
            f"pröva eller upphäva det, inte '{decider}'.",
            field="beslut",
            rule="samma_eller_hogre_organ",
        )


def check_after_decision(decided_on: date, effective_on: date, *, field: str) -> None:
    if effective_on < decided_on:
        raise InvalidInput(
            f"{effective_on.isoformat()} ligger före beslutet ({decided_on.isoformat()}); "
            "ett styrdokument ändras inte innan det är beslutat.",
            field=field,
            rule="efter_beslutet",
        )


def check_within(adopter: Position, position: Position, is_above: IsAbove, *, field: str) -> None:
    """Refuse a scope or an owner outside the adopting organ's own part of the styrkedja."""
    if position.id != adopter.id and not is_above(adopter.id, position.id):
        what = "räckvidd" if field == "scope" else "ägare"
        raise NotPermitted(
            f"'{position.id}' står inte under '{adopter.id}' i styrkedjan och kan inte vara {what} "
            f"för ett dokument som '{adopter.id}' antar.",
            field=field,
            rule="rackvidd" if field == "scope" else "agare_under_organet",
        )


def check_parent(kind: DocumentKind, parent: Styrdokument | None, valid_from: date) -> None:
    """Refuse a document without the parent its type requires, or under one it cannot derive from."""
    name = kind.namn.lower()
    if parent is None:
        if kind.kraver_overordnad:
            allowed = f" av typen {_either(kind.overordnade)}" if kind.overordnade else ""
            raise InvalidInput(
                f"Enligt styrmodellen (kraver_overordnad) härleds en {name} ur ett överordnat "
                f"dokument{allowed}; ange det med {field_named('parent')}.",
                field="parent",
                rule="overordnad_kravs",
            )
        return
    # Named as it is on the new document's first day: a retitle decided for a later day is not yet.
    title = parent.title_on(valid_from)
    if kind.overordnade and parent.document_type not in kind.overordnade:
        raise InvalidInput(
            f"Enligt styrmodellen (overordnade) härleds en {name} ur {_either(kind.overordnade)}, "
            f"inte ur '{title}', som är {parent.document_type}.",
            field="parent",
            rule="overordnad_typ",
        )
    if not parent.in_force_on(valid_from):
        raise InvalidState(
            f"Det överordnade dokumentet '{title}' gäller inte {valid_from.isoformat()}.",
            field="parent",
            rule="overordnad_i_kraft",
        )


def review_due(on: date, years: int | None) -> date | None:
    """The day a document decided on `on` must next be reviewed by; None if its type is never reviewed."""
    if years is None:
        return None
    if on.month == 2 and on.day == 29:
        on = on.replace(day=28)
    return on.replace(year=on.year + years)


def overdue_avvikelse_id(document_id: UUID, review_by: date) -> UUID:
    """One deviation per missed review, however often the process that records it is retried."""
    return derive_id("avvikelse", "aktualitetsprovning", str(document_id), review_by.isoformat())


def overdue_classification(severities: Sequence[str], categories: Sequence[str]) -> tuple[str, str]:
    """A missed review is a routine deviation: the styrmodell's mildest severity (its first), in
    the category "ovrigt" if it has one, else its first."""
    category = OVERDUE_CATEGORY if OVERDUE_CATEGORY in categories else categories[0]
    return severities[0], category


def reminder_day(review_by: date, days_before: int) -> date:
    """The day the owner is reminded of a review due by `review_by`."""
    return review_by - timedelta(days=days_before)


def _either(codes: Sequence[str]) -> str:
    """'a, b eller c'."""
    return f"{', '.join(codes[:-1])} eller {codes[-1]}" if len(codes) > 1 else "".join(codes)
