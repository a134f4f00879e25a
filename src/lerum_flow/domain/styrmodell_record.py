"""The store's record of the styrmodell it is governed by: every version, the day it took effect, its content.

One record per store. The first write records the model the store was begun
with; a reorganisation (a new sector, a merged nämnd) is a later version with
the day it takes effect. Each version keeps the model's canonical content and
its digest, so an auditor can rebuild the model in force on any day and check
that it is the one the commands of that day were recorded under.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.errors import InvalidState, NotPermitted
from lerum_flow.domain.values import derive_id

# One record per store: its id is fixed, so every writer finds the same one.
STYRMODELL_RECORD_ID = derive_id("styrmodell")
# Enough of a sha256 digest to tell versions apart on a screen.
SHORT_DIGEST = 12


@dataclass(frozen=True)
class ModelIdentity:
    """Which model something was read with: its digest, and the municipality it names."""

    digest: str
    municipality_code: str
    municipality: str

    def label(self) -> str:
        return f"{self.municipality} ({self.municipality_code}, sha256 {self.digest[:SHORT_DIGEST]})"


@dataclass(frozen=True)
class ModelVersion:
    """One version of the styrmodell in the record: in force from `effective_from` until the next."""

    identity: ModelIdentity
    effective_from: date
    content: str
    recorded_at: datetime
    beslut_id: UUID | None

    @property
    def digest(self) -> str:
        return self.identity.digest

    def label(self) -> str:
        return f"{self.identity.label()}, gäller från {self.effective_from.isoformat()}"


class StyrmodellRecord(GovernanceAggregate):
    TOPIC = "lerum_flow:StyrmodellRecord"

    class Event(GovernanceAggregate.Event):
        TOPIC = "lerum_flow:StyrmodellRecord.Event"
        digest: str
        municipality_code: str
        municipality: str
        content: str
        beslut_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.versions.append(
                ModelVersion(
                    identity=ModelIdentity(self.digest, self.municipality_code, self.municipality),
                    effective_from=self.effective_on,
                    content=self.content,
                    recorded_at=self.timestamp,
                    beslut_id=self.beslut_id,
                )
            )

    class Adopted(Event, Aggregate.Created):
        """The store's first styrmodell: recorded with its first write, or adopted on purpose."""

        TOPIC = "lerum_flow:StyrmodellRecord.Adopted"

    class Changed(Event):
        """Another styrmodell governs the store from `effective_on` (a reorganisation, say)."""

        TOPIC = "lerum_flow:StyrmodellRecord.Changed"

    def __init__(self) -> None:
        super().__init__()
        self.versions: list[ModelVersion] = []

    @classmethod
    def adopt(
        cls, stamp: Stamp, *, identity: ModelIdentity, content: str, beslut_id: UUID | None = None
    ) -> StyrmodellRecord:
        return cls.start(cls.Adopted, STYRMODELL_RECORD_ID, stamp, **_fields(identity, content, beslut_id))

    def change(
        self, stamp: Stamp, *, identity: ModelIdentity, content: str, beslut_id: UUID | None = None
    ) -> None:
        latest = self.versions[-1]
        if stamp.effective_on <= latest.effective_from:
            raise InvalidState(
                f"Den senaste styrmodellen gäller från {latest.effective_from.isoformat()}; en ny "
                "version måste gälla från en senare dag. Det som registrerats under den gällande "
                "kan inte flyttas till en annan modell i efterhand.",
                field="from",
                rule="datumordning",
            )
        if identity.digest == latest.digest:
            raise InvalidState(
                f"Styrmodellen {latest.label()} gäller redan; det finns ingen ändring att registrera.",
                field="styrmodell",
                rule="redan_i_kraft",
            )
        self.record(self.Changed, stamp, **_fields(identity, content, beslut_id))

    def in_force_on(self, day: date, *, known_until: datetime | None = None) -> ModelVersion | None:
        """The version in force on `day`, of those recorded before `known_until` (all when None).

        Before the first version's day the first one answers: a store knows of no
        older model than the one it was begun with.
        """
        known = [v for v in self.versions if known_until is None or v.recorded_at < known_until]
        if not known:
            return None
        earlier = [v for v in known if v.effective_from <= day]
        return earlier[-1] if earlier else known[0]


def check_model_in_force(in_force: ModelVersion, given: ModelIdentity, day: date) -> None:
    """Refuse a command read with another styrmodell than the one in force on its business day."""
    if in_force.digest != given.digest:
        raise InvalidState(
            f"Den {day.isoformat()} styrs lagret av styrmodellen {in_force.label()}, men kommandot "
            f"gavs med styrmodellen {given.label()}. Ange lagrets styrmodell (eller ingen, så används "
            "den registrerade), eller registrera bytet med 'styrmodell adopt' från den dag det gäller.",
            field="styrmodell",
            rule="annan_styrmodell",
        )


def _fields(identity: ModelIdentity, content: str, beslut_id: UUID | None) -> dict[str, Any]:
    return {
        "digest": identity.digest,
        "municipality_code": identity.municipality_code,
        "municipality": identity.municipality,
        "content": content,
        "beslut_id": beslut_id,
    }


def check_adopted_by_root(actor: str, root: str) -> None:
    """A styrmodell is the municipality's own order: fullmäktige adopts it (KL 5 kap. 1 §)."""
    if actor != root:
        raise NotPermitted(
            f"En styrmodell antas av fullmäktige ('{root}'), inte av '{actor}'.",
            field="as",
            rule="styrmodell_antas_av_fullmaktige",
        )
