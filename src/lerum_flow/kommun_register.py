"""The deployment's register of its municipalities: which kommunkod has a store, in which schema.

One deployment serves many municipalities on one PostgreSQL database: each
has a schema of its own (its event store, views, seal, tracking), a Temporal
namespace of its own and an auditor role that may read only its schema. The
register is a table in a schema of its own, `lerum_kommuner`, which no
municipality's role can read; a process names its municipality (`--kommun`,
LERUM_FLOW_KOMMUN) and is refused one the register does not hold, before it
opens anything, so a mistyped code never creates a store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lerum_flow.domain.errors import InvalidInput, NotFound, NotPermitted
from lerum_flow.schema.connection import store_connection
from lerum_flow.settings import Settings, check_kommunkod, kommun_namespace

REGISTER_SCHEMA = "lerum_kommuner"
REGISTER_TABLE = f"{REGISTER_SCHEMA}.kommuner"
# PostgreSQL's limit on a name (NAMEDATALEN - 1).
MAX_NAME = 63


@dataclass(frozen=True)
class RegisteredKommun:
    kod: str
    namn: str
    schema: str
    auditor_role: str
    added_at: str

    @property
    def namespace(self) -> str:
        return kommun_namespace(self.kod)


def register_settings(settings: Settings) -> Settings:
    """The settings of a connection to the register itself: the deployment's database, its schema."""
    return dataclasses.replace(settings, kommun="", postgres_schema=REGISTER_SCHEMA, read_only=False)


def require_postgres(settings: Settings) -> None:
    if not settings.uses_postgres:
        raise InvalidInput(
            "Flera kommuner i en driftsättning kräver PostgreSQL: varje kommun får ett eget schema. "
            "Ange LERUM_FLOW_DATABASE_URL=postgresql://användare@värd:port/databas.",
            field="database-url",
            rule="kommun_kraver_postgresql",
        )


@contextmanager
def register_connection(settings: Settings) -> Iterator[Any]:
    with store_connection(register_settings(settings)) as connection:
        yield connection


def create_register(connection: Any) -> None:
    connection.execute(f"CREATE SCHEMA IF NOT EXISTS {REGISTER_SCHEMA}")
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {REGISTER_TABLE} ("
        "kod text PRIMARY KEY, namn text NOT NULL, schema_name text NOT NULL UNIQUE, "
        "auditor_role text NOT NULL, added_at text NOT NULL)"
    )


def registered(settings: Settings) -> list[RegisteredKommun]:
    """Every municipality of the deployment, by kommunkod; none when nothing was ever added."""
    if not settings.uses_postgres:
        return []
    with register_connection(settings) as connection:
        return _rows(connection)


def _rows(connection: Any, kod: str | None = None) -> list[RegisteredKommun]:
    found = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (REGISTER_TABLE,)).fetchone()
    if not (found and found[0]):
        return []
    where, params = ("WHERE kod = %s", (kod,)) if kod is not None else ("", ())
    rows = connection.execute(
        "SELECT kod, namn, schema_name, auditor_role, added_at "  # noqa: S608 - no input in the text
        f"FROM {REGISTER_TABLE} {where} ORDER BY kod",
        params,
    ).fetchall()
    return [RegisteredKommun(*(str(value) for value in row)) for row in rows]


def find(connection: Any, kod: str) -> RegisteredKommun | None:
    rows = _rows(connection, kod)
    return rows[0] if rows else None


def require_registered(settings: Settings) -> RegisteredKommun | None:
    """The municipality the settings name, refused in words when the register does not hold it;
    None for the single municipality of a deployment that names none."""
    if not settings.kommun:
        return None
    require_postgres(settings)
    with register_connection(settings) as connection:
        found = find(connection, settings.kommun)
        readable = found is not None and may_read(connection, found.schema)
    if found is None:
        raise NotFound(
            f"Kommun {settings.kommun} finns inte i den här driftsättningen; se 'lerum-flow kommun list' "
            f"eller lägg till den med 'lerum-flow kommun add {settings.kommun} --styrmodell FIL'.",
            field="kommun",
            rule="okand_kommun",
        )
    if not readable:
        raise NotPermitted(
            f"Databasrollen får inte läsa kommun {found.kod}:s schema ({found.schema}): en revisor "
            "läser bara sin egen kommun. Inget lästes och inget registrerades.",
            field="kommun",
            rule="annan_kommun",
        )
    return found


def may_read(connection: Any, schema: str) -> bool:
    """Whether this connection's role may look into the municipality's schema at all."""
    row = connection.execute("SELECT has_schema_privilege(%s, 'USAGE')", (schema,)).fetchone()
    return bool(row and row[0])


def auditor_role_of(settings: Settings, kod: str) -> str:
    """The municipality's auditor role: roles belong to the whole server, so its name carries the
    deployment's database as well as the kommunkod (two deployments on one server keep theirs)."""
    database = settings.eventsourcing_env("governance")["POSTGRES_DBNAME"]
    role = f"{database}_revisor_{check_kommunkod(kod, field='kod')}"
    if len(role) > MAX_NAME:
        raise InvalidInput(
            f"Revisorsrollens namn {role} blir längre än PostgreSQL:s {MAX_NAME} tecken; "
            "välj en databas med kortare namn.",
            field="database-url",
            rule="rollnamn",
        )
    return role
