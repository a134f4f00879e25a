"""Rapportutkast: the record that a report's draft was made from the record, and which draft it was.

A draft is named by the sha256 of its bytes, so the organ adopting the report
(KS, KF) can reference exactly the version it was given, and an auditor can
make it again from the log position and days the draft records.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.values import BeslutKind, derive_id

DIGEST = re.compile(r"[0-9a-f]{64}")
# The kinds of report a draft is made of, and the kind of decision that adopts each.
ADOPTED_BY: dict[str, str | None] = {
    "manad": None,
    "delar": str(BeslutKind.DELARSRAPPORT),
    "arsredovisning": str(BeslutKind.ARSREDOVISNING),
}


def rapportutkast_id(digest: str) -> UUID:
    """The id of the draft with these bytes: whoever records or references it derives it here."""
    return derive_id("rapportutkast", digest)


def check_digest(digest: str, *, field: str = "digest") -> None:
    if not DIGEST.fullmatch(digest):
        raise InvalidInput(
            f"'{digest}' är ingen sha256-summa; den är 64 tecken 0–9 och a–f, som rapportkommandot skriver.",
            field=field,
            rule="ogiltig_summa",
        )


class Rapportutkast(GovernanceAggregate):
    TOPIC = "lerum_flow:Rapportutkast"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:Rapportutkast.Event"

    class Made(Event, Aggregate.Created):
        """A draft of `report` (its `title`) with sha256 `digest`, made from the log up to `log_position`
        as of `as_of`, as known on `known_on` (None: all recorded up to the position)."""

        TOPIC = "lerum_flow:Rapportutkast.Made"
        report: str
        title: str
        digest: str
        log_position: int
        as_of: date
        known_on: date | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.report = self.report
            aggregate.title = self.title
            aggregate.digest = self.digest

    def __init__(self) -> None:
        super().__init__()
        self.report = ""
        self.title = ""
        self.digest = ""

    @classmethod
    def make(
        cls,
        stamp: Stamp,
        *,
        report: str,
        title: str,
        digest: str,
        log_position: int,
        as_of: date,
        known_on: date | None,
    ) -> Rapportutkast:
        check_digest(digest)
        if report not in ADOPTED_BY:
            raise InvalidInput(
                f"'{report}' är ingen rapport; välj en av: {', '.join(ADOPTED_BY)}.",
                field="report",
                rule="okand_rapport",
            )
        return cls.start(
            cls.Made,
            rapportutkast_id(digest),
            stamp,
            report=report,
            title=title,
            digest=digest,
            log_position=log_position,
            as_of=as_of,
            known_on=known_on,
        )

    def check_adopted_by(self, kind: str) -> None:
        """A decision adopting this draft is of the kind that adopts its report."""
        wanted = ADOPTED_BY.get(self.report)
        if wanted != kind:
            adopts = f"ett beslut av slaget '{wanted}'" if wanted else "inget beslut"
            raise InvalidInput(
                f"Utkastet är en {self.title}; det antas av {adopts}, inte av ett beslut av slaget '{kind}'.",
                field="rapport-digest",
                rule="utkast_fel_slag",
            )
