"""Inputs, state and results of the escalation workflow and its activities.

Running workflows hold these in their histories, so fields are only ever
added (with defaults), never renamed or removed.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from lerum_flow.relay_contract import EskaleringStart
from lerum_flow.workflows.models import Model


class Lage(Model):
    """Where a deviation stands, as read from the store by an activity (the workflow decides nothing).

    A "visit" is one stay of the deviation at one level: the version of the
    event that delivered it there (reported or escalated), so the same level
    reached twice would be two visits.
    """

    avvikelse_id: UUID
    version: int
    status: str
    is_open: bool
    level: str
    level_name: str
    visit: int
    at_level_since: datetime
    # When the level must have acknowledged: `at_level_since` plus the level's
    # kvittens_timmar, in UTC. None once acknowledged, or if the styrmodell sets
    # no deadline for the level's kind.
    deadline: datetime | None
    above: str | None
    severity: str
    # Levels that must be informed without taking it over (KF of a större avvikelse).
    inform: list[str] = Field(default_factory=list)
    # The visit whose level has been sent a notice (by this read or an earlier one).
    notified_visit: int = 0

    @property
    def awaits_acknowledgement(self) -> bool:
        return self.is_open and self.deadline is not None

    @property
    def notice_pending(self) -> bool:
        return self.awaits_acknowledgement and self.visit > self.notified_visit


class EskaleringInput(EskaleringStart):
    """Started by the relay with the deviation's id; the rest is carried across continue-as-new."""

    lage: Lage | None = None
    handled_event_ids: list[str] = Field(default_factory=list)
    # Visits whose deadline has passed (the miss recorded, or a person acted first).
    missed_visits: list[int] = Field(default_factory=list)
    # Levels whose missed deadline is on record, in order.
    missed_levels: list[str] = Field(default_factory=list)
    informed: list[str] = Field(default_factory=list)
    notified_visit: int = 0
    runs: int = 1


class EskaleringResult(Model):
    avvikelse_id: UUID
    # "stangd": closed by the level that holds it; "obesvarad": the top of the
    # chain let its deadline pass too, and there is nobody further up to notify;
    # "problem": a step was refused for good (see `problems`).
    outcome: str
    level: str
    missed: list[str]
    informed: list[str]
    problems: list[str]
    runs: int


class FollowInput(Model):
    """Read the deviation; send the holding level its notice unless `notified_visit` already got one.

    No notice goes out while a level the deviation must be made known to is not
    in `informed`: KF hears of a grave deviation before the level holding it can
    act on it (and close it, after which nobody could be informed).
    """

    avvikelse_id: UUID
    workflow_id: str
    notified_visit: int = 0
    informed: list[str] = Field(default_factory=list)


class MissInput(Model):
    avvikelse_id: UUID
    workflow_id: str
    level: str
    visit: int
    deadline: datetime
    notified_visit: int = 0
    informed: list[str] = Field(default_factory=list)


class MissResult(Model):
    # False when a person acknowledged or escalated it just as the deadline passed.
    missed: bool
    lage: Lage


class InformInput(Model):
    avvikelse_id: UUID
    workflow_id: str
    level: str
    on: date
