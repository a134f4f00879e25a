"""A store the command line cannot use is the user's to fix, said in Swedish: a PostgreSQL server that
does not answer or refuses the connection (a wrong host or port, a database or user that does not
exist, a password it will not take), or a role that may only read asked to write.

Translated once, where `main` ends a run, whatever command opened the store: the drivers (psycopg,
sqlite3) and the eventsourcing library raise their own errors, in English, from deep inside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lerum_flow.domain.errors import Conflict, InvalidInput, NotPermitted, Refusal
from lerum_flow.settings import Settings, masked_url
from lerum_flow.store_lock import is_busy

# A store that answered but kept its write lock past the wait: busy, not unreachable.
BUSY_RULE = "databasen_upptagen"

# The errors of the event store's library and drivers when the database cannot be reached.
_UNREACHABLE = frozenset({"OperationalError", "InterfaceError"})
_STORE_MODULES = ("eventsourcing.", "psycopg", "psycopg_pool", "sqlite3")

# What the databases answer a role or a file that may only read, when asked to write.
_READ_ONLY_SIGNS = (
    "permission denied",
    "read-only transaction",
    "readonly database",
    "read-only database",
)
# ...and what PostgreSQL answers a role that may not connect at all: no write was asked for.
_NOT_CONNECTED = "permission denied for database"


def store_refusal(error: Exception, settings: Settings) -> Refusal | None:
    """The refusal for an error of the store's drivers the user can act on; None for any other."""
    return _read_only_store(error) or _unusable_connection(error, settings)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and those it was raised from or while handling, each once: a chain can loop back on
    itself (a cause set by hand)."""
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        yield seen
        seen = seen.__cause__ or seen.__context__


def _read_only_store(error: Exception) -> Refusal | None:
    """A write the store refused for lack of rights is the user's to know about, not a bug.

    The commands that record refuse before they start when the role may only
    read; this catches whatever still reaches the database.
    """
    for seen in _chain(error):
        said = str(seen).lower()
        if _NOT_CONNECTED in said:
            return None
        if type(seen).__module__.startswith(_STORE_MODULES) and any(s in said for s in _READ_ONLY_SIGNS):
            return NotPermitted(
                "Databasen vägrade skriva: rollen (eller filen) får bara läsa.", rule="skrivskyddat"
            )
    return None


def _is_unreachable(error: BaseException) -> bool:
    # By the class and its bases: the pool's PoolTimeout is a psycopg OperationalError.
    return any(
        kind.__name__ in _UNREACHABLE and kind.__module__.startswith(_STORE_MODULES)
        for kind in type(error).__mro__
    )


@dataclass(frozen=True)
class _Server:
    """The PostgreSQL server and database a run was told to use, as a message may name them."""

    host: str
    port: str
    dbname: str
    user: str
    password: str
    connect_timeout: str
    # Where the user said so, as the command line names it; the option, when it was the URL.
    setting: str
    field: str | None
    # The server as every message about the store names it (`Settings.server_label`).
    label: str


def _server(settings: Settings) -> _Server:
    env = settings.eventsourcing_env("governance")
    if settings.database_url:
        setting = "--database-url eller LERUM_FLOW_DATABASE_URL"
    else:  # the library's own variables, as its documentation names them
        setting = "POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DBNAME och POSTGRES_USER"
    return _Server(
        host=env.get("POSTGRES_HOST", "127.0.0.1"),
        port=env.get("POSTGRES_PORT", "5432"),
        dbname=env.get("POSTGRES_DBNAME", "postgres"),
        user=env.get("POSTGRES_USER", "postgres"),
        password=env.get("POSTGRES_PASSWORD", ""),
        connect_timeout=env.get("POSTGRES_CONNECT_TIMEOUT", "5"),
        setting=setting,
        field="database-url" if settings.database_url else None,
        label=settings.server_label(),
    )


def _unusable_connection(error: Exception, settings: Settings) -> Refusal | None:
    """A store that does not answer, or refuses this run, named with what to check."""
    if not _is_unreachable(error):
        return None
    # The driver's own words, through the library's wrapping (`raise ... from`): libpq's text is all
    # there is to tell the causes apart, a connection's failure has no SQLSTATE.
    said = "\n".join(dict.fromkeys(str(seen) for seen in _chain(error) if _is_unreachable(seen)))
    if is_busy(said):
        # Answered, not unreachable: another process held a write lock past the wait (a rebuild of the
        # views holds a view's for as long as it takes). The store at work, not a setting to correct.
        return Conflict(
            f"Händelselagret på {settings.server_label()} var låst längre än väntetiden: lagret eller en av "
            "dess vyer är upptagen av en annan process som skriver, till exempel en ombyggnad av vyerna. "
            "Försök igen om en stund.",
            rule=BUSY_RULE,
        )
    if not settings.uses_postgres:
        first_line = (said.splitlines() or [""])[0][:200]
        return InvalidInput(
            f"{settings.server_label()} svarar inte ({first_line}). Kontrollera --database-url eller "
            "LERUM_FLOW_DATABASE_URL och att filen går att öppna.",
            field="database-url",
            rule="databasen_svarar_inte",
        )
    try:
        server = _server(settings)
    except Refusal as refusal:  # settings that cannot name a server: that is the thing to fix
        return refusal
    return _postgres_refusal(said, server) or InvalidInput(
        f"{server.label} gick inte att ansluta till (drivrutinens besked: {_scrubbed(said, server)}). "
        f"Kontrollera {server.setting} och att servern är igång.",
        field=server.field,
        rule="databasen_svarar_inte",
    )


# What libpq or the server says of each cause (patterns on its words, lowercased), the rule, and what
# the user is told: {where} is the server, {check} the setting to check. In the order tried.
_CAUSES: tuple[tuple[str, str, str], ...] = (
    (
        r'database ".*" does not exist',
        "databasen_finns_inte",
        "Databasen '{dbname}' finns inte på {where}. {check}: är databasens namn rätt? Annars skapa den "
        "(createdb {dbname}) och kör 'lerum-flow db migrate'.",
    ),
    (
        r'role ".*" does not exist',
        "databasanvandaren_finns_inte",
        "Användaren '{user}' finns inte på {where}. {check}: är användarnamnet rätt? Annars be databasens "
        "administratör skapa rollen.",
    ),
    (
        r"password authentication failed|no password supplied",
        "databasinloggningen_nekades",
        "{where} tog inte emot lösenordet för användaren '{user}'. Kontrollera lösenordet ({setting}, "
        "eller LERUM_FLOW_DATABASE_PASSWORD_FILE).",
    ),
    (
        r"pg_hba\.conf|authentication failed",
        "databasinloggningen_nekades",
        "{where} släpper inte in användaren '{user}' till databasen '{dbname}' från den här datorn. "
        "{check}, eller be databasens administratör öppna för den (pg_hba.conf).",
    ),
    (
        r"permission denied for database",
        "databasinloggningen_nekades",
        "Användaren '{user}' får inte ansluta till databasen '{dbname}' på {where} (rätten CONNECT "
        "saknas). Be databasens administratör ge den rätten.",
    ),
    (
        r"too many clients|connection slots are reserved",
        "databasen_ar_full",
        "{where} tar inte emot fler anslutningar just nu: alla platser är upptagna. Försök igen om en "
        "stund, eller stäng processer som håller anslutningar.",
    ),
    (
        r"starting up|shutting down|recovery mode|not yet accepting",
        "databasen_svarar_inte",
        "{where} startar eller stängs av och tar inte emot anslutningar just nu. Försök igen om en stund.",
    ),
    (
        r"failed to resolve host|could not translate host name",
        "databasvarden_okand",
        "Värden '{host}' går inte att slå upp: namnet finns inte, eller den här datorn når ingen "
        "namnserver. {check}: är värdens namn rätt?",
    ),
    (
        r"connection refused",
        "databasen_svarar_inte",
        "{where} svarar inte: ingen databasserver tar emot anslutningar på den porten. {check}: är värd "
        "och port rätt, och är servern igång?",
    ),
    (
        r"timeout expired|timed out|couldn't get a connection",
        "databasen_svarar_inte",
        "{where} svarar inte: ingen anslutning inom {timeout} sekunder. {check}: är värd och port rätt, "
        "är servern igång, och släpper brandväggen fram anslutningen?",
    ),
    (
        r"no route to host|network is unreachable",
        "databasen_svarar_inte",
        "{where} svarar inte: den här datorn har ingen väg dit över nätverket. {check}: är värden rätt, "
        "och når den här datorn den?",
    ),
    (
        r"closed the connection unexpectedly|terminating connection",
        "databasen_svarar_inte",
        "{where} bröt förbindelsen. Försök igen; händer det igen, se serverns logg.",
    ),
)


def _postgres_refusal(said: str, server: _Server) -> Refusal | None:
    """The cause libpq or the server gave, in Swedish; None for one not known here."""
    text = said.lower()
    for signs, rule, message in _CAUSES:
        if re.search(signs, text):
            told = message.format(
                where=server.label,
                check=f"Kontrollera {server.setting}",
                setting=server.setting,
                host=server.host,
                user=server.user,
                dbname=server.dbname,
                timeout=server.connect_timeout,
            )
            return InvalidInput(told, field=server.field, rule=rule)
    return None


def _scrubbed(said: str, server: _Server) -> str:
    """The driver's first line, shortened, with no password in it: neither the one given nor one
    inside a URL the driver may repeat."""
    first = (said.splitlines() or [""])[0]
    if server.password:
        first = first.replace(server.password, "***")
    # Shortened only once masked: a cut through a URL could leave the start of its password bare.
    return re.sub(r"\S+://\S+", lambda url: masked_url(url.group(0)), first)[:200]
