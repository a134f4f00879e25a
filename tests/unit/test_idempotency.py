"""A retried command records once; a different command under the same key is refused;
a refusal records nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError
from unit.governance_world import DAY, SECTOR, World, event_count, governance, issue_to_director, seed, send

from lerum_flow.application import Governance, Outcome
from lerum_flow.domain.errors import InvalidState, Refusal
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import UppdragStatus


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


# Each entry: (method, actor, fields built from the seeded world). Creates first, then later commands.
CREATES: dict[str, Callable[[World], tuple[str, str, dict[str, Any]]]] = {
    "take_beslut": lambda w: (
        "take_beslut",
        "ks",
        {
            "decided_by": "ks",
            "kind": "verksamhetsplan",
            "diarienummer": "KS 2026/300",
            "paragraf": "§ 140",
            "title": "Verksamhetsplan 2027",
            "decided_on": date(2026, 12, 10),
        },
    ),
    "issue_uppdrag": lambda w: (
        "issue_uppdrag",
        "ks",
        {
            "recipient": "kommundirektor",
            "title": "Lokalplan",
            "parent_id": w.kf_uppdrag_to_ks,
            "issued_on": DAY,
        },
    ),
    "grant_delegering": lambda w: (
        "grant_delegering",
        "ks",
        {
            "delegates": ["kommundirektor"],
            "matter": "personal",
            "beslut_id": w.delegationsordning,
            "valid_from": DAY,
        },
    ),
    "report_avvikelse": lambda w: (
        "report_avvikelse",
        "kommundirektor",
        {
            "subject_kind": "handelse",
            "subject_ref": "it",
            "severity": "avvikelse",
            "category": "sakerhet",
            "description": "Driftstopp i IT.",
            "occurred_on": DAY,
        },
    ),
    "establish_befattning": lambda w: (
        "establish_befattning",
        "internt-stod",
        {
            "code": "chef-it",
            "name": "IT-chef",
            "kind": "chef",
            "parent": "internt-stod",
            "established_on": DAY,
        },
    ),
}

LATER: dict[str, Callable[[World], tuple[str, str, dict[str, Any]]]] = {
    "revise_uppdrag": lambda w: (
        "revise_uppdrag",
        "kf",
        {
            "uppdrag_id": w.kf_uppdrag_to_ks,
            "on": DAY,
            "title": "Budget 2027, reviderad",
            "reason": "Ny prognos",
        },
    ),
    "report_uppdrag": lambda w: (
        "report_uppdrag",
        "ks",
        {"uppdrag_id": w.kf_uppdrag_to_ks, "on": DAY, "assessment": "delvis", "text": "Prognos -2 mnkr"},
    ),
    "revoke_delegering": lambda w: (
        "revoke_delegering",
        "ks",
        {"delegering_id": w.delegering, "reason": "Ny ordning", "valid_from": DAY},
    ),
    "report_beslut": lambda w: (
        "report_beslut",
        "ks",
        {"beslut_id": w.director_delegationsordning, "minutes_paragraf": "§ 12", "reported_on": DAY},
    ),
    "correct_beslut": lambda w: (
        "correct_beslut",
        "kf",
        {
            "beslut_id": w.budget,
            "diarienummer": "KF 2026/11",
            "title": "Budget 2027",
            "reason": "Fel dnr",
            "corrected_on": DAY,
        },
    ),
    "acknowledge_avvikelse": lambda w: (
        "acknowledge_avvikelse",
        "kommundirektor",
        {"avvikelse_id": w.avvikelse, "on": DAY},
    ),
    "escalate_avvikelse": lambda w: (
        "escalate_avvikelse",
        "kommundirektor",
        {"avvikelse_id": w.avvikelse, "on": DAY},
    ),
}


@pytest.mark.parametrize("explicit_id", [True, False], ids=["command-id", "derived-id"])
@pytest.mark.parametrize("name", sorted(CREATES | LATER))
def test_the_same_command_twice_records_once(
    app: Governance, world: World, name: str, explicit_id: bool
) -> None:
    """The retry is answered 'already recorded' with the version unchanged and no new event."""
    method, actor, fields = (CREATES | LATER)[name](world)
    if explicit_id:
        fields["command_id"] = uuid4()
    first = send(app, method, actor, **fields)
    events = event_count(app)
    second = send(app, method, actor, **fields)
    assert (first.recorded, second.recorded) == (True, False)
    assert (second.id, second.version) == (first.id, first.version)
    assert event_count(app) == events


def test_a_retry_is_recognised_after_later_commands(app: Governance, world: World) -> None:
    """The aggregate remembers every command it handled, not only the last."""
    accept_id = uuid4()
    uppdrag = issue_to_director(app, world).id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY, command_id=accept_id)
    reported = send(
        app,
        "report_uppdrag",
        "kommundirektor",
        uppdrag_id=uppdrag,
        on=DAY,
        assessment="uppfyllt",
        text="Klar",
    )
    retry = send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY, command_id=accept_id)
    assert (retry.recorded, retry.version) == (False, reported.version)


def test_the_same_command_id_on_another_record_is_its_own_command(app: Governance, world: World) -> None:
    """Command ids are remembered per record."""
    command_id = uuid4()
    send(
        app,
        "acknowledge_avvikelse",
        "kommundirektor",
        avvikelse_id=world.avvikelse,
        on=DAY,
        command_id=command_id,
    )
    outcome = send(
        app,
        "accept_uppdrag",
        "kommundirektor",
        command_id=command_id,
        uppdrag_id=issue_to_director(app, world, title="X").id,
        on=DAY,
    )
    assert outcome.recorded


@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_different_command_with_the_same_natural_key_is_refused(
    app: Governance, world: World, name: str
) -> None:
    """Another command id under an existing key is not merged into the existing record."""
    method, actor, fields = CREATES[name](world)
    send(app, method, actor, command_id=uuid4(), **fields)
    before = event_count(app)
    with pytest.raises(InvalidState) as refusal:
        send(app, method, actor, command_id=uuid4(), **fields)
    assert refusal.value.rule == "finns_redan"
    assert event_count(app) == before


def test_a_beslut_with_the_same_paragraf_but_another_title_is_refused(app: Governance, world: World) -> None:
    """Same organ, diarienummer, paragraf and date is the same decision; a new title is a correction."""
    before = event_count(app)
    with pytest.raises(InvalidState):
        send(
            app,
            "take_beslut",
            "kf",
            decided_by="kf",
            kind="budget",
            diarienummer="KF 2026/10",
            paragraf="§ 55",
            title="Budget 2027 (annan)",
            decided_on=date(2026, 6, 15),
        )
    assert event_count(app) == before


def test_an_uppdrag_with_the_same_key_but_another_description_is_refused(
    app: Governance, world: World
) -> None:
    """Giver, recipient, title and origin identify an uppdrag."""
    fields = {
        "recipient": "kommundirektor",
        "title": "Lokalplan",
        "parent_id": world.kf_uppdrag_to_ks,
        "issued_on": DAY,
    }
    send(app, "issue_uppdrag", "ks", description="Första", **fields)
    with pytest.raises(InvalidState):
        send(app, "issue_uppdrag", "ks", description="Andra", **fields)


def test_a_different_key_makes_a_separate_uppdrag_with_the_same_title(app: Governance, world: World) -> None:
    """Two uppdrag may share a title when their keys differ."""
    fields = {
        "recipient": "kommundirektor",
        "title": "Lokalplan",
        "parent_id": world.kf_uppdrag_to_ks,
        "issued_on": DAY,
    }
    first = send(app, "issue_uppdrag", "ks", key="2027-a", **fields)
    second = send(app, "issue_uppdrag", "ks", key="2027-b", **fields)
    assert second.recorded
    assert first.id != second.id


REFUSALS: dict[str, Callable[[World], tuple[str, str, dict[str, Any]]]] = {
    "issue to someone not below": lambda w: (
        "issue_uppdrag",
        SECTOR,
        {"recipient": "ks", "title": "X", "parent_id": w.kf_uppdrag_to_ks, "issued_on": DAY},
    ),
    "complete without report": lambda w: (
        "complete_uppdrag",
        "kf",
        {"uppdrag_id": w.kf_uppdrag_to_ks, "on": DAY},
    ),
    "acknowledge at the wrong level": lambda w: (
        "acknowledge_avvikelse",
        "ks",
        {"avvikelse_id": w.avvikelse, "on": DAY},
    ),
    "grant of a goal": lambda w: (
        "grant_delegering",
        "ks",
        {
            "delegates": ["kommundirektor"],
            "matter": "verksamhetsplan",
            "beslut_id": w.delegationsordning,
            "valid_from": DAY,
        },
    ),
    "unknown record": lambda w: ("accept_uppdrag", "kommundirektor", {"uppdrag_id": uuid4(), "on": DAY}),
    "wrong kind of record": lambda w: ("accept_uppdrag", "ks", {"uppdrag_id": w.budget, "on": DAY}),
    "invalid input": lambda w: (
        "take_beslut",
        "kf",
        {"decided_by": "kf", "kind": "budget", "diarienummer": " ", "title": "X", "decided_on": DAY},
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refusal_adds_no_events(app: Governance, world: World, name: str) -> None:
    """Whatever the reason, a refused command leaves the store as it was."""
    method, actor, fields = REFUSALS[name](world)
    before = event_count(app)
    with pytest.raises(Refusal):
        send(app, method, actor, **fields)
    assert event_count(app) == before


def test_a_refused_command_can_be_sent_again_once_the_state_allows_it(app: Governance, world: World) -> None:
    """A refusal is not remembered as handled: the same command id succeeds later."""
    command_id = uuid4()
    uppdrag = issue_to_director(app, world, title="X").id
    report = {
        "uppdrag_id": uppdrag,
        "on": DAY,
        "assessment": "uppfyllt",
        "text": "Klar",
        "command_id": command_id,
    }
    with pytest.raises(InvalidState):
        send(app, "report_uppdrag", "kommundirektor", **report)
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
    assert send(app, "report_uppdrag", "kommundirektor", **report).recorded


def test_returning_a_resent_report_again_with_the_same_reason_is_recorded(
    app: Governance, world: World
) -> None:
    """Two rounds of report and return on one day are two commands, though the giver types the same reason."""
    uppdrag = issue_to_director(app, world, title="X").id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
    send(
        app,
        "report_uppdrag",
        "kommundirektor",
        uppdrag_id=uppdrag,
        on=DAY,
        assessment="delvis",
        text="Utkast 1",
    )
    send(app, "return_report", "ks", uppdrag_id=uppdrag, on=DAY, reason="Saknar siffror")
    send(
        app,
        "report_uppdrag",
        "kommundirektor",
        uppdrag_id=uppdrag,
        on=DAY,
        assessment="delvis",
        text="Utkast 2",
    )
    outcome = send(app, "return_report", "ks", uppdrag_id=uppdrag, on=DAY, reason="Saknar siffror")
    record = app.get_record(uppdrag)
    assert isinstance(record, Uppdrag)
    assert (outcome.recorded, record.status) == (True, UppdragStatus.REPORT_RETURNED)


def _lose_first_commit(
    app: Governance, monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], object]
) -> None:
    """Make the next save store its events, let `meanwhile` happen, then report IntegrityError,
    as eventsourcing 9.5.6 does when a PostgreSQL connection drops after COMMIT (it retries, then raises)."""
    insert = app.recorder.insert_events
    lost: list[bool] = []

    def commit_then_lose_connection(stored_events: Any, **kwargs: Any) -> Any:
        notification_ids = insert(stored_events, **kwargs)
        if not lost:
            lost.append(True)
            meanwhile()
            raise IntegrityError("connection lost after COMMIT")
        return notification_ids

    monkeypatch.setattr(app.recorder, "insert_events", commit_then_lose_connection)


def _uppdrag_in_hand(app: Governance, world: World) -> UUID:
    uppdrag = issue_to_director(app, world).id
    send(app, "accept_uppdrag", "kommundirektor", uppdrag_id=uppdrag, on=DAY)
    return uppdrag


def _revisions(app: Governance, uppdrag: UUID) -> int:
    return sum(isinstance(e, Uppdrag.Revised) for e in app.events.get(uppdrag))


def test_a_commit_reported_lost_is_recognised_as_recorded(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an IntegrityError for events that were in fact stored, the retry finds them and adds none."""
    uppdrag = _uppdrag_in_hand(app, world)
    _lose_first_commit(app, monkeypatch, meanwhile=lambda: None)
    send(app, "revise_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY, title="Ny titel", reason="Ny prognos")
    assert _revisions(app, uppdrag) == 1


def test_a_commit_reported_lost_is_not_recorded_again_after_someone_else_acted(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The application's own retry after a lost COMMIT is the same command, whoever acted meanwhile."""
    uppdrag = _uppdrag_in_hand(app, world)
    _lose_first_commit(
        app,
        monkeypatch,
        meanwhile=lambda: send(
            app,
            "report_uppdrag",
            "kommundirektor",
            uppdrag_id=uppdrag,
            on=DAY,
            assessment="delvis",
            text="Halvvägs",
        ),
    )
    send(app, "revise_uppdrag", "ks", uppdrag_id=uppdrag, on=DAY, title="Ny titel", reason="Ny prognos")
    assert _revisions(app, uppdrag) == 1


def test_a_duplicate_recorded_first_by_another_writer_is_answered_already_recorded(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a retry races its original and loses, only the original is told 'recorded'."""
    uppdrag = _uppdrag_in_hand(app, world)
    fields = {
        "uppdrag_id": uppdrag,
        "on": DAY,
        "title": "Ny titel",
        "reason": "Ny prognos",
        "command_id": uuid4(),
    }
    insert = app.recorder.insert_events
    original: list[Outcome] = []
    raced: list[bool] = []

    def original_lands_first(stored_events: Any, **kwargs: Any) -> Any:
        if not raced:
            raced.append(True)
            # The same command, sent by another writer, is saved between our load and our save.
            original.append(send(app, "revise_uppdrag", "ks", **fields))
        return insert(stored_events, **kwargs)

    monkeypatch.setattr(app.recorder, "insert_events", original_lands_first)
    retry = send(app, "revise_uppdrag", "ks", **fields)
    assert _revisions(app, uppdrag) == 1
    assert (original[0].recorded, retry.recorded) == (True, False)


# How often a create reads its own (new) record outside a batch: the four whose retries are
# recognised before their rules need not read it at all, as the save itself fails on its
# version when it is there; a befattning is looked up once, as before.
OWN_READS_OUTSIDE_A_BATCH = {
    "take_beslut": 0,
    "issue_uppdrag": 0,
    "grant_delegering": 0,
    "report_avvikelse": 0,
    "establish_befattning": 1,
}


def _count_reads(app: Governance, monkeypatch: pytest.MonkeyPatch) -> Counter[UUID]:
    reads: Counter[UUID] = Counter()
    select = app.recorder.select_events

    def counting(originator_id: UUID, **kwargs: Any) -> Any:
        reads[originator_id] += 1
        return select(originator_id, **kwargs)

    monkeypatch.setattr(app.recorder, "select_events", counting)
    return reads


@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_create_outside_a_batch_does_not_read_its_new_record(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A new record is not looked for before it is saved (on PostgreSQL every read is a round
    trip): the save is the check. Retries are still recognised (see the tests above)."""
    method, actor, fields = CREATES[name](world)
    reads = _count_reads(app, monkeypatch)
    outcome = send(app, method, actor, **fields)
    assert outcome.recorded
    assert reads[outcome.id] == OWN_READS_OUTSIDE_A_BATCH[name]


@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_create_in_a_batch_reads_its_new_record_once(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """In a batch a clash would only show when the whole batch is saved, so a create looks
    first, once (not again before the save)."""
    method, actor, fields = CREATES[name](world)
    reads = _count_reads(app, monkeypatch)
    with app.batch():
        outcome = send(app, method, actor, **fields)
    assert outcome.recorded
    assert reads[outcome.id] == 1


@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_retried_create_records_nothing_whether_or_not_it_was_looked_up(
    app: Governance, world: World, name: str
) -> None:
    """Outside a batch the retry's save fails on its version; in a batch the lookup answers."""
    method, actor, fields = CREATES[name](world)
    fields["command_id"] = uuid4()
    first = send(app, method, actor, **fields)
    before = event_count(app)
    again = send(app, method, actor, **fields)
    with app.batch():
        in_batch = send(app, method, actor, **fields)
    assert (again.recorded, in_batch.recorded) == (False, False)
    assert (again.id, in_batch.id, again.version, in_batch.version) == (first.id, first.id, 1, 1)
    assert event_count(app) == before


@pytest.mark.parametrize("same_command", [True, False], ids=["same-command", "other-command"])
@pytest.mark.parametrize("name", sorted(CREATES))
def test_a_create_landing_from_elsewhere_before_the_save_is_caught_by_the_save(
    app: Governance, world: World, monkeypatch: pytest.MonkeyPatch, name: str, same_command: bool
) -> None:
    """After a create's rules are checked and before its save, another writer creates the same
    record: the save fails on its version and a fresh read answers, 'already recorded' for
    the same command and a refusal for another under the same key. Nothing is stored twice."""
    method, actor, fields = CREATES[name](world)
    fields["command_id"] = uuid4()
    elsewhere = fields | {"command_id": fields["command_id"] if same_command else uuid4()}
    insert = app.recorder.insert_events
    original: list[Outcome] = []
    raced: list[bool] = []

    def other_writer_first(stored_events: Any, **kwargs: Any) -> Any:
        if not raced:
            raced.append(True)
            original.append(send(app, method, actor, **elsewhere))
        return insert(stored_events, **kwargs)

    monkeypatch.setattr(app.recorder, "insert_events", other_writer_first)
    if same_command:
        outcome = send(app, method, actor, **fields)
        assert (original[0].recorded, outcome.recorded) == (True, False)
        assert outcome.message.startswith("Redan registrerat")
    else:
        with pytest.raises(InvalidState):
            send(app, method, actor, **fields)
    assert len(list(app.events.get(original[0].id))) == 1
