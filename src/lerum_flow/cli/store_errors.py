"""A store the command line cannot use is the user's to fix, said in Swedish: a PostgreSQL server that
does not answer or refuses the connection (a wrong host or port, a database or user that does not
exist, a password it will not take), or a role that may only read asked to write.

Translated once, where `main` ends a run, whatever command opened the store: the drivers (psycopg,
sqlite3) and the eventsourcing library raise their own errors from deep inside, in the language of
whoever wrote them. Each cause is known by the SQLSTATE the server gave, and by its words only where
there is none (`store_error_signs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lerum_flow.domain.errors import Conflict, InvalidInput, NotPermitted, Refusal
from lerum_flow.settings import Settings, masked_url
from lerum_flow.store_error_signs import Sign, chain
from lerum_flow.store_lock import BUSY_SIGN

# A store that answered but kept its write lock past the wait: busy, not unreachable.
BUSY_RULE = "databasen_upptagen"

# The errors of the event store's library and drivers when the database cannot be reached.
_UNREACHABLE = frozenset({"OperationalError", "InterfaceError"})
_STORE_MODULES = ("eventsourcing.", "psycopg", "psycopg_pool", "sqlite3")

# A role (or a server, or an SQLite file) that may only read, asked to write: insufficient_privilege,
# read_only_sql_transaction; SQLite's words, which have no code.
_READ_ONLY = Sign(
    codes=("42501", "25006"),
    words=("permission denied", "read-only transaction", "readonly database", "read-only database"),
)
# ...but a role that may not connect at all (no CONNECT right) is given 42501 too: no write was asked
# for. Only the words tell, in English or as a server installed in Swedish says them.
_NO_CONNECT_RIGHT = Sign(
    codes=("42501",),
    words=("permission denied for database", "rättighet saknas för databas"),
    code_alone=False,
)


def store_refusal(error: Exception, settings: Settings) -> Refusal | None:
    """The refusal for an error of the store's drivers the user can act on; None for any other."""
    return _read_only_store(error) or _unusable_connection(error, settings)


def _read_only_store(error: Exception) -> Refusal | None:
    """A write the store refused for lack of rights is the user's to know about, not a bug.

    The commands that record refuse before they start when the role may only
    read; this catches whatever still reaches the database.
    """
    said = _said_by_store(error)
    if not said or _NO_CONNECT_RIGHT.seen_in(said) or not _READ_ONLY.seen_in(said):
        return None
    return NotPermitted("Databasen vägrade skriva: rollen (eller filen) får bara läsa.", rule="skrivskyddat")


def _said_by_store(error: BaseException) -> list[BaseException]:
    """The errors of the store's library and drivers in the error's chain."""
    return [seen for seen in chain(error) if type(seen).__module__.startswith(_STORE_MODULES)]


def _failure(error: BaseException) -> list[BaseException]:
    """The errors of a store that could not be used: each of the chain's that says so, and the driver's
    it was raised from (`raise ... from`), whatever its class: a code the server gave is on the
    driver's, the words on both. Not those it was raised while handling: an earlier error's code is
    not this failure's."""
    failed: list[BaseException] = []
    for seen in chain(error):
        if _is_unreachable(seen):
            failed += [seen] if seen.__cause__ is None else [seen, seen.__cause__]
    return list(dict.fromkeys(failed))


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
    failed = _failure(error)
    said = "\n".join(dict.fromkeys(str(seen) for seen in failed))
    if BUSY_SIGN.seen_in(failed):
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
    return _postgres_refusal(failed, server) or InvalidInput(
        f"{server.label} gick inte att ansluta till (drivrutinens besked: {_scrubbed(said, server)}). "
        f"Kontrollera {server.setting} och att servern är igång.",
        field=server.field,
        rule="databasen_svarar_inte",
    )


