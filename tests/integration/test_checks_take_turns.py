"""Two commands whose rules span records, run at once by two writers on one store (as the web, the
command line and Temporal's activities do): the second checks only once the first has saved, so
the record never holds what the law forbids, on SQLite and on PostgreSQL.

Each race is made deterministic: writer A is held after its checks, just before it saves; writer B
is then run until it has either recorded its command or is waiting for its turn; only then is A let
go. Without turns, B checks a record that does not yet hold A's command and both are recorded.

On PostgreSQL a turn can be lost while its command runs: the server ends the session holding the
lock, which releases it. A command whose lock was lost before its save is refused; one whose lock is
lost while its save commits is recorded before the next turn reads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic
from unit.governance_world import CHEF, DAY, MEDARBETARE, SECTOR, governance, person_of, seed, send

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import Conflict, InvalidState, Refusal
from lerum_flow.postgres_store import OneRoundTripRecorder
from lerum_flow.settings import Settings
from lerum_flow.store_lock import advisory_key, as_in_pg_locks
from lerum_flow.view_lookups import ViewTies

GONE = date(2027, 6, 1)
# Long enough for a writer that is never let go to fail the test rather than hang it; the test's
# outcome never depends on it.
STUCK_SECONDS = 120
# The tests of a lock that can be lost while its holder lives: PostgreSQL's.
POSTGRES_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@dataclass
class Writer:
    """One writer's thread and what its command came to."""

    name: str
    thread: threading.Thread | None = None
    outcome: Outcome | None = None
    refusal: Refusal | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def start(self, command: Callable[[], Outcome], then: threading.Event | None = None) -> None:
        def run() -> None:
            try:
                self.outcome = command()
            except Refusal as refusal:
                self.refusal = refusal
            except BaseException as error:  # reported by the test, not lost in the thread
                self.error = error
            finally:
                self.done.set()
                if then is not None:
                    then.set()

        self.thread = threading.Thread(target=run, name=self.name, daemon=True)
        self.thread.start()

    def join(self) -> None:
        assert self.thread is not None
        self.thread.join(STUCK_SECONDS)
        assert self.done.is_set(), f"{self.name} never finished"
        assert self.error is None, f"{self.name} failed: {self.error!r}"


def held_before_saving(app: Governance, checked: threading.Event, go: threading.Event) -> None:
    """`app`'s next save waits for `go`, once it has said (`checked`) that its checks are passed."""
    commit = app._commit

    def held(aggregate: Any) -> None:
        checked.set()
        assert go.wait(STUCK_SECONDS), "never let go"
        commit(aggregate)

    app._commit = held  # type: ignore[method-assign]


def says_when_waiting(app: Governance, waiting: threading.Event) -> None:
    """`app` says (`waiting`) when it asks for its turn at the store, before it waits for it."""
    turn = app.holding_store_lock

    @contextmanager
    def asked() -> Iterator[None]:
        waiting.set()
        with turn():
            yield

    app.holding_store_lock = asked  # type: ignore[method-assign]


def vacate(app: Governance, code: str, by: str) -> None:
    """The world's holder of `code` holds it no longer from GONE."""
    send(app, "end_forordnande", by, position=code, appointee=person_of(code), reason="Slutar.",
         decided_on=DAY, valid_until=GONE - timedelta(days=1))  # fmt: skip


def discontinue(app: Governance, settings: Settings, actor: str, code: str) -> Outcome:
    """`actor` discontinues `code` from GONE, what hangs on it read from the stored views (caught up
    with the log first), as the command line does."""
    command = c.parse_command(c.DiscontinueBefattning, actor=actor, person=person_of(actor), code=code,
                              reason="Enheten läggs ned.", discontinued_on=GONE)  # fmt: skip
    ties = ViewTies.open(settings)
    try:
        return app.discontinue_befattning(command, ties=ties)
    finally:
        ties.close()


