"""Settings, read once by an entrypoint from the environment and passed down.

A plain dataclass, not a pydantic model: every command reads them, and for a
read they were the last reason to import pydantic (some 50 ms of its start-up).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from lerum_flow.domain.errors import InvalidInput

DEFAULT_DATA_DIR = Path("var")
DEFAULT_TEMPORAL_ADDRESS = "127.0.0.1:7233"
DEFAULT_TEMPORAL_NAMESPACE = "default"
DEFAULT_TASK_QUEUE = "lerum-flow"
# The dev server's own default: the Web UI on the gRPC port + 1000.
DEV_UI_PORT_OFFSET = 1000
# One deployment, many municipalities: each one's store is a PostgreSQL schema of its own and its
# processes a Temporal namespace of its own, both named after its kommunkod (SCB's four digits).
KOMMUN_SCHEMA_PREFIX = "kommun_"
KOMMUN_NAMESPACE_PREFIX = "lerum-flow-"
_YES = frozenset({"1", "ja", "true", "yes", "on"})
_NO = frozenset({"0", "nej", "false", "no", "off"})


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
                env.get("LERUM_FLOW_DATABASE_URL", ""), _secret(env, "LERUM_FLOW_DATABASE_PASSWORD")
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
            if self.database_url and not self.database_url.startswith("sqlite:///"):
                raise InvalidInput(
                    f"Databasadressen '{self.database_url}' känns inte igen; använd "
                    "'sqlite:///sökväg/till/fil.db' eller 'postgresql://användare@värd:port/databas'.",
                    field="LERUM_FLOW_DATABASE_URL",
                    rule="databasadress",
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
            except psycopg.ProgrammingError as error:
                raise InvalidInput(
                    f"Databasadressen kunde inte tolkas: {error}",
                    field="LERUM_FLOW_DATABASE_URL",
                    rule="databasadress",
                ) from None
            env.update(
                {
                    "POSTGRES_DBNAME": str(parts.get("dbname") or "postgres"),
                    "POSTGRES_HOST": str(parts.get("host") or "127.0.0.1"),
                    "POSTGRES_PORT": str(parts.get("port") or 5432),
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


@dataclass(frozen=True)
class TemporalSettings:
    """Where Temporal is, how to prove who we are to it, and which queue our workers serve.

    Everything Temporal Cloud or a secured self-hosted cluster asks for: TLS
    with the server's CA (or the system's roots when none is given), a client
    certificate and key for mutual TLS, and an API key. Files are checked here,
    when an entrypoint reads the settings, so a wrong path is refused in words
    before anything connects; they are read when the client connects, so a
    rotated certificate takes effect at the next start of the process.
    """

    address: str = DEFAULT_TEMPORAL_ADDRESS
    namespace: str = DEFAULT_TEMPORAL_NAMESPACE
    task_queue: str = DEFAULT_TASK_QUEUE
    # None: TLS when anything below asks for it (a CA, a certificate, an API key).
    tls: bool | None = None
    tls_server_ca: Path | None = None
    tls_client_cert: Path | None = None
    tls_client_key: Path | None = None
    # The name the server's certificate is checked against, when not the address's host.
    tls_server_name: str = ""
    api_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        for name in ("tls_server_ca", "tls_client_cert", "tls_client_key"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))
        if not self.task_queue:
            raise InvalidInput(
                "Temporal-kön får inte vara tom; ange ett namn i LERUM_FLOW_TEMPORAL_TASK_QUEUE.",
                field="LERUM_FLOW_TEMPORAL_TASK_QUEUE",
                rule="temporalko",
            )
        if (self.tls_client_cert is None) != (self.tls_client_key is None):
            raise InvalidInput(
                "Klientcertifikat och nyckel hör ihop: ange både LERUM_FLOW_TEMPORAL_TLS_CERT "
                "och LERUM_FLOW_TEMPORAL_TLS_KEY, eller ingen av dem.",
                field="LERUM_FLOW_TEMPORAL_TLS_CERT"
                if self.tls_client_cert is None
                else "LERUM_FLOW_TEMPORAL_TLS_KEY",
                rule="temporal_tls_par",
            )
        for name, variable, what in (
            ("tls_server_ca", "LERUM_FLOW_TEMPORAL_TLS_CA", "Serverns CA-certifikat"),
            ("tls_client_cert", "LERUM_FLOW_TEMPORAL_TLS_CERT", "Klientcertifikatet"),
            ("tls_client_key", "LERUM_FLOW_TEMPORAL_TLS_KEY", "Klientnyckeln"),
        ):
            path = getattr(self, name)
            if path is not None:
                _check_pem_file(path, variable, what)
        if self.tls is False and (self.wants_tls or self.api_key):
            raise InvalidInput(
                "LERUM_FLOW_TEMPORAL_TLS är avslaget men certifikat eller API-nyckel är angivna; "
                "en API-nyckel och certifikat skickas bara över TLS. Slå på TLS eller ta bort dem.",
                field="LERUM_FLOW_TEMPORAL_TLS",
                rule="temporal_tls_av",
            )

    @property
    def wants_tls(self) -> bool:
        return (
            self.tls_server_ca is not None or self.tls_client_cert is not None or bool(self.tls_server_name)
        )

    @property
    def uses_tls(self) -> bool:
        if self.tls is not None:
            return self.tls
        return self.wants_tls or bool(self.api_key)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> TemporalSettings:
        env = os.environ if environ is None else environ

        def path(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value) if value else None

        return cls(
            address=env.get("LERUM_FLOW_TEMPORAL_ADDRESS", "") or DEFAULT_TEMPORAL_ADDRESS,
            namespace=env.get("LERUM_FLOW_TEMPORAL_NAMESPACE", "") or DEFAULT_TEMPORAL_NAMESPACE,
            task_queue=env.get("LERUM_FLOW_TEMPORAL_TASK_QUEUE", "") or DEFAULT_TASK_QUEUE,
            tls=_yes_no(env, "LERUM_FLOW_TEMPORAL_TLS"),
            tls_server_ca=path("LERUM_FLOW_TEMPORAL_TLS_CA"),
            tls_client_cert=path("LERUM_FLOW_TEMPORAL_TLS_CERT"),
            tls_client_key=path("LERUM_FLOW_TEMPORAL_TLS_KEY"),
            tls_server_name=env.get("LERUM_FLOW_TEMPORAL_TLS_SERVER_NAME", "").strip(),
            api_key=_secret(env, "LERUM_FLOW_TEMPORAL_API_KEY"),
        )

    def for_kommun(self, kod: str) -> TemporalSettings:
        """The same server, in the municipality's namespace (unchanged without a municipality)."""
        if not kod:
            return self
        return replace(self, namespace=kommun_namespace(kod))

    @property
    def host(self) -> str:
        return self.address.rpartition(":")[0] or "127.0.0.1"

    @property
    def port(self) -> int:
        try:
            return int(self.address.rpartition(":")[2])
        except ValueError:
            raise InvalidInput(
                f"Temporal-adressen '{self.address}' saknar port; skriv värd:port, "
                f"t.ex. {DEFAULT_TEMPORAL_ADDRESS}.",
                field="LERUM_FLOW_TEMPORAL_ADDRESS",
                rule="temporaladress",
            ) from None

    @property
    def ui_url(self) -> str:
        """The Web UI of a dev server at this address."""
        return f"http://{self.host}:{self.port + DEV_UI_PORT_OFFSET}"


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


