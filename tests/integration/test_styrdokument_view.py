"""The styrdokument view on SQLite and PostgreSQL: every decision on a document reaches its row, the
same rows however the view is built, and the documents in force on a day replayed from the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest
from integration.conftest import Store
from integration.test_projections_incremental import assert_same_rows, dumps, fresh_rebuild
from unit.governance_world import send, staff
from unit.styrdokument_world import Documents, adopt, decide, policy_and_riktlinje, revise

from lerum_flow.commands import PROCESS_ACTOR
from lerum_flow.domain.values import derive_id
from lerum_flow.projections.asof import AsOf, as_known, replay
from lerum_flow.projections.registers import Period, state_on
from lerum_flow.projections.styrdokument import StyrdokumentRow
from lerum_flow.projections.styrdokument_register import (
    EVERY_DOCUMENT,
    Selection,
    due_for_review,
    styrdokument_register,
    styrdokument_tree,
)

REVISED = date(2028, 1, 20)
REPLACED = date(2029, 1, 20)


@dataclass(frozen=True)
class Recorded:
    docs: Documents
    successor: UUID


@pytest.fixture
def recorded(store: Store) -> Recorded:
    """The policy and riktlinje; the policy revised in 2028 (the riktlinje flagged by the process)
    and replaced by a new policy in 2029, by the people of the staffed chain."""
    app = store.app
    staff(app)
    docs = policy_and_riktlinje(app)
    revision = decide(app, "kf", REVISED, "Revidering av inköpspolicy", number=2)
    send(
        app, "revise_styrdokument", "kf", styrdokument_id=docs.policy, beslut_id=revision, reason="Nya krav."
    )
    send(
        app,
        "flag_styrdokument_for_review",
        PROCESS_ACTOR,
        person="temporal:test",
        command_id=derive_id("test", "flagga"),
        styrdokument_id=docs.riktlinje,
        parent_styrdokument_id=docs.policy,
        cause="reviderat",
        on=REVISED,
    )
    replacement = decide(app, "kf", REPLACED, "Ny inköpspolicy", number=3)
    successor = adopt(app, "kf", replacement, "policy", "Inköpspolicy 2029", "kommundirektor")
    send(
        app,
        "repeal_styrdokument",
        "kf",
        styrdokument_id=docs.policy,
        beslut_id=replacement,
        successor_id=successor,
    )
    store.views.projector().catch_up()
    return Recorded(docs, successor)


def row(store: Store, document_id: UUID) -> StyrdokumentRow:
    (found,) = store.views.views.styrdokument.select(StyrdokumentRow, id=document_id)
    return found


def test_every_decision_on_a_document_reaches_its_row(store: Store, recorded: Recorded) -> None:
    policy, riktlinje = row(store, recorded.docs.policy), row(store, recorded.docs.riktlinje)

    assert (policy.status, policy.valid_until, policy.successor_id, policy.revisions) == (
        "ersatt",
        REPLACED,
        recorded.successor,
        1,
    )
    assert (policy.reviewed_on, policy.review_by) == (REVISED, date(2032, 1, 20))
    assert (riktlinje.status, riktlinje.review_flagged, riktlinje.parent_id) == (
        "gallande",
        True,
        recorded.docs.policy,
    )


def test_the_register_tree_and_due_list_read_the_view(store: Store, recorded: Recorded) -> None:
    """In force: the new policy and the riktlinje, which heads its own tree now that its policy is
    replaced; the riktlinje is due for its flag whatever the period."""
    views = store.views.views
    register = styrdokument_register(views, EVERY_DOCUMENT)
    in_force = styrdokument_tree(views)
    due = due_for_review(views, Period(date(2027, 1, 1), date(2027, 12, 31)))

    assert [(e.document.title, e.beslut.paragraf if e.beslut else "") for e in register.rows] == [
        ("Inköpspolicy", "§ 12"),
        ("Inköpspolicy 2029", "§ 3"),
        ("Riktlinje för direktupphandling", "§ 40"),
    ]
    assert {n.entry.document.id for n in in_force} == {recorded.successor, recorded.docs.riktlinje}
    assert [r.id for r in due] == [recorded.docs.riktlinje]
    assert styrdokument_register(views, Selection(status="ersatt")).total == 1


def test_a_rebuild_holds_the_rows_the_view_was_kept_current_with(store: Store, recorded: Recorded) -> None:
    assert_same_rows(dumps(store.views), fresh_rebuild(store.views))


@pytest.mark.parametrize(
    ("on", "titles"),
    [
        (date(2027, 3, 1), ["Inköpspolicy"]),
        (date(2027, 6, 1), ["Inköpspolicy", "Riktlinje för direktupphandling"]),
        (date(2028, 6, 1), ["Inköpspolicy", "Riktlinje för direktupphandling"]),
        (date(2029, 6, 1), ["Inköpspolicy 2029", "Riktlinje för direktupphandling"]),
    ],
)
def test_the_documents_in_force_on_a_day_are_replayed_from_the_log(
    store: Store, recorded: Recorded, on: date, titles: list[str]
) -> None:
    replayed = replay(store.views.log, AsOf(on))
    try:
        state = state_on(replayed.views, on)
    finally:
        replayed.close()

    assert [d.title for d in state.styrdokument] == titles


def test_a_revision_applying_from_a_later_day_moves_the_review_in_the_register_from_that_day(
    store: Store,
) -> None:
    """KF decides in 2030 to revise the policy from 2031-06-01, after its review falls due (2031-02-15):
    the register as of 2031-03-01 still shows the review due 2031-02-15, from 2031-06-01 the next."""
    app = store.app
    staff(app)
    docs = policy_and_riktlinje(app)
    revise(app, "kf", docs.policy, date(2031, 6, 1), date(2030, 11, 20), 2)
    store.views.projector().catch_up()

    def review_by(on: date) -> date | None:
        register = styrdokument_register(as_known(store.views.views, AsOf(on)))
        return next(e.document.review_by for e in register.rows if e.document.id == docs.policy)

    assert (review_by(date(2031, 3, 1)), review_by(date(2031, 6, 1))) == (date(2031, 2, 15), date(2035, 6, 1))
    assert row(store, docs.policy).review_by == date(2035, 6, 1)