@dataclass(frozen=True)
class World:
    """A seeded store whose förskolechef may be discontinued from GONE: its medarbetare gone, no
    one holding it then; and an uppdrag the sector has accepted, to break down to it."""

    to_sector: Any


@pytest.fixture
def writers(database_url: str) -> Iterator[tuple[Settings, Governance, Governance, World]]:
    settings = Settings(database_url=database_url)
    env = settings.eventsourcing_env("governance")
    first = governance(env)
    second = governance(env)
    try:
        seeded = seed(first)
        vacate(first, MEDARBETARE, CHEF)
        discontinue(first, settings, CHEF, MEDARBETARE)
        vacate(first, CHEF, SECTOR)
        to_director = send(first, "issue_uppdrag", "ks", recipient="kommundirektor", title="Lokalplan",
                           parent_id=seeded.kf_uppdrag_to_ks, issued_on=DAY).id  # fmt: skip
        send(first, "accept_uppdrag", "kommundirektor", uppdrag_id=to_director, on=DAY)
        to_sector = send(first, "issue_uppdrag", "kommundirektor", recipient=SECTOR, title="Förskola",
                         parent_id=to_director, issued_on=DAY).id  # fmt: skip
        send(first, "accept_uppdrag", SECTOR, uppdrag_id=to_sector, on=DAY)
        yield settings, first, second, World(to_sector)
    finally:
        first.close()
        second.close()


def race(
    a: Governance,
    command_a: Callable[[], Outcome],
    b: Governance,
    command_b: Callable[[], Outcome],
    both: str,
) -> Refusal:
    """Run A up to its save and hold it there; run B until it has recorded or waits for its turn;
    then let A save, and wait for both. A is recorded (one event), B refused (`both`: what the record
    would hold if B were recorded too): its refusal."""
    before = b.head()
    checked, go, b_on_its_way = threading.Event(), threading.Event(), threading.Event()
    held_before_saving(a, checked, go)
    says_when_waiting(b, b_on_its_way)
    first, second = Writer("A"), Writer("B")
    first.start(command_a)
    assert checked.wait(STUCK_SECONDS), "A never reached its save"
    second.start(command_b, then=b_on_its_way)
    assert b_on_its_way.wait(STUCK_SECONDS), "B neither recorded nor asked for its turn"
    go.set()
    first.join()
    second.join()
    return only_one_recorded(first, second, b, before, both)


def only_one_recorded(recorded: Writer, refused: Writer, app: Governance, before: int, both: str) -> Refusal:
    """`recorded`'s command is the one event recorded since `before`, `refused`'s refused (`both`: what
    the record would hold if it were recorded too): its refusal."""
    assert recorded.outcome is not None
    assert recorded.outcome.recorded
    assert refused.outcome is None, both
    assert refused.refusal is not None
    assert app.head() == before + 1
    return refused.refusal


def test_an_uppdrag_to_a_position_being_discontinued_meanwhile_stops_the_discontinuation(
    writers: tuple[Settings, Governance, Governance, World],
) -> None:
    """A issues an uppdrag to the förskolechef while B discontinues it: B, checking once A has saved,
    finds the uppdrag open on it and is refused in Swedish, recording nothing."""
    settings, a, b, world = writers

    def issue() -> Outcome:
        return send(a, "issue_uppdrag", SECTOR, recipient=CHEF, title="Lokaler", parent_id=world.to_sector,
                    issued_on=DAY)  # fmt: skip

    both = "both the uppdrag and the discontinuation of its recipient were recorded"
    refusal = race(a, issue, b, lambda: discontinue(b, settings, SECTOR, CHEF), both)

    assert isinstance(refusal, InvalidState)
    assert refusal.rule == "pagaende_uppdrag"
    assert f"'{CHEF}' har 1 pågående uppdrag" in str(refusal)
    assert b.discontinued_from(CHEF) is None


