"""A styrdokument decision about a later day (a revision from 1 September, decided in March) stands in
the document's date order at its decision's day: what is decided in between is no correction, while
the revision still takes effect from its own day."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from unit.domain_builders import stamp
from unit.governance_world import governance, refused, send
from unit.styrdokument_world import Documents, adopt, decide, document, policy_and_riktlinje, revise
from unit.test_styrdokument_owners import adopted_policy

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.styrdokument import Styrdokument

DECIDED = date(2027, 3, 1)
BETWEEN = date(2027, 5, 1)
FROM = date(2027, 9, 1)


@pytest.fixture
def app() -> Governance:
    return governance()


def handed_over_ahead(app: Governance) -> Documents:
    """The policy, by KF's decision of DECIDED, passes to KS from FROM."""
    docs = policy_and_riktlinje(app)
    revise(app, "kf", docs.policy, FROM, DECIDED, 60, owner="ks")
    return docs


def review(app: Governance, document_id: UUID, on: date, **fields: str) -> None:
    beslut = decide(app, "kf", on, "Aktualitetsprövning", number=61)
    send(app, "review_styrdokument", "kf", styrdokument_id=document_id, beslut_id=beslut, **fields)


def test_a_revision_decided_ahead_stands_in_the_date_order_at_its_decisions_day(app: Governance) -> None:
    """The revision keeps the day it was decided beside the day it takes effect, and the document's
    dates have run to the decision's day only."""
    docs = handed_over_ahead(app)

    revised = app.events_of(docs.policy)[-1]
    assert isinstance(revised, Styrdokument.Revised)
    assert (revised.decided_on, revised.effective_on, revised.ordered_on) == (DECIDED, FROM, DECIDED)
    assert document(app, docs.policy).last_effective_on == DECIDED


def test_a_review_decided_before_a_revision_decided_ahead_applies_is_no_correction(app: Governance) -> None:
    """Reviewed on BETWEEN, after the hand-over's decision and before its day: recorded as it is, and
    the kommundirektör owns the policy up to FROM, KS from FROM."""
    docs = handed_over_ahead(app)

    review(app, docs.policy, BETWEEN)

    policy = document(app, docs.policy)
    reviewed = app.events_of(docs.policy)[-1]
    assert isinstance(reviewed, Styrdokument.Reviewed)
    assert (reviewed.effective_on, reviewed.correction) == (BETWEEN, None)
    assert (policy.owner_on(date(2027, 8, 31)), policy.owner_on(FROM)) == ("kommundirektor", "ks")


def test_a_revision_from_a_day_before_a_revision_decided_ahead_is_no_correction(app: Governance) -> None:
    """Retitled from BETWEEN on that day's decision: the new title from BETWEEN, the hand-over from FROM
    standing, and neither a correction."""
    docs = handed_over_ahead(app)

    revise(app, "kf", docs.policy, BETWEEN, BETWEEN, 61, title="Policy för inköp")

    policy = document(app, docs.policy)
    assert [e.correction for e in app.events_of(docs.policy)[-2:]] == [None, None]
    assert (policy.title_on(date(2027, 4, 30)), policy.title_on(BETWEEN)) == (
        "Inköpspolicy",
        "Policy för inköp",
    )
    assert (policy.owner_on(date(2027, 8, 31)), policy.owner_on(FROM)) == ("kommundirektor", "ks")


def test_a_decision_dated_before_a_revision_decided_ahead_is_still_a_correction(app: Governance) -> None:
    """The hand-over decided on BETWEEN, then a review decided on DECIDED, earlier: refused unless it is
    called a correction, with its reason kept."""
    docs = policy_and_riktlinje(app)
    revise(app, "kf", docs.policy, FROM, BETWEEN, 60, owner="ks")
    beslut = decide(app, "kf", DECIDED, "Aktualitetsprövning", number=61)

    refusal = refused(app, "review_styrdokument", "kf", styrdokument_id=docs.policy, beslut_id=beslut)
    review(app, docs.policy, DECIDED, correction="Prövningen registrerades sent.")

    assert (refusal.rule, refusal.field) == ("datumordning", "date")
    assert app.events_of(docs.policy)[-1].correction == "Prövningen registrerades sent."


def test_a_revision_decided_after_a_later_dated_one_is_refused_naming_its_decision(app: Governance) -> None:
    """Retitled from FROM on BETWEEN's decision, then handed over on DECIDED's, earlier: the hand-over's
    decision is out of order, and a correction."""
    docs = policy_and_riktlinje(app)
    revise(app, "kf", docs.policy, FROM, BETWEEN, 60, title="Policy för inköp")
    beslut = decide(app, "kf", DECIDED, "Ny ägare", number=61)
    fields = {"styrdokument_id": docs.policy, "beslut_id": beslut, "owner": "ks", "reason": "KS tar över."}

    refusal = refused(app, "revise_styrdokument", "kf", valid_from=FROM, **fields)

    assert (refusal.rule, refusal.field) == ("datumordning", "beslut")


def test_a_document_decided_ahead_is_amended_before_it_applies_without_a_correction(app: Governance) -> None:
    """Adopted on DECIDED to apply from FROM, and revised on BETWEEN from FROM too: the amendment is
    recorded as it is, and the adoption too stands in the order at its decision's day."""
    beslut = decide(app, "kf", DECIDED, "Antagande av policy för sponsring", number=20)
    policy = adopt(app, "kf", beslut, "policy", "Sponsringspolicy", "kommundirektor", valid_from=FROM)

    revise(app, "kf", policy, FROM, BETWEEN, 21, title="Policy för sponsring")

    adopted, revised = app.events_of(policy)
    assert isinstance(adopted, Styrdokument.Adopted)
    assert (adopted.decided_on, adopted.effective_on, revised.correction) == (DECIDED, FROM, None)
    assert document(app, policy).title_on(FROM) == "Policy för sponsring"


def test_a_revision_without_its_decisions_day_stands_at_its_own_day() -> None:
    """A revision as stored before the decision's day was kept stands at the day it takes effect: an
    event dated before that is a correction, as it always was."""
    doc = adopted_policy()
    doc.revise(
        stamp("kf", on=FROM),
        decided_on=DECIDED,
        beslut_id=uuid4(),
        decided_by="kf",
        title="",
        owner="ks",
        summary="KS tar över.",
        review_by=None,
    )
    *earlier, revised = doc.collect_events()
    assert isinstance(revised, Styrdokument.Revised)
    old = Styrdokument.Revised(**{**vars(revised), "decided_on": None})

    rebuilt: Any = None
    for event in [*earlier, old]:
        rebuilt = event.mutate(rebuilt)

    assert isinstance(rebuilt, Styrdokument)
    assert (old.ordered_on, rebuilt.last_effective_on, rebuilt.owner_on(FROM)) == (FROM, FROM, "ks")
    with pytest.raises(InvalidInput) as refusal:
        rebuilt.review(stamp("kf", on=BETWEEN), beslut_id=uuid4(), decided_by="kf", review_by=None)
    assert refusal.value.rule == "datumordning"
