"""The queries the record answers, through Governance: its one door for reads as for writes."""

from __future__ import annotations

from uuid import UUID

import pytest
from unit.governance_world import World, event_count, governance, seed, staffing_decisions

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import NotFound
from lerum_flow.domain.uppdrag import Uppdrag


@pytest.fixture
def seeded() -> tuple[Governance, World]:
    app = governance()
    return app, seed(app)


def test_the_pages_of_the_log_hold_every_event_once_in_order(seeded: tuple[Governance, World]) -> None:
    """Small pages together give the whole log in order, and the last page ends at the head."""
    app, _ = seeded
    pages = list(app.pages(size=3))
    ids = [n.id for page in pages for n in page.notifications]
    assert ids == list(range(1, app.head() + 1))
    assert pages[-1].last == app.head() == event_count(app)
    assert [page.after for page in pages] == [0, *[page.last for page in pages[:-1]]]


def test_pages_of_one_topic_leave_the_others_out(seeded: tuple[Governance, World]) -> None:
    """With topics, only those events are read, and the pages still reach the head."""
    app, world = seeded
    pages = list(app.pages(topics=[Uppdrag.Issued.TOPIC]))
    events = [app.to_event(n) for page in pages for n in page.notifications]
    assert [e.originator_id for e in events] == [world.kf_uppdrag_to_ks]
    assert pages[-1].last == app.head()


def test_the_decisions_taken_come_with_their_positions_in_the_log(seeded: tuple[Governance, World]) -> None:
    """Every Beslut.Taken is found, with the position of its notification, in order."""
    app, world = seeded
    taken = list(app.beslut_taken())
    assert [event.originator_id for _, event in taken] == [
        *staffing_decisions(app),
        world.budget,
        world.delegationsordning,
        world.director_delegationsordning,
    ]
    positions = [position for position, _ in taken]
    assert positions == sorted(positions)


def test_topic_counts_count_every_event_by_kind(seeded: tuple[Governance, World]) -> None:
    """The counts name each kind without its package and add up to the whole log."""
    app, _ = seeded
    counts = app.topic_counts()
    assert counts["Beslut.Taken"] == len(staffing_decisions(app)) + 3
    assert counts["Avvikelse.Reported"] == 1
    assert sum(counts.values()) == app.head()


def test_a_record_is_read_with_the_events_it_was_built_from(seeded: tuple[Governance, World]) -> None:
    """The record and its events come from one read: its version is its last event's."""
    app, world = seeded
    avvikelse, events = app.read_with_events(Avvikelse, world.avvikelse)
    assert avvikelse.level == "kommundirektor"
    assert avvikelse.version == events[-1].originator_version == len(events)
    assert app.events_of(world.avvikelse, limit=1) == events[:1]


def test_reading_an_unknown_record_or_one_of_another_kind_is_refused(
    seeded: tuple[Governance, World],
) -> None:
    """An unknown id, or the id of a decision read as a deviation, is a Swedish refusal."""
    app, world = seeded
    unknown = UUID(int=7)
    with pytest.raises(NotFound, match=f"^Det finns ingen avvikelse med id {unknown}.$"):
        app.read_with_events(Avvikelse, unknown)
    with pytest.raises(NotFound, match=f"^Id {world.budget} är inte en avvikelse.$"):
        app.read_with_events(Avvikelse, world.budget)
    assert app.events_of(unknown) == []
