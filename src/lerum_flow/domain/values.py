"""Value types shared by the aggregates: actors, kinds, scales and deterministic ids."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid5

# Fixed namespace: ids derived from natural keys must stay stable forever,
# since they are stored in events and used to recognise retried commands.
LERUM_FLOW_NAMESPACE = UUID("6f1c2b1e-6b0e-5d43-9d7e-6c9a3f1e2a40")


def derive_id(kind: str, *parts: str) -> UUID:
    """A deterministic id from a natural key, e.g. ('beslut', 'ks', 'KS 2027/12', '§ 4')."""
    return uuid5(LERUM_FLOW_NAMESPACE, "\x1f".join((kind, *parts)))


@dataclass(frozen=True)
class Actor:
    """Who acts: the position they act in, their pseudonymous person id, and the process, if any.

    `process` is the id of the workflow that recorded the command in the
    position's name; None when a person did.
    """

    position: str
    person: str
    process: str | None = None


class BeslutKind(StrEnum):
    VILJA_OCH_MAL = "vilja_och_mal"
    BUDGET = "budget"
    VERKSAMHETSPLAN = "verksamhetsplan"
    UPPFOLJNINGSPLAN = "uppfoljningsplan"
    REGLEMENTE = "reglemente"
    AGARDIREKTIV = "agardirektiv"
    DELEGATIONSORDNING = "delegationsordning"
    DELARSRAPPORT = "delarsrapport"
    ARSREDOVISNING = "arsredovisning"
    ANSVARSFRIHET = "ansvarsfrihet"
    OVRIGT = "ovrigt"


class BudgetKind(StrEnum):
    """Which budget a budget decision adopts: the year's annual budget, or a change of it."""

    ARSBUDGET = "arsbudget"
    TILLAGGSBUDGET = "tillaggsbudget"


class UppdragKind(StrEnum):
    UPPDRAG = "uppdrag"
    MAL = "mal"
    # KS's request for a report from a nämnd or bolag under its uppsikt (KL 6 kap. 1 och 3 §§):
    # answered and accepted like an uppdrag, though KS does not stand above the recipient.
    UPPSIKT = "uppsikt"


class UppdragStatus(StrEnum):
    ISSUED = "utfardat"
    ACCEPTED = "mottaget"
    REPORTED = "rapporterat"
    REPORT_ACCEPTED = "rapport_godkand"
    REPORT_RETURNED = "rapport_aterforvisad"
    COMPLETED = "slutfort"
    WITHDRAWN = "aterkallat"


class AvvikelseSubject(StrEnum):
    UPPDRAG = "uppdrag"
    BUDGETOMRADE = "budgetomrade"
    HANDELSE = "handelse"


class AvvikelseStatus(StrEnum):
    REPORTED = "rapporterad"
    ACKNOWLEDGED = "kvitterad"
    ACTION_DECIDED = "atgard_beslutad"
    CLOSED = "stangd"


class DelegeringStatus(StrEnum):
    ACTIVE = "gallande"
    REVOKED = "aterkallad"


class Frekvens(StrEnum):
    """How often an internkontroll control is performed."""

    MANAD = "manad"
    KVARTAL = "kvartal"
    TERTIAL = "tertial"
    HALVAR = "halvar"
    AR = "ar"


class Utfall(StrEnum):
    """The result of a performed control."""

    UTAN_ANMARKNING = "utan_anmarkning"
    BRIST = "brist"


class Rapportperiod(StrEnum):
    """What an internkontroll report covers: the year to the delårsrapport, or the whole year."""

    DELAR = "delar"
    HELAR = "helar"


class InternkontrollplanStatus(StrEnum):
    """An internkontrollplan: drafted, adopted (in force), closed once the year is reported."""

    DRAFT = "utkast"
    ADOPTED = "antagen"
    CLOSED = "avslutad"
