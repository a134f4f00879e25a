"""Which workflow recorded an event, and how a workflow signs what it records.

Its own module, free of pydantic and Temporal, because every reader of the
record asks it: `audit history` among them, which must start at once.
"""

from __future__ import annotations

from typing import Protocol

from lerum_flow.domain.acting import PROCESS_PERSON_PREFIX

# Commands recorded by a workflow carry this prefix and the workflow id as the
# acting "person", so every list of the record shows that a process acted, and
# which (a process holds no förordnande: see `domain.acting`). What code reads
# is the event's own field `process` (`acting_process`).
SYSTEM_PERSON_PREFIX = PROCESS_PERSON_PREFIX


class RecordedEvent(Protocol):
    """Who recorded an event (the domain is not imported here)."""

    @property
    def person(self) -> str: ...
    @property
    def process(self) -> str | None: ...


def system_person(workflow_id: str) -> str:
    return SYSTEM_PERSON_PREFIX + workflow_id


def acting_process(event: RecordedEvent) -> str | None:
    """The workflow that recorded an event, if a workflow did.

    The event says so in `process`, which every process fills. Before that
    field existed a process said it only in `person` (as `system_person`
    still writes it), so an event without `process` is read so: here, and
    nowhere else.
    """
    if event.process is not None:
        return event.process
    if event.person.startswith(SYSTEM_PERSON_PREFIX):
        return event.person.removeprefix(SYSTEM_PERSON_PREFIX)
    return None
