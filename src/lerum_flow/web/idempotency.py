"""Idempotency keys: a client's retry of a command is recognised, another body under the same key
refused.

The key becomes the command's id (uuid5 of the person and the key), so the
application itself answers "already recorded" to a retry. What the record
cannot tell is whether the retry asked the same thing: a fingerprint of the
body is kept beside the events, in the store's own database, under the key.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

from eventsourcing.persistence import OperationalError, ProgrammingError
from eventsourcing.postgres import PostgresDatastore

from lerum_flow.domain.errors import Conflict, InvalidInput, InvalidState
from lerum_flow.domain.values import derive_id
from lerum_flow.idempotency_table import TABLE
from lerum_flow.web.record import WebRecord

KEY_MAX = 200


def fingerprint(path: str, body: Any) -> str:
    canonical = json.dumps({"path": path, "body": body}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyKeys:
    """The keys seen, per person, with the fingerprint of what each first asked."""

    def __init__(self, record: WebRecord) -> None:
        self._datastore: Any = record.governance.factory.datastore  # type: ignore[attr-defined]
        postgres = isinstance(self._datastore, PostgresDatastore)
        self._table = f"{self._datastore.schema}.{TABLE}" if postgres else TABLE
        self._mark = "%s" if postgres else "?"
        # The table is migration 5's (`db migrate`): the web application creates no table.

    def command_id(self, person: str, key: str, print_: str) -> UUID:
        """The command id the key stands for; refuse the key if it came before with another body."""
        key = key.strip()
        if not key or len(key) > KEY_MAX or not key.isprintable():
            raise InvalidInput(
                f"Idempotency-Key ska vara 1–{KEY_MAX} synliga tecken.",
                field="Idempotency-Key",
                rule="nyckel",
            )
        first = self._first(person, key)
        if first is not None and first != print_:
            raise Conflict(
                f"Nyckeln '{key}' användes redan för ett annat kommando; en ny begäran behöver en ny nyckel.",
                field="Idempotency-Key",
                rule="nyckel_ateranvand",
            )
        return derive_id("idempotensnyckel", person, key)

    def remember(self, person: str, key: str, print_: str) -> None:
        """Keep the key once its command was recorded (a refused command leaves the key free)."""
        key = key.strip()
        if self._first(person, key) is not None:
            return
        m = self._mark
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"INSERT INTO {self._table} (person, key, fingerprint) VALUES ({m}, {m}, {m})",  # noqa: S608
                (person, key, print_),
            )

    def _first(self, person: str, key: str) -> str | None:
        m = self._mark
        try:
            with self._datastore.transaction(commit=False) as cursor:
                # The table name is a constant (in the store's schema); values are parameters.
                query = f"SELECT fingerprint FROM {self._table} WHERE person = {m} AND key = {m}"  # noqa: S608
                cursor.execute(query, (person, key))
                row = cursor.fetchone()
        except (OperationalError, ProgrammingError) as error:
            if TABLE not in str(error):
                raise
            raise InvalidState(
                "Lagret saknar tabellen för idempotensnycklar; kör 'lerum-flow db migrate'.",
                field="Idempotency-Key",
                rule="schemaversion",
            ) from error
        if row is None:
            return None
        return str(row["fingerprint"] if isinstance(row, dict) else row[0])