def _check_pem_file(path: Path, variable: str, what: str) -> None:
    """Refuse, in words, a path that is no readable PEM file (the TLS library's own error says less)."""
    try:
        head = path.read_bytes()[:4096]
    except FileNotFoundError:
        problem = "finns inte"
    except IsADirectoryError:
        problem = "är en katalog, inte en fil"
    except PermissionError:
        problem = "får inte läsas av den här processen"
    except OSError as error:
        problem = f"kan inte läsas ({error.strerror})"
    else:
        if b"-----BEGIN " in head:
            return
        problem = "är ingen PEM-fil (raden '-----BEGIN ...' saknas)"
    raise InvalidInput(f"{what} {path} ({variable}) {problem}.", field=variable, rule="temporal_tls_fil")


def _yes_no(env: Mapping[str, str], name: str) -> bool | None:
    value = env.get(name, "").strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(f"{name} ska vara 'ja' eller 'nej', inte '{value}'.", field=name, rule="ja_nej")


def _secret(env: Mapping[str, str], name: str) -> str:
    """A secret given as `NAME` or as a file named by `NAME_FILE` (a mounted Kubernetes Secret), not both."""
    direct = env.get(name, "")
    file_name = env.get(f"{name}_FILE", "").strip()
    if direct and file_name:
        raise InvalidInput(f"Ange {name} eller {name}_FILE, inte båda.", field=name, rule="hemlighet_dubbel")
    if not file_name:
        return direct.strip()
    try:
        value = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise InvalidInput(
            f"Filen {file_name} ({name}_FILE) kan inte läsas: {error.strerror}.",
            field=f"{name}_FILE",
            rule="hemlighet_fil",
        ) from None
    if not value:
        raise InvalidInput(
            f"Filen {file_name} ({name}_FILE) är tom.", field=f"{name}_FILE", rule="hemlighet_fil"
        )
    return value


