"""The numbered migrations, in order: the one place that says what a store's schema holds.

Each migration creates what its version adds, on either store, through the
code that owns those tables (the library's recorders for the event table, its
composite type, index and tracking tables; the views' row classes; the seal;
the person directory), so the DDL itself is written once, where it is used.
Every step is idempotent (CREATE ... IF NOT EXISTS, CREATE OR REPLACE): a
store made by an earlier version of the program, which created its tables on
first use, is brought to the current version by the same migrations without
touching a row, and a migration interrupted half-way is simply run again.

A new table, view or trigger is a new migration appended here (never an edit
of an old one): `db migrate` applies it once per deployment, and every process
then finds it in place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from lerum_flow.settings import Settings


@dataclass(frozen=True)
class Migration:
    number: int
    # What the version adds, as `db status` shows it (Swedish).
    name: str
    apply: Callable[[Settings], None]


def create_event_store(settings: Settings) -> None:
    """The event table (on PostgreSQL with its composite type and notification index)."""
    from lerum_flow.projections.log import GovernanceLog

    GovernanceLog(settings.eventsourcing_env("governance")).close()


def create_views(settings: Settings, names: tuple[str, ...] = ()) -> None:
    """The named views' tables and tracking tables (every view when none are named)."""
    from lerum_flow.projections.store import ViewStore

    store = ViewStore.open(settings, names=names)
    opened = {p.name for p in store.projections}
    store.close()
    if missing := set(names) - opened:
        raise ValueError(f"no such view: {', '.join(sorted(missing))}")


def indexes_on(*views: str) -> Callable[[Settings], None]:
    """A migration adding indexes to views a store already has: the views, opened, create what their
    row classes declare (CREATE INDEX IF NOT EXISTS) from the rows they hold; nothing is rebuilt."""
    return functools.partial(create_views, names=views)


def create_view_history(settings: Settings) -> None:
    """The views' history tables. A view made before them is emptied when opened
    (`GovernanceView.discard`) and rebuilt here, in one pass over the log, rather than page by
    page by whichever process opens it first. Why not filled from the view's current rows: they
    say only what holds now as known now, while the history holds every earlier version with the
    days it took effect and was recorded, which only the log keeps."""
    from lerum_flow.projections.store import ViewStore

    store = ViewStore.open(settings)
    try:
        projector = store.projector()
        if projector.head() == 0:
            return
        emptied = [name for name, position in projector.positions().items() if position == 0]
        if emptied:
            store.projector(names=emptied).rebuild()
    finally:
        store.close()


def create_relay_tracking(settings: Settings) -> None:
    from lerum_flow.relay import RelayPosition

    RelayPosition(settings).close()


def create_person_directory(settings: Settings) -> None:
    from lerum_flow.directory import PersonDirectory

    PersonDirectory(settings).create_table()


def create_seal(settings: Settings) -> None:
    """The seal's tables, empty: a store never sealed reads as one without checkpoints."""
    from lerum_flow.integrity import open_stores
    from lerum_flow.projections.log import GovernanceLog

    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        _, seals = open_stores(log, settings)
        with seals.sealing():
            pass
    finally:
        log.close()


def create_notice_ledger(settings: Settings) -> None:
    """Which notices have gone out, so a retried activity sends each once."""
    from lerum_flow.notice_ledger import create_statement
    from lerum_flow.side_tables import side_table_cursor

    with side_table_cursor(settings, "notices") as cursor:
        cursor.execute(create_statement())


def create_idempotency_keys(settings: Settings) -> None:
    """The web door's idempotency keys, beside the events (the same database the commands write)."""
    from lerum_flow.idempotency_table import create_statement
    from lerum_flow.side_tables import side_table_cursor

    with side_table_cursor(settings, "governance") as cursor:
        cursor.execute(create_statement())


def _base(settings: Settings) -> None:
    create_event_store(settings)
    create_relay_tracking(settings)
    create_views(settings)
    create_person_directory(settings)
    create_seal(settings)


