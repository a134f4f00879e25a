"""What the tests holding a view equal to the walk it replaced share: how many histories they
try, a store on each backend (with conftest.py's `server` fixture: None for SQLite), and the days
on which an answer can change (on each axis, with the day before each)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from hypothesis import HealthCheck, Phase, settings
from postgres_server import PgServer

from lerum_flow.application import Governance
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.settings import Settings

# Each example records a history and asks every day that can change an answer: fifteen of them,
# without a deadline (PostgreSQL's are slower), reusing the failing ones first.
WALK_EXAMPLES = settings(
    max_examples=15,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def store_settings(tmp_path: Path, postgres: PgServer | None, *, prefix: str) -> Iterator[Settings]:
    """A store of its own: a SQLite file below `tmp_path`, or a database named from `prefix` on
    `postgres` (dropped afterwards)."""
    if postgres is None:
        yield Settings(database_url=f"sqlite:///{tmp_path / uuid4().hex / 'governance.db'}")
        return
    url = postgres.create_database(prefix=prefix)
    try:
        yield Settings(database_url=url)
    finally:
        postgres.drop_database(url)


def answer_days(
    app: Governance, *, topics: Sequence[str] | None = None, also: Iterable[date] = ()
) -> tuple[list[date], list[date]]:
    """The days an answer can change on (the events' effective days, and `also`; the days they
    were recorded), each with the day before, on each axis."""
    effective: set[date] = set(also)
    known: set[date] = set()
    for page in app.pages() if topics is None else app.pages(topics=topics):
        for notification in page.notifications:
            event: Any = app.to_event(notification)
            effective.add(event.effective_on)
            known.add(event.timestamp.astimezone(MUNICIPAL_TIME).date())
    return with_day_before(effective), with_day_before(known)


def with_day_before(days: set[date]) -> list[date]:
    return sorted({d + timedelta(days=k) for d in days for k in (-1, 0)})