@dataclass(frozen=True)
class WorkerSettings:
    """How a worker process is run and watched: its probe and metrics port, its graceful stop.

    `health_port` 0 (the default) starts no HTTP server: `lerum-flow up` on a
    laptop and the tests need none; a container sets it (deploy/ uses 9400).
    """

    health_port: int = 0
    health_host: str = "127.0.0.1"
    # The Temporal SDK's own Prometheus endpoint, on this machine only; /metrics passes it on.
    # 0: a free port is chosen when the health server runs.
    temporal_metrics_port: int = 0
    graceful_stop_seconds: float = 30.0
    sample_seconds: float = 15.0

    def __post_init__(self) -> None:
        for name, variable in (
            ("health_port", "LERUM_FLOW_HEALTH_PORT"),
            ("temporal_metrics_port", "LERUM_FLOW_TEMPORAL_METRICS_PORT"),
        ):
            if not 0 <= getattr(self, name) <= 65535:
                raise InvalidInput(
                    f"{variable} ska vara ett portnummer 0–65535 (0 = av), inte {getattr(self, name)}.",
                    field=variable,
                    rule="port",
                )
        for name, variable in (
            ("graceful_stop_seconds", "LERUM_FLOW_GRACEFUL_STOP_SECONDS"),
            ("sample_seconds", "LERUM_FLOW_METRICS_SAMPLE_SECONDS"),
        ):
            if getattr(self, name) <= 0:
                raise InvalidInput(
                    f"{variable} ska vara ett positivt antal sekunder, inte {getattr(self, name)}.",
                    field=variable,
                    rule="sekunder",
                )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> WorkerSettings:
        env = os.environ if environ is None else environ
        return cls(
            health_port=_number(env, "LERUM_FLOW_HEALTH_PORT", int, 0),
            health_host=env.get("LERUM_FLOW_HEALTH_HOST", "").strip() or "127.0.0.1",
            temporal_metrics_port=_number(env, "LERUM_FLOW_TEMPORAL_METRICS_PORT", int, 0),
            graceful_stop_seconds=_number(env, "LERUM_FLOW_GRACEFUL_STOP_SECONDS", float, 30.0),
            sample_seconds=_number(env, "LERUM_FLOW_METRICS_SAMPLE_SECONDS", float, 15.0),
        )


def _number(env: Mapping[str, str], name: str, kind: type[int] | type[float], default: float) -> Any:
    text = env.get(name, "").strip()
    if not text:
        return kind(default)
    try:
        return kind(text.replace(",", ".") if kind is float else text)
    except ValueError:
        what = "ett heltal" if kind is int else "ett tal"
        raise InvalidInput(f"{name} ska vara {what}, inte '{text}'.", field=name, rule="tal") from None


