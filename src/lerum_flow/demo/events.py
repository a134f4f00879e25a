"""How many events of each kind a demo store holds: what the scenario and the simulation end with."""

from __future__ import annotations

from collections import Counter

from lerum_flow.application import Governance


def recorded_events(governance: Governance) -> Counter[str]:
    """Events per kind (`Beslut.Taken`, ...), as the record's own query counts them."""
    return governance.topic_counts()
