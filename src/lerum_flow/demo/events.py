"""How many events of each kind a demo store holds: what the scenario and the simulation end with."""

from __future__ import annotations

from collections import Counter

from lerum_flow.application import Governance

PAGE = 1000


def recorded_events(governance: Governance) -> Counter[str]:
    """Events per kind (`Beslut.Taken`, ...), read from the store's notification log."""
    counts: Counter[str] = Counter()
    start = 1
    while True:
        page = governance.recorder.select_notifications(start=start, limit=PAGE)
        counts.update(notification.topic.rpartition(":")[2] for notification in page)
        if len(page) < PAGE:
            return counts
        start = page[-1].id + 1