SMTP_SECURITY = ("starttls", "tls", "ingen")


@dataclass(frozen=True)
class MailSettings:
    """The e-mail channel for notices: the SMTP server, the sender, where each position's mail goes,
    and the web application the mails link to.

    Addresses are per position (a functional mailbox such as
    kommundirektor@kommun.se), kept in a TOML file beside the deployment, never in
    the event store: events are kept for decades, and a mailbox changes with staff.
    """

    host: str
    sender: str
    web_url: str
    addresses_path: Path
    port: int = 587
    # starttls (port 587), tls (SMTPS, port 465), ingen (a relay on the same host or network only).
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "addresses_path", Path(self.addresses_path))
        if self.security not in SMTP_SECURITY:
            raise InvalidInput(
                f"LERUM_FLOW_SMTP_SECURITY ska vara starttls, tls eller ingen, inte '{self.security}'.",
                field="LERUM_FLOW_SMTP_SECURITY",
                rule="smtp_sakerhet",
            )
        if not 1 <= self.port <= 65535:
            raise InvalidInput(
                f"LERUM_FLOW_SMTP_PORT ska vara ett portnummer 1–65535, inte {self.port}.",
                field="LERUM_FLOW_SMTP_PORT",
                rule="port",
            )
        if "@" not in self.sender:
            raise InvalidInput(
                "Ange avsändaradressen för notiserna med LERUM_FLOW_SMTP_FROM, t.ex. noreply@kommun.se.",
                field="LERUM_FLOW_SMTP_FROM",
                rule="smtp_avsandare",
            )
        if not self.web_url.startswith(("https://", "http://")):
            raise InvalidInput(
                "Ange webbapplikationens adress med LERUM_FLOW_WEB_URL (t.ex. https://styrning.kommun.se): "
                "varje notis länkar dit.",
                field="LERUM_FLOW_WEB_URL",
                rule="webbadress",
            )
        if not self.addresses_path.is_file():
            raise InvalidInput(
                f"Adressfilen {self.addresses_path} (LERUM_FLOW_NOTICE_ADDRESSES) finns inte; den anger "
                "vart varje positions notiser ska skickas.",
                field="LERUM_FLOW_NOTICE_ADDRESSES",
                rule="adressfil",
            )
        if self.user and not self.password:
            raise InvalidInput(
                "LERUM_FLOW_SMTP_USER är angiven men inget lösenord: ange LERUM_FLOW_SMTP_PASSWORD "
                "eller LERUM_FLOW_SMTP_PASSWORD_FILE.",
                field="LERUM_FLOW_SMTP_PASSWORD",
                rule="smtp_losenord",
            )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> MailSettings | None:
        """The channel's settings, or None when LERUM_FLOW_SMTP_HOST is not set (notices go to the log)."""
        env = os.environ if environ is None else environ
        host = env.get("LERUM_FLOW_SMTP_HOST", "").strip()
        if not host:
            return None
        security = env.get("LERUM_FLOW_SMTP_SECURITY", "").strip().lower() or "starttls"
        return cls(
            host=host,
            port=_number(env, "LERUM_FLOW_SMTP_PORT", int, 465 if security == "tls" else 587),
            security=security,
            user=env.get("LERUM_FLOW_SMTP_USER", "").strip(),
            password=_secret(env, "LERUM_FLOW_SMTP_PASSWORD"),
            sender=env.get("LERUM_FLOW_SMTP_FROM", "").strip(),
            web_url=env.get("LERUM_FLOW_WEB_URL", "").strip().rstrip("/"),
            addresses_path=Path(env.get("LERUM_FLOW_NOTICE_ADDRESSES", "").strip() or "adresser.toml"),
            timeout_seconds=_number(env, "LERUM_FLOW_SMTP_TIMEOUT_SECONDS", float, 10.0),
        )
