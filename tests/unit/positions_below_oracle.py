"""The positions below one by a walk of every Befattning event in the log: the definition the
befattning view is held to (tests/integration/test_positions_below_equal_walk.py), kept here and not
in the engine, so that no page, command or process can ask it (its cost grows with the log)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from lerum_flow.domain.befattning import Befattning, befattning_id
from lerum_flow.domain.styrkedja import Position, PositionKind
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.reading import RecordReads


def positions_below_by_walk(
    app: RecordReads, code: str, on: date, known_on: date | None = None
) -> list[Position]:
    """`RecordReads.positions_below` from a read of every Befattning event in the log."""
    established: dict[str, Position] = {}
    discontinued: set[UUID] = set()
    topics = [Befattning.Established.TOPIC, Befattning.Discontinued.TOPIC]
    for page in app.pages(topics=topics):
        for notification in page.notifications:
            event = app.to_event(notification)
            if event.effective_on > on:
                continue
            if known_on is not None and event.timestamp.astimezone(MUNICIPAL_TIME).date() > known_on:
                continue
            if isinstance(event, Befattning.Established):
                established[event.code] = Position(
                    id=event.code,
                    name=event.name,
                    kind=PositionKind(event.kind),
                    parent=event.parent or None,
                )
            elif isinstance(event, Befattning.Discontinued):
                discontinued.add(event.originator_id)
    every = {p.id: p for p in app.styrkedja}
    every.update((c, p) for c, p in established.items() if befattning_id(c) not in discontinued)

    def above(position: Position) -> list[str]:
        found: list[str] = []
        while position.parent is not None and position.parent in every:
            position = every[position.parent]
            found.append(position.id)
        return found

    below = [p for p in every.values() if code in above(p)]
    return sorted(below, key=lambda p: (len(above(p)), p.name, p.id))