def _append_only(settings: Settings) -> None:
    """Stored events and the seal's rows are never changed or removed, and nothing is slipped in
    below the last event: triggers on both stores (on SQLite the seal's file has its own)."""
    if settings.uses_postgres:
        from lerum_flow.schema.connection import store_connection

        statements = resources.files(__package__).joinpath("postgres_append_only.sql").read_bytes()
        with store_connection(settings) as connection:
            connection.execute(statements)
        return
    from lerum_flow.integrity import open_stores
    from lerum_flow.projections.log import GovernanceLog

    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        events, _ = open_stores(log, settings)
        events.make_append_only()
    finally:
        log.close()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "händelselagret, reläets position, vyerna, personkatalogen och förseglingens tabeller",
        _base,
    ),
    Migration(2, "skrivskydd: lagrade händelser och förseglingen tar bara emot nya rader", _append_only),
    Migration(
        3, "vyernas historik på båda tidsaxlarna och tabellen över fattade beslut", create_view_history
    ),
    Migration(4, "vilka notiser som har skickats (e-post en gång per nyckel)", create_notice_ledger),
    # Before this migration the web application created the table as it started; on such a store it is
    # there already, and this finds it in place.
    Migration(5, "webbens idempotensnycklar (samma nyckel registreras en gång)", create_idempotency_keys),
    # The view is new to a store made before it: opened empty, it is built from the log here, in one
    # pass, as the history tables were (`create_view_history` rebuilds every view at position 0).
    Migration(
        6, "förordnandevyn: vem som innehade vilken befattning, på båda tidsaxlarna", create_view_history
    ),
    # Built the same way: the positions below one on a day were read from every Befattning event.
    Migration(
        7, "befattningsvyn: inrättade och avvecklade befattningar, på båda tidsaxlarna", create_view_history
    ),
    # An index on a view a store already has: created in place (CREATE INDEX IF NOT EXISTS).
    Migration(
        8,
        "styrdokumentvyns index på ägare: vad en befattning som avvecklas fortfarande äger",
        indexes_on("styrdokument_view"),
    ),
    # Likewise: a revision hands a document to another owner from a day, which only the history holds.
    Migration(
        9,
        "styrdokumentvyns historik indexerad på ägare: vad en befattning som avvecklas äger senare",
        indexes_on("styrdokument_view"),
    ),
    # A hand-over gives a planned control to another owner from a day: the internkontroll view's table of
    # hand-overs is new to a store made before it (the view, opened, is emptied and rebuilt here in one
    # pass, as at 6 and 7), with the index on the owner in its controls' history.
    Migration(
        10,
        "internkontrollvyns överlämnade kontroller och historik indexerad på kontrollens ägare: vad en "
        "befattning som avvecklas äger senare",
        create_view_history,
    ),
    # Indexes on views a store already has, created in place as at 8 and 9.
    Migration(
        11,
        "index på det som väntar: uppdragsvyns på status med frist, mottagare och givare, "
        "styrdokumentvyns på status och prövningsdag, beslutsvyns på det en befattning ska anmäla",
        indexes_on("uppdrag_view", "styrdokument_view", "beslut_view"),
    ),
    # Likewise: the årshjul read every uppdrag its givers ever gave to find one year's.
    Migration(
        12,
        "uppdragsvyns index på givare och titel: det som besvarar ett budgetårs steg i årshjulet",
        indexes_on("uppdrag_view"),
    ),
    # Likewise on the history: an inbox as of a day read the whole uppdrag and avvikelse history.
    Migration(
        13,
        "uppdrags- och avvikelsevyernas historik indexerad på mottagare, givare och nivå med status: "
        "inkorgen en viss dag",
        indexes_on("uppdrag_view", "avvikelse_view"),
    ),
)

CURRENT_VERSION = MIGRATIONS[-1].number
