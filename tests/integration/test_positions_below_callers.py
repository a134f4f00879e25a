"""The callers that ask what stands below a position read the views, never the log: the web's break-down
choice (`WebRecord.positions_below`) and the discontinuation of a position as the command line makes
it (`ViewTies`), each reading no notification of the store's log however long it is. And a position
discontinued by one process is refused by another that had read it before.

Counted as test_positions_below_cost counts: the notifications the store's recorder hands out.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from integration.test_decisions_taken_cost import CountingReads
from unit.governance_world import (
    CHEF,
    DAY,
    MEDARBETARE,
    PROCUREMENT,
    SECTOR,
    governance,
    person_of,
    revoke_directors_delegering,
    seed,
    send,
)
from unit.positions_below_oracle import positions_below_by_walk
from unit.styrdokument_world import adopt_fields, decide
from unit.test_befattning_outlived import plan_with_control

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidState
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.view_lookups import ViewTies
from lerum_flow.web.record import WebRecord

GONE = date(2027, 6, 1)


def _more_history(app: Governance, start: int, count: int) -> None:
    """Other positions established under another sector: more Befattning events in the log."""
    for number in range(start, start + count):
        send(app, "establish_befattning", "samhallsbyggnad", code=f"m-annan-{number}", name="Handläggare",
             kind="medarbetare", parent="samhallsbyggnad", established_on=DAY)  # fmt: skip


def _vacate(app: Governance, code: str, by: str) -> None:
    fields = {"position": code, "appointee": person_of(code), "reason": "Slutar.", "decided_on": DAY}
    send(app, "end_forordnande", by, valid_until=GONE - timedelta(days=1), **fields)


def _discontinue(app: Governance, actor: str, code: str, ties: ViewTies, gone: date = GONE) -> None:
    command = c.parse_command(
        c.DiscontinueBefattning, actor=actor, person=person_of(actor), code=code, reason="Läggs ned.",
        discontinued_on=gone,
    )  # fmt: skip
    app.discontinue_befattning(command, ties=ties)


def _refused_from_the_views(app: Governance, ties: ViewTies) -> InvalidState:
    """The medarbetare's discontinuation from GONE refused, read from the views caught up first: no
    notification of the log read, nothing recorded."""
    ties.ties(MEDARBETARE, GONE)  # the views catch up with what was recorded
    reads = (CountingReads(app.recorder), CountingReads(ties.store.log.recorder))
    before = app.head()
    with pytest.raises(InvalidState) as refusal:
        _discontinue(app, CHEF, MEDARBETARE, ties)
    assert ([r.read for r in reads], app.head()) == ([0, 0], before)
    return refusal.value


@pytest.fixture
def settings(database_url: str) -> Settings:
    """A store on SQLite, then on PostgreSQL."""
    return Settings(database_url=database_url)


def test_the_web_reads_the_positions_below_from_the_view_and_no_notification(settings: Settings) -> None:
    """With 10 and 40 more positions in the log, the break-down choice reads no notification of the
    log, and names what the walk of the log names."""
    app = governance(settings.eventsourcing_env("governance"))
    seed(app)
    record = WebRecord(settings, default_styrmodell())
    try:
        start = 0
        for more in (10, 30):
            _more_history(app, start, more)
            start += more
            record.positions_below(SECTOR, DAY)  # the views catch up with what was recorded
            reads = CountingReads(record.governance.recorder)
            found = record.positions_below(SECTOR, DAY)
            assert reads.read == 0
            assert found == positions_below_by_walk(app, SECTOR, DAY)
            assert [p.id for p in found] == [CHEF, MEDARBETARE]
    finally:
        record.close()
        app.close()


def test_discontinuing_a_position_reads_what_hangs_on_it_from_the_views_and_no_notification(
    settings: Settings,
) -> None:
    """The refused discontinuation (a position below) and the one that is recorded read no
    notification of the log: positions, förordnanden and uppdrag come from the views."""
    app = governance(settings.eventsourcing_env("governance"))
    seed(app)
    _more_history(app, 0, 20)
    _vacate(app, MEDARBETARE, CHEF)
    _vacate(app, CHEF, SECTOR)
    ties = ViewTies.open(settings)
    try:
        ties.ties(CHEF, GONE)  # the views catch up with what was recorded
        reads = CountingReads(app.recorder)
        with pytest.raises(InvalidState):
            _discontinue(app, SECTOR, CHEF, ties)
        _discontinue(app, SECTOR, MEDARBETARE, ties)
        assert reads.read == 0
    finally:
        ties.close()
        app.close()


def test_the_delegeringar_to_a_position_and_the_avvikelser_at_it_are_read_from_the_views(
    settings: Settings,
) -> None:
    """KS's delegering and the director's vidaredelegation to the medarbetare, and the avvikelse held
    at the chef's level, come from the stored views: named in the refusals, read with no notification
    of the log; once KS's delegering to the director is revoked from the day, the vidaredelegation
    falls with it, and with KS's own revoked, the medarbetare is discontinued."""
    app = governance(settings.eventsourcing_env("governance"))
    world = seed(app)
    grant = {"matter": PROCUREMENT, "delegates": [MEDARBETARE], "valid_from": DAY}
    direct = send(app, "grant_delegering", "ks", beslut_id=world.delegationsordning, **grant).id
    vidare = send(app, "grant_delegering", "kommundirektor", beslut_id=world.director_delegationsordning,
                  parent_delegering_id=world.delegering, **grant).id  # fmt: skip
    about = {"subject_kind": "budgetomrade", "subject_ref": "forskola", "category": "ekonomi"}
    avvikelse = send(app, "report_avvikelse", MEDARBETARE, severity="avvikelse", description="Brist.",
                     occurred_on=DAY, **about).id  # fmt: skip
    _vacate(app, MEDARBETARE, CHEF)
    ties = ViewTies.open(settings)
    try:
        ties.ties(CHEF, GONE)  # the views catch up with what was recorded
        reads = CountingReads(app.recorder)
        with pytest.raises(InvalidState) as delegated:
            _discontinue(app, CHEF, MEDARBETARE, ties)
        assert reads.read == 0
        revoke_directors_delegering(app, world, GONE)
        after_revocation = ties.ties(MEDARBETARE, GONE).delegeringar
        send(app, "revoke_delegering", "ks", delegering_id=direct, reason="Ny ordning", valid_from=GONE)
        _discontinue(app, CHEF, MEDARBETARE, ties)
        _vacate(app, CHEF, SECTOR)
        with pytest.raises(InvalidState) as held:
            _discontinue(app, SECTOR, CHEF, ties)

        assert delegated.value.rule == "delegering_galler"
        assert f"{direct} ({PROCUREMENT})" in str(delegated.value)
        assert f"{vidare} ({PROCUREMENT})" in str(delegated.value)
        assert [tie.id for tie in after_revocation] == [direct]
        assert held.value.rule == "oppna_avvikelser"
        assert f"{avvikelse} (ekonomi)" in str(held.value)
    finally:
        ties.close()
        app.close()