# Each cause of a connection refused: how it is known (`Sign`: the server's SQLSTATEs, and the words of
# an error that has none), the rule, and what the user is told: {where} is the server, {check} the
# setting to check. In the order tried. The words (lowercased): what the server answers a connection
# being opened, in English and, installed in Swedish, in its own catalogue's Swedish (those answers reach
# psycopg without their code); and libpq's and psycopg's own, English whatever the server's language.
_CAUSES: tuple[tuple[Sign, str, str], ...] = (
    (
        Sign(
            codes=("3D000",),  # invalid_catalog_name
            words=(r'database ".*" does not exist', r'databasen ".*" existerar inte'),
        ),
        "databasen_finns_inte",
        "Databasen '{dbname}' finns inte på {where}. {check}: är databasens namn rätt? Annars skapa den "
        "(createdb {dbname}) och kör 'lerum-flow db migrate'.",
    ),
    (
        # invalid_authorization_specification, also given to a login pg_hba.conf refuses (below): the
        # words tell this one.
        Sign(
            codes=("28000",),
            words=(r'role ".*" does not exist', r'rollen ".*" finns inte'),
            code_alone=False,
        ),
        "databasanvandaren_finns_inte",
        "Användaren '{user}' finns inte på {where}. {check}: är användarnamnet rätt? Annars be databasens "
        "administratör skapa rollen.",
    ),
    (
        Sign(
            codes=("28P01",),  # invalid_password; "no password supplied" is libpq's, before asking
            words=(
                r"password authentication failed|no password supplied",
                r"lösenordsautentisering misslyckades",
            ),
        ),
        "databasinloggningen_nekades",
        "{where} tog inte emot lösenordet för användaren '{user}'. Kontrollera lösenordet ({setting}, "
        "eller LERUM_FLOW_DATABASE_PASSWORD_FILE).",
    ),
    (
        # Every other 28000: no pg_hba.conf entry, or one that rejects, a method (ident, peer, LDAP,
        # certificate, ...) that failed.
        Sign(
            codes=("28000",),
            words=(r"pg_hba\.conf|authentication failed", r"autentisering misslyckades"),
        ),
        "databasinloggningen_nekades",
        "{where} släpper inte in användaren '{user}' till databasen '{dbname}' från den här datorn. "
        "{check}, eller be databasens administratör öppna för den (pg_hba.conf).",
    ),
    (
        _NO_CONNECT_RIGHT,
        "databasinloggningen_nekades",
        "Användaren '{user}' får inte ansluta till databasen '{dbname}' på {where} (rätten CONNECT "
        "saknas). Be databasens administratör ge den rätten.",
    ),
    (
        Sign(
            # too_many_connections: the server's slots, or a role's or a database's connection limit.
            codes=("53300",),
            words=(
                r"too many clients|too many connections|connection slots are reserved",
                r"för många klienter|för många uppkopplingar|anslutningsslottar är reserverade",
            ),
        ),
        "databasen_ar_full",
        "{where} tar inte emot fler anslutningar just nu: alla platser är upptagna. Försök igen om en "
        "stund, eller stäng processer som håller anslutningar.",
    ),
    (
        Sign(
            codes=("57P03",),  # cannot_connect_now
            words=(
                r"starting up|shutting down|recovery mode|not yet accepting",
                r"databassystemet (startar upp|stänger ner|är återställningsläge|tar ännu inte emot)",
            ),
        ),
        "databasen_svarar_inte",
        "{where} startar eller stängs av och tar inte emot anslutningar just nu. Försök igen om en stund.",
    ),
    (
        Sign(codes=(), words=(r"failed to resolve host|could not translate host name",)),
        "databasvarden_okand",
        "Värden '{host}' går inte att slå upp: namnet finns inte, eller den här datorn når ingen "
        "namnserver. {check}: är värdens namn rätt?",
    ),
    (
        Sign(codes=(), words=(r"connection refused",)),
        "databasen_svarar_inte",
        "{where} svarar inte: ingen databasserver tar emot anslutningar på den porten. {check}: är värd "
        "och port rätt, och är servern igång?",
    ),
    (
        Sign(codes=(), words=(r"timeout expired|timed out|couldn't get a connection",)),
        "databasen_svarar_inte",
        "{where} svarar inte: ingen anslutning inom {timeout} sekunder. {check}: är värd och port rätt, "
        "är servern igång, och släpper brandväggen fram anslutningen?",
    ),
    (
        Sign(codes=(), words=(r"no route to host|network is unreachable",)),
        "databasen_svarar_inte",
        "{where} svarar inte: den här datorn har ingen väg dit över nätverket. {check}: är värden rätt, "
        "och når den här datorn den?",
    ),
    (
        Sign(
            # The server ended the session: admin_shutdown, crash_shutdown, the idle timeouts
            # (idle_in_transaction_session_timeout, idle_session_timeout); or libpq found it gone.
            codes=("57P01", "57P02", "25P03", "57P05"),
            words=(r"closed the connection unexpectedly|terminating connection",),
        ),
        "databasen_svarar_inte",
        "{where} bröt förbindelsen. Försök igen; händer det igen, se serverns logg.",
    ),
)


def _postgres_refusal(failed: list[BaseException], server: _Server) -> Refusal | None:
    """The cause the server or libpq gave, in Swedish; None for one not known here."""
    for sign, rule, message in _CAUSES:
        if sign.seen_in(failed):
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
