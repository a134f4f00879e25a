"""Settings of the event store, read once by an entrypoint from the environment and passed down.

A plain dataclass, not a pydantic model: every command reads them, and for a
read they were the last reason to import pydantic (some 50 ms of its start-up).
Temporal's settings are in temporal_settings.py, a worker's and the e-mail
channel's in process_settings.py.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.environment_values import secret

DEFAULT_DATA_DIR = Path("var")
# One deployment, many municipalities: each one's store is a PostgreSQL schema of its own and its
# processes a Temporal namespace of its own, both named after its kommunkod (SCB's four digits).
KOMMUN_SCHEMA_PREFIX = "kommun_"
KOMMUN_NAMESPACE_PREFIX = "lerum-flow-"


@dataclass(frozen=True)
class Settings:
    """Where the event store lives and which styrmodell governs it.

    `database_url` is either `sqlite:///path/to/file.db` (the embedded default)
    or `postgresql://user:password@host:port/dbname`. When it is empty the
    eventsourcing library's own `POSTGRES_*` variables are honoured if
    `PERSISTENCE_MODULE` says postgres, else a SQLite file in `data_dir`.
    """

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    styrmodell_path: Path | None = None
    postgres_schema: str = ""
    lock_timeout_seconds: int = 5
    passthrough: dict[str, str] = field(default_factory=dict)
    # Opened by a process that may only read (an auditor): nothing is created, nothing written.
    read_only: bool = False
    # False once the store's schema is managed by `lerum-flow db migrate`: opening it never
    # runs DDL, the migrations have made every table.
    create_tables: bool = True
    # The municipality whose store this is, by kommunkod; empty: the single municipality of the
    # embedded default (the store in `postgres_schema`, or the SQLite files), as before.
    kommun: str = ""

    def __post_init__(self) -> None:
        # Paths may come as text (from JSON, or a caller's string), as pydantic accepted them.
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        if self.kommun:
            check_kommunkod(self.kommun, field="kommun")
        if self.styrmodell_path is not None:
            object.__setattr__(self, "styrmodell_path", Path(self.styrmodell_path))
        if self.lock_timeout_seconds < 1:
            raise ValueError(f"lock_timeout_seconds must be at least 1, not {self.lock_timeout_seconds}")

    def to_json(self) -> str:
        """The settings as JSON, for a process of its own to read back with `from_json`."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in values.items()})

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls(**json.loads(text))

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        styrmodell = env.get("LERUM_FLOW_STYRMODELL", "")
        return cls(
            data_dir=Path(env.get("LERUM_FLOW_DATA_DIR", str(DEFAULT_DATA_DIR))),
            database_url=with_password(
                env.get("LERUM_FLOW_DATABASE_URL", ""), secret(env, "LERUM_FLOW_DATABASE_PASSWORD")
            ),
            styrmodell_path=Path(styrmodell) if styrmodell else None,
            postgres_schema=env.get("LERUM_FLOW_POSTGRES_SCHEMA", ""),
            kommun=env.get("LERUM_FLOW_KOMMUN", "").strip(),
            passthrough={k: v for k, v in env.items() if k.startswith("POSTGRES_")}
            | ({"PERSISTENCE_MODULE": env["PERSISTENCE_MODULE"]} if "PERSISTENCE_MODULE" in env else {}),
        )

    @property
    def uses_postgres(self) -> bool:
        if self.database_url:
            return self.database_url.startswith(("postgresql://", "postgres://"))
        return self.passthrough.get("PERSISTENCE_MODULE", "") == "eventsourcing.postgres"

    def server_label(self) -> str:
        """Where the store is, for a person told it does not answer: never with a password."""
        if not self.uses_postgres:
            return f"SQLite-filen {self.sqlite_path('governance')}"
        env = self.eventsourcing_env("governance")
        return f"PostgreSQL på {env.get('POSTGRES_HOST', '127.0.0.1')}:{env.get('POSTGRES_PORT', '5432')}"

    @property
    def opens_read_only(self) -> bool:
        """Whether the store is opened for reading only: said so, or a `?mode=ro` SQLite URL."""
        return self.read_only or (not self.uses_postgres and "mode=ro" in self._sqlite_query())

    def _sqlite_query(self) -> str:
        return self.database_url.partition("?")[2] if self.database_url.startswith("sqlite:///") else ""

    def sqlite_path(self, store: str) -> Path:
        """The SQLite file of one store ('governance', a projection...)."""
        if self.database_url.startswith("sqlite:///"):
            base = Path(self.database_url.removeprefix("sqlite:///").partition("?")[0])
            return base if store == "governance" else base.with_name(f"{base.stem}-{store}.db")
        if self.database_url and not self.uses_postgres:
            # Not the data directory's file in its place: a read would answer "no store there".
            raise InvalidInput(
                f"Databasadressen '{masked_url(self.database_url)}' känns inte igen; använd "
                "'sqlite:///sökväg/till/fil.db' eller 'postgresql://användare@värd:port/databas'.",
                field="LERUM_FLOW_DATABASE_URL",
                rule="databasadress",
            )
        return self.data_dir / f"{store}.db"

    @property
    def store_schema(self) -> str:
        """The PostgreSQL schema of the store: the municipality's own when one is named, else the one
        given (empty: the library's default). The one place a process's store is chosen."""
        return kommun_schema(self.kommun) if self.kommun else self.postgres_schema

    def eventsourcing_env(self, store: str = "governance") -> dict[str, str]:
        """The environment an eventsourcing Application of one store is built with.

        Built explicitly so that nothing else in os.environ leaks into it.
        """
        prefix = store.upper() + "_"
        if not self.uses_postgres:
            if self.kommun:
                raise InvalidInput(
                    f"Kommun {self.kommun} har sitt lager i ett eget schema i PostgreSQL; ange "
                    "LERUM_FLOW_DATABASE_URL=postgresql://... (flera kommuner kräver PostgreSQL).",
                    field="kommun",
                    rule="kommun_kraver_postgresql",
                )
            path = self.sqlite_path(store)
            if self.opens_read_only:
                # The library opens its file as a URI: SQLite itself then refuses every write.
                return {
                    "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                    f"{prefix}SQLITE_DBNAME": f"{path.resolve().as_uri()}?mode=ro",
                    f"{prefix}SQLITE_LOCK_TIMEOUT": str(self.lock_timeout_seconds),
                    "CREATE_TABLE": "no",
                }
            path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                f"{prefix}SQLITE_DBNAME": str(path),
                f"{prefix}SQLITE_LOCK_TIMEOUT": str(self.lock_timeout_seconds),
            } | ({} if self.create_tables else {"CREATE_TABLE": "no"})
        env = {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
        env.update({k: v for k, v in self.passthrough.items() if k.startswith("POSTGRES_")})
        if self.database_url:
            # conninfo_to_dict understands every libpq URL form, socket paths
            # in `?host=/tmp/...` included, which urlparse would silently drop.
            # Imported here: a SQLite store never needs psycopg.
            import psycopg
            from psycopg.conninfo import conninfo_to_dict

            try:
                parts = conninfo_to_dict(self.database_url)
            except psycopg.ProgrammingError:
                # Not the driver's words: they repeat the URL, password and all.
                raise InvalidInput(
                    f"Databasadressen '{masked_url(self.database_url)}' kunde inte tolkas; skriv den som "
                    "'postgresql://användare@värd:port/databas' (en IPv6-adress inom hakparenteser, "
                    "tecken som @ : / i lösenordet kodade som %40 %3A %2F).",
                    field="LERUM_FLOW_DATABASE_URL",
                    rule="databasadress",
                ) from None
            port = str(parts.get("port") or 5432)
            if not all(p.isdigit() and 0 < int(p) < 65536 for p in port.split(",")):
                # libpq would only say so when connecting, in English.
                raise InvalidInput(
                    f"Porten '{port}' i databasadressen '{masked_url(self.database_url)}' är inget "
                    "portnummer: ange ett tal från 1 till 65535 (PostgreSQL lyssnar oftast på 5432).",
                    field="LERUM_FLOW_DATABASE_URL",
                    rule="databasadress",
                )
            env.update(
                {
                    "POSTGRES_DBNAME": str(parts.get("dbname") or "postgres"),
                    "POSTGRES_HOST": str(parts.get("host") or "127.0.0.1"),
                    "POSTGRES_PORT": port,
                    "POSTGRES_USER": str(parts.get("user") or "postgres"),
                    "POSTGRES_PASSWORD": str(parts.get("password") or ""),
                }
            )
        env.setdefault("POSTGRES_LOCK_TIMEOUT", str(self.lock_timeout_seconds))
        # The library's default pool (5 + 10 overflow per application) exhausts a
        # server's 100 connections with a handful of processes; one process
        # records one command at a time, so a small pool is plenty.
        env.setdefault("POSTGRES_POOL_SIZE", "2")
        env.setdefault("POSTGRES_MAX_OVERFLOW", "4")
        # Fail fast with a clear message rather than wait 30 s on a dead server.
        env.setdefault("POSTGRES_CONNECT_TIMEOUT", "5")
        if self.store_schema:
            env["POSTGRES_SCHEMA"] = self.store_schema
        if self.read_only or not self.create_tables:
            env["CREATE_TABLE"] = "no"
        return env


def check_kommunkod(kod: str, *, field: str) -> str:
    """A kommunkod as SCB gives it, four digits (Lerum 1441), or a refusal saying so."""
    if len(kod) != 4 or not kod.isascii() or not kod.isdigit():
        raise InvalidInput(
            f"Kommunkoden '{kod[:40]}' är felaktig: den ska vara fyra siffror, som SCB:s kommunkod "
            "(Lerum 1441).",
            field=field,
            rule="kommunkod",
        )
    return kod


def kommun_schema(kod: str) -> str:
    """The PostgreSQL schema of a municipality's store."""
    return KOMMUN_SCHEMA_PREFIX + check_kommunkod(kod, field="kommun")


def kommun_namespace(kod: str) -> str:
    """The Temporal namespace of a municipality's processes: workflow ids are the relay contract and
    repeat from one municipality to the next (arshjul-2027), so each keeps them apart in its own."""
    return KOMMUN_NAMESPACE_PREFIX + check_kommunkod(kod, field="kommun")


def masked_url(database_url: str) -> str:
    """The database URL as a message may repeat it: a password in it, before the host or as a
    parameter, shown as ***. Well formed or not: a URL refused as malformed is shown too."""
    scheme, sep, rest = database_url.partition("://")
    if sep:
        # The last @ ends the user's part even where the password holds an unencoded one.
        user_part, at, host_part = rest.rpartition("@")
        user, colon, _password = user_part.partition(":")
        if at and colon:
            rest = f"{user}:***@{host_part}"
        database_url = f"{scheme}{sep}{rest}"
    return re.sub(r"(password=)[^&\s]*", r"\1***", database_url, flags=re.IGNORECASE)


def with_password(database_url: str, password: str) -> str:
    """The PostgreSQL URL with `password` put in, for a password kept out of the URL (a mounted
    secret, LERUM_FLOW_DATABASE_PASSWORD_FILE); one in the URL already is refused as ambiguous."""
    if not password or not database_url.startswith(("postgresql://", "postgres://")):
        return database_url
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(database_url)
    user, at, host = parts.netloc.rpartition("@")
    if ":" in user:
        raise InvalidInput(
            "Lösenordet står både i LERUM_FLOW_DATABASE_URL och i LERUM_FLOW_DATABASE_PASSWORD(_FILE); "
            "ange det på ett ställe.",
            field="LERUM_FLOW_DATABASE_PASSWORD",
            rule="hemlighet_dubbel",
        )
    netloc = f"{user}:{quote(password, safe='')}@{host}" if at else f":{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