def test_the_styrdokument_and_controls_a_position_owns_are_read_from_the_views(
    settings: Settings,
) -> None:
    """A policy and a control of KS's plan for 2027 owned by the medarbetare come from the stored
    views: named in the refusals, read with no notification of the log (neither by the command nor by
    the views, caught up before); once the policy has another owner, only the control keeps it, and
    from the first day after the plan's year it is discontinued."""
    app = governance(settings.eventsourcing_env("governance"))
    seed(app)
    adopted_by = decide(app, "kf", DAY, "Lokalpolicy", number=20)
    fields = adopt_fields(adopted_by, "policy", title="Lokalpolicy", owner=MEDARBETARE)
    policy = send(app, "adopt_styrdokument", "kf", **fields).id
    plan = plan_with_control(app, MEDARBETARE)
    _vacate(app, MEDARBETARE, CHEF)
    ties = ViewTies.open(settings)

    def refused_reading_nothing() -> InvalidState:
        ties.ties(MEDARBETARE, GONE)  # the views catch up with what was recorded
        reads = (CountingReads(app.recorder), CountingReads(ties.store.log.recorder))
        with pytest.raises(InvalidState) as refusal:
            _discontinue(app, CHEF, MEDARBETARE, ties)
        assert [r.read for r in reads] == [0, 0]
        return refusal.value

    try:
        owned = refused_reading_nothing()
        send(app, "revise_styrdokument", "kf", styrdokument_id=policy, owner=SECTOR, reason="Ny ägare.",
             beslut_id=decide(app, "kf", DAY, "Ny ägare", number=21))  # fmt: skip
        owing = refused_reading_nothing()
        _discontinue(app, CHEF, MEDARBETARE, ties, gone=date(2028, 1, 1))

        assert owned.rule == "styrdokument_galler"
        assert f"{policy} ('Lokalpolicy', ägare)" in str(owned)
        assert owing.rule == "agda_kontroller"
        assert f"{plan} (internkontrollplan 2027 för ks, kontroll 1 'Attestkontroll')" in str(owing)
    finally:
        ties.close()
        app.close()


