"""Simulated time: inside an activity, "now" is the Temporal server's time.

On the time-skipping test server that time runs years ahead in seconds; a
Governance built with this clock records events at the simulated time, so
the simulated store reads like a real one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from temporalio import activity

from lerum_flow.workflows.clock import local_date


def temporal_now() -> datetime:
    """The server's time of the running activity attempt; the wall clock outside one."""
    if activity.in_activity():
        return activity.info().current_attempt_scheduled_time.astimezone(UTC)
    return datetime.now(UTC)


def temporal_today() -> date:
    return local_date(temporal_now())
