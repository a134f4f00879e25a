"""Adding a municipality to a deployment (`lerum-flow kommun add`), and what `kommun list` shows.

Adding one creates its schema, runs every migration there, records the
styrmodell it begins with in its own store, creates its auditor role (SELECT
on that schema only) and enters it in the register, last: a municipality is
served only once all of that is in place. Everything is checked before the
first change (the code, the file, the code in the file against the one given,
a duplicate), and a failure on the way removes what the add had made, so a
refused or failed add leaves the deployment as it found it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.values import Actor
from lerum_flow.kommun_register import (
    REGISTER_SCHEMA,
    REGISTER_TABLE,
    RegisteredKommun,
    auditor_role_of,
    create_register,
    find,
    may_read,
    register_connection,
    registered,
    require_postgres,
)
from lerum_flow.settings import Settings, check_kommunkod, kommun_schema

# Who records a municipality's first styrmodell: the deployment, before anyone holds a position there.
DEPLOYMENT_ACTOR = Actor(position="system", person="drift:kommun-add")


@dataclass(frozen=True)
class KommunSummary:
    """One line of `kommun list`."""

    kommun: RegisteredKommun
    # None: this role may not read the municipality's schema (an auditor of another).
    schema_version: int | None
    events: int | None


def add_kommun(
    settings: Settings,
    kod: str,
    styrmodell_path: Path,
    *,
    effective_from: date,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RegisteredKommun:
    """Add the municipality `kod` governed by the styrmodell in `styrmodell_path` from `effective_from`."""
    from lerum_flow.styrmodell import load_styrmodell

    check_kommunkod(kod, field="kod")
    require_postgres(settings)
    model = load_styrmodell(styrmodell_path)  # StyrmodellInvalid names every problem in the file
    if model.kommun.kod != kod:
        raise InvalidInput(
            f"Styrmodellen {styrmodell_path} gäller {model.kommun.namn} (kommunkod {model.kommun.kod}), "
            f"inte kommun {kod}.",
            field="styrmodell",
            rule="fel_kommun",
        )
    schema = kommun_schema(kod)
    role = auditor_role_of(settings, kod)
    with register_connection(settings) as connection:
        # Two adds at once take turns; the lock is the session's until it ends.
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (REGISTER_SCHEMA,))
        create_register(connection)
        existing = find(connection, kod)
        if existing is not None:
            raise InvalidState(
                f"Kommun {kod} ({existing.namn}) finns redan, i schemat {existing.schema}; "
                "inget ändrades. En ny styrmodell antas med 'lerum-flow --kommun "
                f"{kod} styrmodell adopt'.",
                field="kod",
                rule="kommun_finns",
            )
        if _schema_exists(connection, schema):
            raise InvalidState(
                f"Schemat {schema} finns redan i databasen men kommun {kod} är inte registrerad; "
                "inget ändrades. Ta bort eller byt namn på schemat först.",
                field="kod",
                rule="schema_finns",
            )
        role_is_new = not _role_exists(connection, role)
        try:
            connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        except psycopg.errors.InsufficientPrivilege:
            raise _not_owner() from None
        try:
            _build_store(dataclasses.replace(settings, kommun=kod, read_only=False), model, effective_from)
            _grant_auditor(connection, role, schema, create=role_is_new)
            added = RegisteredKommun(kod, model.kommun.namn, schema, role, now().isoformat())
            connection.execute(
                f"INSERT INTO {REGISTER_TABLE} "  # noqa: S608 - a constant
                "(kod, namn, schema_name, auditor_role, added_at) VALUES (%s, %s, %s, %s, %s)",
                (added.kod, added.namn, added.schema, added.auditor_role, added.added_at),
            )
        except BaseException as error:
            _undo(connection, schema, role, drop_role=role_is_new)
            if isinstance(error, psycopg.errors.InsufficientPrivilege):
                raise _not_owner() from None
            raise
    return added


def _not_owner() -> NotPermitted:
    return NotPermitted(
        "Databasrollen får inte skapa scheman eller roller; 'kommun add' körs av databasens ägare med "
        "rätt att skapa roller (CREATEROLE). Inget ändrades.",
        rule="kommun_kraver_agare",
    )


def _build_store(settings: Settings, model: Any, effective_from: date) -> None:
    """Every migration in the municipality's schema, then its styrmodell as the store's first record."""
    from lerum_flow.application import Governance
    from lerum_flow.schema import migrate

    migrate(settings)
    governance = Governance(model, env=dataclasses.replace(settings, create_tables=False).eventsourcing_env())
    try:
        governance.begin_with_styrmodell(effective_from, DEPLOYMENT_ACTOR)
    finally:
        governance.close()


def _grant_auditor(connection: Any, role: str, schema: str, *, create: bool) -> None:
    """The auditors' role of this municipality: it reads this schema and nothing else, writes nothing.
    It cannot log in; each auditor's login role is made a member of it (docs/drift.md)."""
    names = {
        "role": sql.Identifier(role),
        "schema": sql.Identifier(schema),
        "register": sql.Identifier(REGISTER_SCHEMA),
        "register_table": sql.Identifier(*REGISTER_TABLE.split(".")),
    }
    statements = [
        # The register (codes, names, schemas: public facts), so that `--kommun` resolves for an auditor.
        "GRANT USAGE ON SCHEMA {register} TO {role}",
        "GRANT SELECT ON {register_table} TO {role}",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
        # Tables a later migration adds are readable too, without granting again.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
    ]
    if create:
        statements.insert(0, "CREATE ROLE {role} NOLOGIN")
    for statement in statements:
        connection.execute(sql.SQL(statement).format(**names))


def _undo(connection: Any, schema: str, role: str, *, drop_role: bool) -> None:
    connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    if drop_role and _role_exists(connection, role):
        connection.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(role)))
        connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def _schema_exists(connection: Any, schema: str) -> bool:
    row = connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    return row is not None


def _role_exists(connection: Any, role: str) -> bool:
    return connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def summaries(settings: Settings) -> list[KommunSummary]:
    """Every registered municipality with its schema version and the number of events in its log."""
    from lerum_flow import schema
    from lerum_flow.schema.connection import event_table, store_connection

    found = []
    for kommun in registered(settings):
        own = dataclasses.replace(settings, kommun=kommun.kod)
        with store_connection(own) as connection:
            if not may_read(connection, kommun.schema):
                found.append(KommunSummary(kommun, None, None))
                continue
            row = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(event_table(own)))
            ).fetchone()
        found.append(KommunSummary(kommun, schema.status(own).version, int(row[0]) if row else 0))
    return found