def test_the_days_a_position_owns_a_styrdokument_are_read_from_the_views_history(settings: Settings) -> None:
    """A policy the medarbetare owns until it is handed to the sector from 2027-09-01, and another
    handed to it from 2027-09-01 and on to KS from 2027-12-01, keep it from any day before
    2027-12-01 though neither names it as its owner now: refused naming both with the days it owns
    them, read from the stored views' history with no notification of the log; from 2027-12-01 it
    is discontinued."""
    handed, handed_on = date(2027, 9, 1), date(2027, 12, 1)
    app = governance(settings.eventsourcing_env("governance"))
    seed(app)

    def hand(document: object, owner: str, valid_from: date, number: int) -> None:
        send(app, "revise_styrdokument", "kf", styrdokument_id=document, owner=owner, valid_from=valid_from,
             reason="Ny ägare.", beslut_id=decide(app, "kf", DAY, "Ny ägare", number=number))  # fmt: skip

    owned_until = send(app, "adopt_styrdokument", "kf", **adopt_fields(
        decide(app, "kf", DAY, "Lokalpolicy", number=20), "policy", title="Lokalpolicy", owner=MEDARBETARE
    )).id  # fmt: skip
    hand(owned_until, SECTOR, handed, 21)
    owned_from = send(app, "adopt_styrdokument", "kf", **adopt_fields(
        decide(app, "kf", DAY, "Resepolicy", number=22), "policy", title="Resepolicy", owner=SECTOR
    )).id  # fmt: skip
    hand(owned_from, MEDARBETARE, handed, 23)
    hand(owned_from, "ks", handed_on, 24)
    _vacate(app, MEDARBETARE, CHEF)
    ties = ViewTies.open(settings)
    try:
        refusal = _refused_from_the_views(app, ties)
        with pytest.raises(InvalidState) as later:
            _discontinue(app, CHEF, MEDARBETARE, ties, gone=handed)
        _discontinue(app, CHEF, MEDARBETARE, ties, gone=handed_on)

        says = (
            f"som gäller {GONE.isoformat()} eller senare: {owned_until} ('Lokalpolicy', ägare till och med "
            f"2027-08-31), {owned_from} ('Resepolicy', ägare från 2027-09-01 till och med 2027-11-30); "
        )
        assert says in str(refusal)
        assert refusal.rule == later.value.rule == "styrdokument_galler"
        assert f"{owned_from} ('Resepolicy', ägare till och med 2027-11-30); " in str(later.value)
        assert str(owned_until) not in str(later.value)
    finally:
        ties.close()
        app.close()


def test_the_days_a_position_owns_a_control_are_read_from_the_views_history(settings: Settings) -> None:
    """A control of KS's adopted plan for 2027 the medarbetare owns until KS hands it to the sector from
    2027-09-01 keeps it from any day before, though the control names the sector now: refused naming
    its last day as owner, read from the stored view's history with no notification of the log; from
    2027-09-01 it is discontinued."""
    handed = date(2027, 9, 1)
    app = governance(settings.eventsourcing_env("governance"))
    seed(app)
    plan = plan_with_control(app, MEDARBETARE)
    send(app, "adopt_internkontrollplan", "ks", plan_id=plan, beslut_id=decide(app, "ks", DAY, "Plan 2027"))
    send(app, "hand_over_control", "ks", plan_id=plan, control=1, owner=SECTOR, handed_over_on=handed,
         beslut_id=decide(app, "ks", DAY, "Ny kontrollägare", number=2))  # fmt: skip
    _vacate(app, MEDARBETARE, CHEF)
    ties = ViewTies.open(settings)
    try:
        refusal = _refused_from_the_views(app, ties)
        with pytest.raises(InvalidState) as day_before:
            _discontinue(app, CHEF, MEDARBETARE, ties, gone=handed - timedelta(days=1))
        _discontinue(app, CHEF, MEDARBETARE, ties, gone=handed)

        assert refusal.rule == day_before.value.rule == "agda_kontroller"
        control = "internkontrollplan 2027 för ks, kontroll 1 'Attestkontroll'"
        assert f"{plan} ({control}, ägare till och med 2027-08-31)" in str(refusal)
    finally:
        ties.close()
        app.close()


def test_a_position_discontinued_by_one_process_is_refused_by_another_that_read_it_before(
    settings: Settings,
) -> None:
    """Another Governance on the same store (a worker, the web) that resolved the position before does
    not keep using it once it is discontinued: an appointment to it is refused."""
    app = governance(settings.eventsourcing_env("governance"))
    seed(app)
    other = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    ties = ViewTies.open(settings)
    try:
        _vacate(app, MEDARBETARE, CHEF)
        assert other.position(MEDARBETARE).id == MEDARBETARE
        _discontinue(app, CHEF, MEDARBETARE, ties)

        with pytest.raises(InvalidState) as refusal:
            send(other, "appoint", CHEF, position=MEDARBETARE, appointee="p-ny", valid_from=GONE,
                 decided_on=GONE)  # fmt: skip

        assert refusal.value.rule == "avvecklad"
    finally:
        ties.close()
        other.close()
        app.close()