def test_a_position_established_under_one_being_discontinued_meanwhile_is_refused(
    writers: tuple[Settings, Governance, Governance, World],
) -> None:
    """A discontinues the förskolechef while B establishes a position under it: B, checking once A
    has saved, finds it discontinued from GONE and is refused in Swedish, recording nothing."""
    settings, a, b, _ = writers

    def establish() -> Outcome:
        return send(b, "establish_befattning", SECTOR, code="m-bertil", name="Barnskötare",
                    kind="medarbetare", parent=CHEF, established_on=DAY)  # fmt: skip

    both = "a position was established under one discontinued at the same time"
    refusal = race(a, lambda: discontinue(a, settings, SECTOR, CHEF), b, establish, both)

    assert isinstance(refusal, InvalidState)
    assert refusal.rule == "overlever_befattningen"
    assert f"Befattningen '{CHEF}' avvecklas från {GONE.isoformat()}" in str(refusal)


def test_a_command_that_waits_longer_than_the_lock_timeout_for_its_turn_is_refused_in_swedish(
    writers: tuple[Settings, Governance, Governance, World],
) -> None:
    """While another writer holds its turn longer than the store's lock timeout, a command is
    refused, asking to try again, and records nothing."""
    settings, a, _, world = writers
    env = settings.eventsourcing_env("governance")
    impatient = governance(env | {"GOVERNANCE_SQLITE_LOCK_TIMEOUT": "1", "POSTGRES_LOCK_TIMEOUT": "1"})
    before = impatient.head()
    try:
        with a.holding_store_lock(), pytest.raises(Conflict) as refusal:
            send(impatient, "accept_uppdrag", SECTOR, uppdrag_id=world.to_sector, on=DAY)
        assert impatient.head() == before
    finally:
        impatient.close()

    assert refusal.value.rule == "konflikt"
    assert "Lagret är upptaget av andra samtidiga ändringar; inget registrerades. Försök igen." in str(
        refusal.value
    )


def end_lock_session(app: Governance, watcher: Governance) -> None:
    """The server ends the session holding `app`'s store lock (found by `watcher` in pg_locks by
    the lock's key), as an administrator or `idle_in_transaction_session_timeout` would, and waits
    until it has ended, its lock released with it."""
    key = advisory_key(app.recorder.datastore.schema, "commands")  # type: ignore[attr-defined]
    with watcher.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
        row = conn.execute(
            "SELECT pg_terminate_backend(pid, 60000) AS ended FROM pg_locks WHERE locktype = 'advisory' "
            "AND granted AND objsubid = 1 AND classid = %s AND objid = %s "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            as_in_pg_locks(key),
        ).fetchone()
    assert row == {"ended": True}, "no session holding the store lock was ended"


@POSTGRES_ONLY
def test_a_command_whose_lock_session_was_ended_before_its_save_is_refused_and_records_nothing(
    writers: tuple[Settings, Governance, Governance, World],
) -> None:
    """A issues an uppdrag to the förskolechef and is held after its checks; the server ends the
    session holding A's lock, so B takes its turn and discontinues the förskolechef: A, resumed, is
    refused in Swedish (its checks no longer hold) and only B's command is recorded."""
    settings, a, b, world = writers
    before = b.head()
    checked, go = threading.Event(), threading.Event()
    held_before_saving(a, checked, go)
    first, second = Writer("A"), Writer("B")
    first.start(lambda: send(a, "issue_uppdrag", SECTOR, recipient=CHEF, title="Lokaler",
                             parent_id=world.to_sector, issued_on=DAY))  # fmt: skip
    assert checked.wait(STUCK_SECONDS), "A never reached its save"
    end_lock_session(a, b)
    second.start(lambda: discontinue(b, settings, SECTOR, CHEF))
    second.join()
    go.set()
    first.join()

    both = "both the uppdrag and the discontinuation of its recipient were recorded"
    refusal = only_one_recorded(second, first, b, before, both)

    assert isinstance(refusal, Conflict)
    assert refusal.rule == "konflikt"
    assert "lagrets lås bröts innan ändringen sparades" in str(refusal)
    assert "inget registrerades. Försök igen." in str(refusal)


