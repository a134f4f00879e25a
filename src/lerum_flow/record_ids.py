"""Records by the start of their id, as git finds commits: short ids shown, short ids accepted.

A hex prefix is a range of UUIDs (`1f3a` is 1f3a0000-… to 1f3affff-…), so the
records it names are read from the event table's primary key (originator_id,
originator_version) as one index range, never by scanning the log. Only the
first event of each record is read: it says what kind of record it is.

SQLite stores an id as 32 hex digits (TEXT), PostgreSQL as uuid; both sort the
same way as the hex digits, which is what makes a prefix one range.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from lerum_flow.domain.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresApplicationRecorder

# As git: fewer hex digits than this name too many records to be worth a look-up.
MIN_PREFIX = 4
# Ids are shown with at least this many hex digits, more where another record shares them.
SHOWN_DIGITS = 8
# Candidates listed when a prefix is ambiguous.
LISTED = 10
HEX_DIGITS = 32

_HEX = re.compile(r"^[0-9a-f]+$")

# Record kinds as the aggregates' topics name them ("lerum_flow:Uppdrag.Issued" → "uppdrag").
NONE_OF_KIND: Mapping[str | None, str] = {
    "uppdrag": "Inget uppdrag",
    "beslut": "Inget beslut",
    "delegering": "Ingen delegering",
    "avvikelse": "Ingen avvikelse",
    "befattning": "Ingen befattning",
    "internkontrollplan": "Ingen internkontrollplan",
    "internkontrollbedomning": "Ingen bedömning av den interna kontrollen",
    "styrdokument": "Inget styrdokument",
    "rapportutkast": "Inget rapportutkast",
    None: "Ingen post",
}


@dataclass(frozen=True)
class Found:
    id: UUID
    kind: str


def kind_of(topic: str) -> str:
    """The record kind from an event topic: `lerum_flow:Beslut.Taken` → `beslut`."""
    return topic.rpartition(":")[2].partition(".")[0].lower()


def hex_prefix(text: str) -> str | None:
    """The hex digits of a (short or full) id as typed, lower case, hyphens dropped; None if not one."""
    digits = text.strip().replace("-", "").lower()
    if not digits or len(digits) > HEX_DIGITS or not _HEX.match(digits):
        return None
    return digits


def prefix_range(digits: str) -> tuple[UUID, UUID]:
    """The first and last UUID that start with these hex digits."""
    pad = HEX_DIGITS - len(digits)
    return UUID(digits + "0" * pad), UUID(digits + "f" * pad)


# The digits after the SHOWN_DIGITS first, as bits: an id's shown range is its number with them
# all cleared to all set, what prefix_range gives for its first SHOWN_DIGITS hex digits.
_AFTER_SHOWN = (1 << 4 * (HEX_DIGITS - SHOWN_DIGITS)) - 1


def _shown_range(record_id: UUID) -> tuple[UUID, UUID]:
    low = record_id.int & ~_AFTER_SHOWN
    return UUID(int=low), UUID(int=low | _AFTER_SHOWN)


def _number(record_id: UUID) -> int:
    return record_id.int


def shown(record_id: UUID, digits: int) -> str:
    """The first `digits` hex digits of the id, written as the full id is (with its hyphens)."""
    full = str(record_id)
    written = 0
    for position, char in enumerate(full):
        if char != "-":
            written += 1
            if written == digits:
                return full[: position + 1]
    return full


def common_digits(a: UUID, b: UUID) -> int:
    """How many leading hex digits two ids share."""
    return HEX_DIGITS - ((a.int ^ b.int).bit_length() + 3) // 4


# Records (id, topic of its first event) whose ids lie in [low, high], at most `limit` per range.
RangeReader = Callable[[Sequence[tuple[UUID, UUID]], int | None], list[tuple[UUID, UUID, str]]]


def range_reader(recorder: ApplicationRecorder) -> RangeReader:
    """Reads first events by id ranges from this recorder's event table.

    Each result is (the range's low end, the record's id, the topic of its first event).
    """
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_reader(recorder)
    if isinstance(recorder, POPOApplicationRecorder):
        return _memory_reader(recorder)
    # Imported only here: a SQLite store never loads psycopg (CLI start-up).
    from eventsourcing.postgres import PostgresApplicationRecorder

    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres_reader(recorder)
    raise TypeError(f"No id ranges for {type(recorder).__name__}")


# Ranges per statement: SQLite allows 32,766 parameters; PostgreSQL takes arrays.
_CHUNK = 500


def sqlite_ranges_statement(table: str, ranges: int) -> str:
    """The first event of every record whose id lies in one of `ranges` (low, high) ranges, each
    the search of the primary key (EXPLAIN QUERY PLAN: "SEARCH e USING INDEX
    sqlite_autoindex_stored_events_1 (originator_id>? AND originator_id<?)").

    The version is compared as `+originator_version`, which no index may serve: from about 200
    ranges SQLite otherwise chose to build an automatic index on the version over the whole log
    for every statement (measured on Lerum's mandate period: 500 ranges 13.7 s instead of
    7 ms, which made `audit as-of` print its ids for an hour).
    """
    values = ", ".join("(?, ?)" for _ in range(ranges))
    return (
        f"WITH r(low, high) AS (VALUES {values}) "  # noqa: S608 - the library's table name
        f"SELECT r.low, e.originator_id, e.topic FROM r JOIN {table} e "
        "ON e.originator_id BETWEEN r.low AND r.high AND +e.originator_version = 1 "
        "ORDER BY e.originator_id LIMIT ?"
    )


def _sqlite_reader(recorder: SQLiteApplicationRecorder) -> RangeReader:
    table = recorder.events_table_name

    def read(ranges: Sequence[tuple[UUID, UUID]], limit: int | None) -> list[tuple[UUID, UUID, str]]:
        found: list[tuple[UUID, UUID, str]] = []
        # With a limit, which is per range, one range per statement.
        size = 1 if limit is not None else _CHUNK
        with recorder.datastore.transaction(commit=False) as curs:
            for start in range(0, len(ranges), size):
                chunk = ranges[start : start + size]
                params: list[Any] = [h for low, high in chunk for h in (low.hex, high.hex)]
                curs.execute(
                    sqlite_ranges_statement(table, len(chunk)), [*params, -1 if limit is None else limit]
                )
                # The range's low end comes back as it was sent: looked up, not parsed again.
                lows = {low.hex: low for low, _ in chunk}
                found += [(lows[r[0]], UUID(r[1]), r[2]) for r in curs.fetchall()]
        return found

    return read


def _postgres_reader(recorder: PostgresApplicationRecorder) -> RangeReader:
    from psycopg.sql import SQL, Identifier

    id_type = recorder.datastore.originator_id_type
    # LATERAL with ORDER BY: one index range scan per range. A plain join was measured
    # to make the planner scan the whole table when a LIMIT follows it.
    statement = SQL(
        "SELECT r.low, e.originator_id, e.topic "
        "FROM unnest(%s::{id_type}[], %s::{id_type}[]) AS r(low, high) "
        "CROSS JOIN LATERAL (SELECT originator_id, topic FROM {schema}.{table} "
        "WHERE originator_id BETWEEN r.low AND r.high AND originator_version = 1 "
        "ORDER BY originator_id LIMIT %s) e"
    ).format(
        id_type=Identifier(id_type),
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )

    def value(uuid: UUID) -> UUID | str:
        # A text originator_id holds the id as str(uuid) (the library's default spelling).
        return uuid if id_type == "uuid" else str(uuid)

    def read(ranges: Sequence[tuple[UUID, UUID]], limit: int | None) -> list[tuple[UUID, UUID, str]]:
        found: list[tuple[UUID, UUID, str]] = []
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            for start in range(0, len(ranges), _CHUNK):
                chunk = ranges[start : start + _CHUNK]
                lows = [value(low) for low, _ in chunk]
                highs = [value(high) for _, high in chunk]
                curs.execute(statement, (lows, highs, limit))
                found += [
                    (UUID(str(r["low"])), UUID(str(r["originator_id"])), r["topic"]) for r in curs.fetchall()
                ]
        return found

    return read


def _memory_reader(recorder: POPOApplicationRecorder) -> RangeReader:
    """In memory (unit tests) there is no index: the first events are looked through."""

    def read(ranges: Sequence[tuple[UUID, UUID]], limit: int | None) -> list[tuple[UUID, UUID, str]]:
        firsts = [
            (UUID(str(n.originator_id)), n.topic)
            for n in recorder.select_notifications(start=None, limit=recorder.max_notification_id() or 0)
            if n.originator_version == 1
        ]
        found = [
            (low, record_id, topic)
            for low, high in ranges
            for record_id, topic in firsts
            if low.int <= record_id.int <= high.int
        ]
        if limit is None:
            return found
        return [f for low, _ in ranges for f in [g for g in found if g[0] == low][:limit]]

    return read


class RecordIds:
    """Short ids for records and records for short ids, in one store."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self._read = range_reader(recorder)

    def matching(self, digits: str, limit: int | None = LISTED + 1) -> list[Found]:
        """The records whose ids start with these hex digits, in id order."""
        found = self._read([prefix_range(digits)], limit)
        return sorted((Found(record_id, kind_of(topic)) for _, record_id, topic in found), key=lambda f: f.id)

    def resolve(self, text: str, kind: str | None = None, *, field: str = "id") -> UUID:
        """The one record (of `kind`, if given) whose id starts with `text`; refused if none or several.

        A full id is returned as it is, unread: the command that uses it says if it is unknown.
        """
        digits = self._digits(text, field)
        if len(digits) == HEX_DIGITS:
            return UUID(digits)
        return self.find(text, (kind,) if kind else (), field=field).id

    def find(self, text: str, kinds: Collection[str] = (), *, field: str = "id") -> Found:
        """The one record of one of `kinds` (any kind if none) whose id is or starts with `text`."""
        digits = self._digits(text, field)
        found = [f for f in self.matching(digits) if not kinds or f.kind in kinds]
        if not found:
            none = NONE_OF_KIND.get(next(iter(kinds)), "Ingen post") if len(kinds) == 1 else "Ingen post"
            # A whole id is said as the record's own look-up says it (reading.get_record).
            said = (
                f"Det finns ingen post med id {text.strip()}."
                if len(digits) == HEX_DIGITS
                else f"{none} har ett id som börjar på '{text.strip()}'."
            )
            raise NotFound(
                said,
                field=field,
                rule="okant_id",
            )
        if len(found) > 1:
            labels = self.short([f.id for f in found[:LISTED]])
            listed = ", ".join(f"{labels[f.id]} ({f.kind})" for f in found[:LISTED])
            more = " med flera" if len(found) > LISTED else ""
            raise InvalidInput(
                f"'{text.strip()}' är början på flera id: {listed}{more}. Skriv fler tecken.",
                field=field,
                rule="tvetydigt_id",
            )
        return found[0]

    @staticmethod
    def _digits(text: str, field: str) -> str:
        digits = hex_prefix(text)
        if digits is None:
            raise InvalidInput(
                f"'{text}' är inget id; skriv id:t eller dess början (minst {MIN_PREFIX} tecken 0-9, a-f), "
                "som det visas i tabellerna.",
                field=field,
                rule="ogiltigt_id",
            )
        if len(digits) < MIN_PREFIX:
            raise InvalidInput(
                f"'{text}' är för kort för att söka på; skriv minst {MIN_PREFIX} tecken av id:t.",
                field=field,
                rule="for_kort_id",
            )
        return digits

    def short(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        """Each id as its shortest unique start among all ids in the store, at least SHOWN_DIGITS long."""
        # By number, which is how UUIDs sort, without a Python comparison of UUIDs for each pair.
        wanted = sorted(set(ids), key=_number)
        ranges = [_shown_range(record_id) for record_id in wanted]
        sharing: dict[UUID, list[UUID]] = {low: [] for low, _ in ranges}
        for low, record_id, _ in self._read(ranges, None):
            sharing[low].append(record_id)
        labels: dict[UUID, str] = {}
        for record_id, (low, _) in zip(wanted, ranges, strict=True):
            others = [o for o in sharing[low] if o != record_id]
            digits = max([SHOWN_DIGITS, *(common_digits(record_id, o) + 1 for o in others)])
            labels[record_id] = shown(record_id, digits)
        return labels


class IdQueries:
    """`resolve_id` and `short_ids` for an application on the governance store."""

    recorder: ApplicationRecorder
    _record_ids: RecordIds | None = None

    def _ids(self) -> RecordIds:
        if self._record_ids is None:
            self._record_ids = RecordIds(self.recorder)
        return self._record_ids

    def resolve_id(self, prefix: str, kind: str | None = None, *, field: str = "id") -> UUID:
        """The record (of `kind`: uppdrag, beslut, delegering, avvikelse) whose id starts with `prefix`.

        At least MIN_PREFIX hex digits; hyphens and case do not matter. An unknown
        prefix is NotFound, an ambiguous one InvalidInput listing the candidates.
        """
        return self._ids().resolve(prefix, kind, field=field)

    def find_record(self, prefix: str, kinds: Collection[str] = (), *, field: str = "id") -> Found:
        """The record of one of `kinds` whose id is or starts with `prefix`, and which kind it is."""
        return self._ids().find(prefix, kinds, field=field)

    def short_ids(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        """The shortest start of each id (at least SHOWN_DIGITS hex digits) that no other record shares."""
        return self._ids().short(ids)


class RecordLog(IdQueries, Application[UUID]):
    """An application on the governance store that also answers short ids: what the views
    and the as-of replay read from (the views' own log, or the Governance itself)."""
