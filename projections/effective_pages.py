"""Pages of the log without the events that take effect after a day, left out by the database.

Why: an as-of replay of the whole municipality decodes every event it reads,
and decoding in Python is most of its cost; the events that take effect
after the chosen day are dropped right after. The database reads the
effective date out of the stored JSON in C, so those events are never sent
or decoded. This only narrows what is read: the replay's own `AsOf.includes`
still decides about every event it gets, so an event the filter lets through
by mistake changes nothing; the filter only has to keep every event that
counts. It keeps events with no effective date and every event of the
`always` topics (corrections, which count from when they are known).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from lerum_flow.log_pages import Page, PageReader, paged, pages

# Where the library's JSON transcoder puts a date field's ISO string; ISO dates sort as text.
EFFECTIVE_ON_PATH = ("effective_on", "_data_")


def in_effect_on(on: date, always: Sequence[str]) -> PageReader:
    """A reader like `log.pages` that leaves out events (but those of `always` topics) taking
    effect after `on`."""

    def read(
        recorder: ApplicationRecorder, *, after: int, upto: int, size: int, topics: Sequence[str] = ()
    ) -> Iterator[Page]:
        select = _selector(recorder)
        if select is None:  # a store without SQL: read everything, the replay filters
            yield from pages(recorder, after=after, upto=upto, size=size, topics=topics)
            return
        yield from paged(
            lambda position: select(position, upto, size, list(topics), list(always), on.isoformat()),
            after=after,
            upto=upto,
            size=size,
        )

    return read


Selector = Callable[[int, int, int, list[str], list[str], str], list[Notification]]


def _selector(recorder: ApplicationRecorder) -> Selector | None:
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_selector(recorder)
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres_selector(recorder)
    return None


def _sqlite_selector(recorder: SQLiteApplicationRecorder) -> Selector:
    path = "$." + ".".join(EFFECTIVE_ON_PATH)

    def select(
        after: int, upto: int, size: int, topics: list[str], always: list[str], on: str
    ) -> list[Notification]:
        topic_filter = f"AND topic IN ({','.join('?' * len(topics))}) " if topics else ""
        # The library stores the JSON as a BLOB; SQLite's JSON functions read text.
        statement = (
            "SELECT rowid, originator_id, originator_version, topic, state "  # noqa: S608 - the library's table name
            f"FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ? {topic_filter}"
            f"AND (topic IN ({','.join('?' * len(always)) or 'NULL'}) "
            "OR coalesce(json_extract(CAST(state AS TEXT), ?), '') <= ?) "
            "ORDER BY rowid LIMIT ?"
        )
        params = [after, upto, *topics, *always, path, on, size]
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(statement, params)
            rows = curs.fetchall()
        return [
            Notification(
                id=row[0], originator_id=row[1], originator_version=row[2], topic=row[3], state=row[4]
            )
            for row in rows
        ]

    return select


def _postgres_selector(recorder: PostgresApplicationRecorder) -> Selector:
    statement = SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM {schema}.{table} "
        "WHERE notification_id > %s AND notification_id <= %s "
        "AND (cardinality(%s::text[]) = 0 OR topic = ANY(%s::text[])) "
        "AND (topic = ANY(%s::text[]) "
        "OR coalesce(convert_from(state, 'UTF8')::jsonb #>> %s::text[], '') <= %s) "
        "ORDER BY notification_id LIMIT %s"
    ).format(schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name))

    def select(
        after: int, upto: int, size: int, topics: list[str], always: list[str], on: str
    ) -> list[Notification]:
        params = (after, upto, topics, topics, always, list(EFFECTIVE_ON_PATH), on, size)
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params)
            rows = curs.fetchall()
        return [
            Notification(
                id=row["notification_id"],
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in rows
        ]

    return select