def until(watcher: Governance, query: str, *params: Any) -> None:
    """Wait until `query` (one boolean, named `yes`) is true on the server: a state reached, not a
    time waited."""
    deadline = time.monotonic() + STUCK_SECONDS
    while True:
        with watcher.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
            row = conn.execute(query, params).fetchone()
        if row is not None and row["yes"]:
            return
        assert time.monotonic() < deadline, f"never so: {query}"
        time.sleep(0.01)


@POSTGRES_ONLY
def test_a_command_whose_lock_session_ends_while_its_save_commits_is_recorded_before_the_next_turn_reads(
    writers: tuple[Settings, Governance, Governance, World],
) -> None:
    """A discontinues the förskolechef; its save has confirmed the lock and is held by the server
    before its INSERT when the session holding A's lock is ended: B, taking its turn to establish a
    position under it, waits for A's save to end before it reads, finds the förskolechef
    discontinued and is refused, recording nothing."""
    settings, a, b, _ = writers
    before = b.head()
    held_insert = 7_000_001  # an advisory key of this test's own, held while A's INSERT should wait
    events = f'"{b.recorder.datastore.schema}"."{b.recorder.events_table_name}"'  # type: ignore[attr-defined]
    with b.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
        conn.execute(
            "CREATE FUNCTION pause_insert() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN PERFORM pg_advisory_xact_lock({held_insert}); RETURN NULL; END $$"
        )
        conn.execute(f"CREATE TRIGGER pause_insert BEFORE INSERT ON {events} EXECUTE FUNCTION pause_insert()")
    with b.recorder.datastore.get_connection() as pausing:  # type: ignore[attr-defined]
        pausing.execute("BEGIN")
        pausing.execute("SELECT pg_advisory_xact_lock(%s)", (held_insert,))
        first, second = Writer("A"), Writer("B")
        first.start(lambda: discontinue(a, settings, SECTOR, CHEF))
        until(b, "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                 "AND classid = 0 AND objid = %s) AS yes", held_insert)  # fmt: skip
        end_lock_session(a, b)
        second.start(lambda: send(b, "establish_befattning", SECTOR, code="m-bertil", name="Barnskötare",
                                  kind="medarbetare", parent=CHEF, established_on=DAY))  # fmt: skip
        until(b, "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'relation' AND NOT granted "
                 "AND relation = %s::regclass) AS yes", events)  # fmt: skip
        pausing.execute("ROLLBACK")
    first.join()
    second.join()

    refusal = only_one_recorded(first, second, b, before, "a position was established under one discontinued")

    assert isinstance(refusal, InvalidState)
    assert refusal.rule == "overlever_befattningen"


@POSTGRES_ONLY
@pytest.mark.parametrize("recorder", [OneRoundTripRecorder, PostgresApplicationRecorder])
def test_a_command_whose_lock_session_was_ended_is_refused_whichever_recorder_saves(
    writers: tuple[Settings, Governance, Governance, World], recorder: type[PostgresApplicationRecorder]
) -> None:
    """Whether the save confirms the lock in its own transaction (ours) or the lock's session is asked
    first (the library's recorder, named in the environment), a command in a turn whose lock session
    the server has ended is refused in Swedish and records nothing."""
    settings, _, b, world = writers
    env = settings.eventsourcing_env("governance")
    app = governance(env | {"APPLICATION_RECORDER_TOPIC": get_topic(recorder)})
    before = app.head()
    try:
        assert type(app.recorder) is recorder
        with app.holding_store_lock():
            end_lock_session(app, b)
            with pytest.raises(Conflict) as refusal:
                send(app, "issue_uppdrag", SECTOR, recipient=CHEF, title="Lokaler", parent_id=world.to_sector,
                     issued_on=DAY)  # fmt: skip
        assert app.head() == before
    finally:
        app.close()

    assert refusal.value.rule == "konflikt"
    assert "lagrets lås bröts innan ändringen sparades" in str(refusal.value)
