"""Governing documents through Governance: the styrmodell's rules, and refusals that record nothing."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError
from temporalio.testing import ActivityEnvironment
from unit.governance_world import PROCUREMENT, SECTOR, World, governance, refused, seed, send
from unit.styrdokument_world import (
    POLICY_DAY,
    Documents,
    adopt,
    adopt_fields,
    decide,
    document,
    policy_and_riktlinje,
    revise,
)

from lerum_flow.application import Governance
from lerum_flow.commands import PROCESS_ACTOR
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.styrdokument import Styrdokument, StyrdokumentStatus
from lerum_flow.domain.styrdokument_rules import overdue_avvikelse_id, review_due
from lerum_flow.domain.values import derive_id
from lerum_flow.notifications import Notice
from lerum_flow.reading import Children
from lerum_flow.styrdokument_contract import REVIDERAT
from lerum_flow.workflows.styrdokument.activities import StyrdokumentActivities, read_provningslage
from lerum_flow.workflows.styrdokument.models import FlagChildrenInput, FlaggedChildren

LATER = date(2028, 3, 1)


@pytest.fixture
def app() -> Governance:
    return governance()


@pytest.fixture
def docs(app: Governance) -> Documents:
    return policy_and_riktlinje(app)


# --- adopting --------------------------------------------------------------------------


def test_an_adopted_document_is_in_force_from_its_decision_and_due_for_review_a_mandate_period_later(
    app: Governance, docs: Documents
) -> None:
    """KF's policy is in force from the decision's day; Lerum reviews policys every fourth year."""
    policy = document(app, docs.policy)

    assert (policy.document_type, policy.adopted_by, policy.owner, policy.scope) == (
        "policy",
        "kf",
        "kommundirektor",
        "kf",
    )
    assert policy.in_force
    assert policy.valid_from == POLICY_DAY
    assert policy.review_by == date(2031, 2, 15)
    assert document(app, docs.riktlinje).parent_id == docs.policy


def test_adopting_the_same_document_again_is_recognised_as_already_recorded(
    app: Governance, docs: Documents
) -> None:
    """The same command twice records one document."""
    again = send(
        app,
        "adopt_styrdokument",
        "kf",
        beslut_id=docs.policy_beslut,
        document_type="policy",
        title="Inköpspolicy",
        owner="kommundirektor",
    )

    assert (again.id, again.recorded) == (docs.policy, False)


def test_a_type_adopted_by_the_wrong_organ_is_refused_with_the_rule_named(
    app: Governance, docs: Documents
) -> None:
    """Lerum's riktlinjer are KS's: KF's decision cannot adopt one, though KF stands above KS."""
    beslut = decide(app, "kf", LATER, "Riktlinje", number=3)

    refusal = refused(
        app,
        "adopt_styrdokument",
        "kf",
        **adopt_fields(beslut, "riktlinje", parent_styrdokument_id=docs.policy),
    )

    assert refusal.rule == "antas_av"
    assert "antas_av" in refusal.message
    assert "styrelse" in refusal.message


def test_a_type_that_needs_a_parent_is_refused_without_one(app: Governance, docs: Documents) -> None:
    """A riktlinje derives from a policy, program, strategi or plan."""
    beslut = decide(app, "ks", LATER, "Riktlinje", number=3)

    refusal = refused(app, "adopt_styrdokument", "ks", **adopt_fields(beslut, "riktlinje"))

    assert refusal.rule == "overordnad_kravs"
    assert "kraver_overordnad" in refusal.message


def test_a_parent_of_a_type_it_cannot_derive_from_is_refused(app: Governance, docs: Documents) -> None:
    """A riktlinje cannot derive from another riktlinje."""
    beslut = decide(app, "ks", LATER, "Riktlinje", number=3)

    refusal = refused(
        app,
        "adopt_styrdokument",
        "ks",
        **adopt_fields(beslut, "riktlinje", parent_styrdokument_id=docs.riktlinje),
    )

    assert refusal.rule == "overordnad_typ"


def test_a_parent_no_longer_in_force_is_refused(app: Governance, docs: Documents) -> None:
    """Once the policy is repealed, nothing new derives from it."""
    repeal = decide(app, "kf", date(2027, 9, 1), "Upphävande av inköpspolicy", number=5)
    send(app, "repeal_styrdokument", "kf", styrdokument_id=docs.policy, beslut_id=repeal)
    beslut = decide(app, "ks", LATER, "Riktlinje", number=3)

    refusal = refused(
        app,
        "adopt_styrdokument",
        "ks",
        **adopt_fields(beslut, "riktlinje", parent_styrdokument_id=docs.policy),
    )

    assert refusal.rule == "overordnad_i_kraft"


def test_a_decision_of_another_kind_cannot_adopt_a_document(app: Governance, docs: Documents) -> None:
    """KF's budget is a budget decision, not the 'ovrigt' decision a policy is adopted by."""
    budget = decide(app, "kf", LATER, "Budget 2029", kind="budget", number=4)

    refusal = refused(app, "adopt_styrdokument", "kf", **adopt_fields(budget, "policy"))

    assert refusal.rule == "beslutsslag"


@pytest.mark.parametrize(
    ("actor", "fields", "rule"),
    [
        ("ks", {}, "registreras_for_beslutsfattaren"),
        ("kf", {"document_type": "manifest"}, "okand_dokumenttyp"),
        ("kf", {"valid_from": date(2027, 1, 1)}, "efter_beslutet"),
        ("kf", {"owner": "nobody"}, "okand_befattning"),
        ("revisorer", {}, "revisorer_laser"),
    ],
    ids=["recorded-as-another", "unknown-type", "in-force-before-decided", "unknown-owner", "revisorer"],
)
def test_an_adoption_that_breaks_a_rule_records_nothing(
    app: Governance, docs: Documents, actor: str, fields: dict[str, Any], rule: str
) -> None:
    """Each broken rule is named in the refusal."""
    beslut = decide(app, "kf", date(2027, 6, 1), "Vision", number=7)

    refusal = refused(app, "adopt_styrdokument", actor, **{**adopt_fields(beslut, "vision"), **fields})

    assert refusal.rule == rule


def test_an_organ_adopts_for_its_own_part_of_the_organisation_only(app: Governance) -> None:
    """KS may not adopt a policy for the whole municipality (KF), nor make KF its owner."""
    beslut = decide(app, "ks", LATER, "Policy", number=8)

    assert refused(app, "adopt_styrdokument", "ks", **adopt_fields(beslut, "policy", scope="kf")).rule == (
        "rackvidd"
    )
    assert refused(app, "adopt_styrdokument", "ks", **adopt_fields(beslut, "policy", owner="kf")).rule == (
        "agare_under_organet"
    )


def test_an_official_adopts_a_rutin_by_a_delegated_decision(
    app: Governance, world: World, docs: Documents
) -> None:
    """Lerum's rutiner are decided by a sektorschef, under the riktlinje they carry out."""
    beslut = decide(
        app, SECTOR, LATER, "Rutin för beställning", matter=PROCUREMENT, delegering_id=world.vidaredelegering
    )

    rutin = adopt(
        app, SECTOR, beslut, "rutin", "Rutin för beställning", SECTOR, parent_styrdokument_id=docs.riktlinje
    )

    assert document(app, rutin).review_by == date(2030, 3, 1)


@pytest.fixture
def world(app: Governance) -> World:
    return seed(app)


# --- revising, reviewing, repealing ---------------------------------------------------


def test_a_revision_takes_a_new_title_and_restarts_the_review_interval(
    app: Governance, docs: Documents
) -> None:
    """Revised by KF in 2028, the policy is next due for review in 2032."""
    beslut = decide(app, "kf", LATER, "Revidering av inköpspolicy", number=9)

    send(
        app,
        "revise_styrdokument",
        "kf",
        styrdokument_id=docs.policy,
        beslut_id=beslut,
        title="Policy för inköp och upphandling",
        reason="Hållbarhetskrav tillagda.",
    )

    policy = document(app, docs.policy)
    assert (policy.title, policy.review_by, policy.valid_from) == (
        "Policy för inköp och upphandling",
        date(2032, 3, 1),
        POLICY_DAY,
    )


def test_a_review_keeps_the_document_and_moves_its_next_review(app: Governance, docs: Documents) -> None:
    """Aktualitetsprövad by KS on a decision, the riktlinje is next due four years after it."""
    beslut = decide(app, "ks", LATER, "Aktualitetsprövning av riktlinje", number=11)

    send(app, "review_styrdokument", "ks", styrdokument_id=docs.riktlinje, beslut_id=beslut)

    riktlinje = document(app, docs.riktlinje)
    assert (riktlinje.title, riktlinje.review_by) == ("Riktlinje för direktupphandling", date(2032, 3, 1))


def test_a_lower_organ_cannot_change_a_document_adopted_above_it(app: Governance, docs: Documents) -> None:
    """KS may adopt policys, but not revise, review or repeal the one KF adopted."""
    beslut = decide(app, "ks", LATER, "Revidering", number=9)

    for method, extra in (
        ("revise_styrdokument", {"reason": "Ändrad."}),
        ("review_styrdokument", {}),
        ("repeal_styrdokument", {}),
    ):
        refusal = refused(app, method, "ks", styrdokument_id=docs.policy, beslut_id=beslut, **extra)
        assert refusal.rule == "samma_eller_hogre_organ"


def test_a_repealed_document_cannot_be_changed_again(app: Governance, docs: Documents) -> None:
    """After the repeal, a revision or review is refused; the document was in force until the day before."""
    repeal = decide(app, "ks", LATER, "Upphävande av riktlinje", number=13)
    send(
        app,
        "repeal_styrdokument",
        "ks",
        styrdokument_id=docs.riktlinje,
        beslut_id=repeal,
        reason="Ersatt av lag.",
    )
    beslut = decide(app, "ks", date(2028, 4, 1), "Aktualitetsprövning", number=14)

    refusal = refused(app, "review_styrdokument", "ks", styrdokument_id=docs.riktlinje, beslut_id=beslut)

    riktlinje = document(app, docs.riktlinje)
    assert refusal.rule == "upphort"
    assert riktlinje.status is StyrdokumentStatus.REPEALED
    assert riktlinje.in_force_on(date(2028, 2, 29))
    assert not riktlinje.in_force_on(LATER)


def test_a_document_superseded_by_another_names_its_successor(app: Governance, docs: Documents) -> None:
    """KF adopts a new policy and the old one is replaced by it on the same decision."""
    beslut = decide(app, "kf", LATER, "Ny inköpspolicy", number=15)
    successor = adopt(app, "kf", beslut, "policy", "Inköpspolicy 2028", "kommundirektor")

    send(
        app,
        "repeal_styrdokument",
        "kf",
        styrdokument_id=docs.policy,
        beslut_id=beslut,
        successor_id=successor,
    )

    old = app.events_of(docs.policy)[-1]
    assert isinstance(old, Styrdokument.Superseded)
    assert old.successor_id == successor
    assert document(app, docs.policy).status is StyrdokumentStatus.SUPERSEDED
    itself = refused(
        app, "repeal_styrdokument", "kf", styrdokument_id=successor, beslut_id=beslut, successor_id=successor
    )
    assert itself.rule == "ersatt_av_annat"


def test_a_refused_parent_is_named_by_its_title_on_the_new_documents_first_day(
    app: Governance, docs: Documents
) -> None:
    """Both are retitled from 2030: a riktlinje from before the policy applies, or under the riktlinje,
    is refused naming the title each has on the new riktlinje's first day."""
    revise(app, "kf", docs.policy, date(2030, 1, 1), date(2028, 1, 10), 20, title="Policy för inköp")
    revise(app, "ks", docs.riktlinje, date(2030, 1, 1), date(2028, 1, 12), 21, title="Riktlinje för inköp")
    early = decide(app, "ks", date(2027, 1, 10), "Riktlinje", number=22)
    under_riktlinje = decide(app, "ks", LATER, "Riktlinje", number=23)

    before = refused(
        app,
        "adopt_styrdokument",
        "ks",
        **adopt_fields(early, "riktlinje", parent_styrdokument_id=docs.policy),
    )
    wrong_type = refused(
        app,
        "adopt_styrdokument",
        "ks",
        **adopt_fields(under_riktlinje, "riktlinje", parent_styrdokument_id=docs.riktlinje),
    )

    assert before.rule == "overordnad_i_kraft"
    assert "'Inköpspolicy' gäller inte 2027-01-10" in before.message
    assert wrong_type.rule == "overordnad_typ"
    assert "inte ur 'Riktlinje för direktupphandling'" in wrong_type.message


def test_a_successor_not_yet_in_force_is_named_by_its_title_on_the_day_it_would_replace(
    app: Governance, docs: Documents
) -> None:
    """The new policy applies from 2029 and is retitled from 2030: replacing the old one from 2028-03-01
    is refused naming the new policy's title of that day."""
    beslut = decide(app, "kf", LATER, "Ny inköpspolicy", number=15)
    successor = adopt(
        app, "kf", beslut, "policy", "Inköpspolicy 2029", "kommundirektor", valid_from=date(2029, 1, 1)
    )
    revise(app, "kf", successor, date(2030, 1, 1), date(2028, 6, 1), 16, title="Policy för inköp")

    refusal = refused(
        app,
        "repeal_styrdokument",
        "kf",
        styrdokument_id=docs.policy,
        beslut_id=beslut,
        successor_id=successor,
    )

    assert refusal.rule == "efterfoljare_i_kraft"
    assert "'Inköpspolicy 2029' gäller inte 2028-03-01" in refusal.message


# --- the review process's steps ---------------------------------------------------------


def process_fields(step: str, **fields: Any) -> dict[str, Any]:
    return {"person": "temporal:test", "command_id": derive_id("test", step), **fields}


def test_only_the_process_flags_a_document_for_review(app: Governance, docs: Documents) -> None:
    """A person is refused; the process flags the riktlinje when its policy changed."""
    fields = {"styrdokument_id": docs.riktlinje, "parent_styrdokument_id": docs.policy, "cause": "reviderat"}

    person = refused(
        app, "flag_styrdokument_for_review", "ks", on=LATER, **process_fields("flagga", **fields)
    )
    send(app, "flag_styrdokument_for_review", PROCESS_ACTOR, on=LATER, **process_fields("flagga", **fields))

    assert person.rule == "endast_processen"
    assert document(app, docs.riktlinje).review_flagged


def test_an_overdue_review_is_one_deviation_at_the_owners_level(app: Governance, docs: Documents) -> None:
    """Reported the day after the review was due, held by the owner; reporting it again records nothing."""
    due = date(2031, 2, 15)
    fields = process_fields("forsenad", styrdokument_id=docs.policy, review_by=due)

    first = send(app, "report_overdue_review", PROCESS_ACTOR, **fields)
    again = send(app, "report_overdue_review", PROCESS_ACTOR, **fields)

    avvikelse = app.get_record(first.id)
    assert isinstance(avvikelse, Avvikelse)
    assert (first.id, first.recorded, again.recorded) == (overdue_avvikelse_id(docs.policy, due), True, False)
    assert (avvikelse.level, avvikelse.severity, avvikelse.first_effective_on) == (
        "kommundirektor",
        "avvikelse",
        date(2031, 2, 16),
    )


def hand_over_planned_after_a_missed_review(app: Governance, docs: Documents) -> date:
    """KF hands the policy to KS from 2031-06-01 on 2027-03-01 and then reviews it on 2027-03-10:
    the review due by 2031-03-10, missed, falls while the kommundirektör still owns it. Returns that day."""
    hand_over = decide(app, "kf", date(2027, 3, 1), "Ny ägare av inköpspolicyn", number=3)
    send(
        app,
        "revise_styrdokument",
        "kf",
        styrdokument_id=docs.policy,
        beslut_id=hand_over,
        owner="ks",
        valid_from=date(2031, 6, 1),
        reason="KS tar över.",
    )
    review = decide(app, "kf", date(2027, 3, 10), "Aktualitetsprövning av inköpspolicy", number=4)
    send(
        app,
        "review_styrdokument",
        "kf",
        styrdokument_id=docs.policy,
        beslut_id=review,
    )
    return date(2031, 3, 10)


def test_a_review_missed_before_a_planned_hand_over_is_a_deviation_of_the_owner_of_its_day(
    app: Governance, docs: Documents
) -> None:
    """Due by 2031-03-10 and handed to KS from 2031-06-01: the deviation is the kommundirektör's."""
    due = hand_over_planned_after_a_missed_review(app, docs)

    reported = send(
        app,
        "report_overdue_review",
        PROCESS_ACTOR,
        **process_fields("forsenad", styrdokument_id=docs.policy, review_by=due),
    )

    avvikelse = app.get_record(reported.id)
    assert isinstance(avvikelse, Avvikelse)
    assert (document(app, docs.policy).owner, avvikelse.level) == ("ks", "kommundirektor")


def test_the_reminder_of_a_review_due_before_a_planned_hand_over_goes_to_the_owner_of_its_day(
    app: Governance, docs: Documents
) -> None:
    """Due by 2031-03-10 and handed to KS from 2031-06-01: the review timer reminds the kommundirektör."""
    due = hand_over_planned_after_a_missed_review(app, docs)

    lage = read_provningslage(app, docs.policy)

    assert (lage.review_by, lage.owner) == (due, "kommundirektor")


class Notices:
    def __init__(self) -> None:
        self.sent: list[Notice] = []

    def notify(self, notice: Notice) -> None:
        self.sent.append(notice)


def flag_children_of_policy(
    app: Governance, docs: Documents, on: date, *, derived: Children | None = None
) -> tuple[list[UUID], list[Notice]]:
    """The review process's step for the policy, changed from `on`: the documents it flagged, the notices."""
    result, notices = flag_children_step(app, docs, on, derived=derived)
    assert result.not_flagged == []
    return result.flagged, notices


def flag_children_step(
    app: Governance, docs: Documents, on: date, *, derived: Children | None = None
) -> tuple[FlaggedChildren, list[Notice]]:
    """The review process's step for the policy, changed from `on`, as the workflow sees it: its
    result and the notices it sent (`derived`: the index of documents adopted under one)."""
    notices = Notices()
    change = FlagChildrenInput(
        parent_id=docs.policy, workflow_id="styrdokument-test", event_id="e1", cause=REVIDERAT, on=on
    )
    activities = StyrdokumentActivities(app, notifier=notices, derived=derived)
    result = asyncio.run(ActivityEnvironment().run(activities.flag_children, change))
    return result, notices.sent


def flags_of(app: Governance, document_id: UUID) -> int:
    return sum(isinstance(e, Styrdokument.ReviewFlagged) for e in app.events_of(document_id))


def second_riktlinje(app: Governance, docs: Documents) -> UUID:
    beslut = decide(app, "ks", date(2027, 5, 20), "Antagande av riktlinje för avtalsuppföljning", number=41)
    title = "Riktlinje för avtalsuppföljning"
    return adopt(app, "ks", beslut, "riktlinje", title, "ks", parent_styrdokument_id=docs.policy)


def test_a_document_refused_for_good_is_reported_and_the_others_are_flagged_all_the_same(
    app: Governance, docs: Documents
) -> None:
    """An index out of step with the record lists another policy under the Inköpspolicy, before its
    riktlinje: that one is refused (it does not derive from the policy, and never will), is named in
    the step's result with its rule and left unflagged; the riktlinje is flagged and its owner told."""
    beslut = decide(app, "kf", date(2027, 3, 1), "Antagande av miljöpolicy", number=13)
    other = adopt(app, "kf", beslut, "policy", "Miljöpolicy", "kommundirektor")
    revise(app, "kf", docs.policy, LATER, date(2028, 2, 20), 21)

    result, notices = flag_children_step(app, docs, LATER, derived=lambda parents: [other, docs.riktlinje])

    assert result.flagged == [docs.riktlinje]
    assert [(n.styrdokument_id, n.title, n.rule) for n in result.not_flagged] == [
        (other, "Miljöpolicy", "inte_underordnat")
    ]
    assert [(n.recipient, n.subject) for n in notices] == [
        ("kommundirektor", "Se över: Riktlinje för direktupphandling")
    ]
    assert (flags_of(app, docs.riktlinje), flags_of(app, other)) == (1, 0)


def test_a_store_failing_mid_step_fails_it_for_a_retry_that_flags_each_document_once(
    app: Governance, docs: Documents, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store stops answering as the second riktlinje is flagged: the step fails (Temporal tries it
    again) rather than passing over the document; the retry flags it, and the first not a second time."""
    second = second_riktlinje(app, docs)
    revise(app, "kf", docs.policy, LATER, date(2028, 2, 20), 21)
    insert = app.recorder.insert_events
    saves: list[int] = []

    def down_at_the_second_save(stored_events: Any, **kwargs: Any) -> Any:
        saves.append(1)
        if len(saves) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return insert(stored_events, **kwargs)

    monkeypatch.setattr(app.recorder, "insert_events", down_at_the_second_save)
    with pytest.raises(OperationalError):
        flag_children_step(app, docs, LATER)
    retried, _ = flag_children_step(app, docs, LATER)

    assert sorted(retried.flagged) == sorted([docs.riktlinje, second])
    assert (flags_of(app, docs.riktlinje), flags_of(app, second)) == (1, 1)


def test_the_notice_of_a_changed_parent_names_the_parents_title_of_the_day_it_changed(
    app: Governance, docs: Documents
) -> None:
    """The policy is revised from 2028-03-01 and retitled only from 2030: the riktlinje's owner hears
    of 'Inköpspolicy', the title it has the day it changed."""
    revise(app, "kf", docs.policy, LATER, date(2028, 2, 20), 21)
    revise(app, "kf", docs.policy, date(2030, 1, 1), date(2028, 6, 1), 22, title="Policy för inköp")

    flagged, [notice] = flag_children_of_policy(app, docs, LATER)

    assert flagged == [docs.riktlinje]
    assert (notice.recipient, notice.subject) == (
        "kommundirektor",
        "Se över: Riktlinje för direktupphandling",
    )
    assert notice.text.startswith(
        "'Inköpspolicy', som 'Riktlinje för direktupphandling' härleds ur, har reviderats från 2028-03-01."
    )


def test_a_review_made_in_time_is_not_reported_overdue(app: Governance, docs: Documents) -> None:
    """Once reviewed, the old due date is no longer missed; a wrong due date is no deviation either."""
    beslut = decide(app, "kf", date(2031, 1, 20), "Aktualitetsprövning av inköpspolicy", number=2)
    send(app, "review_styrdokument", "kf", styrdokument_id=docs.policy, beslut_id=beslut)

    refusal = refused(
        app,
        "report_overdue_review",
        PROCESS_ACTOR,
        **process_fields("forsenad", styrdokument_id=docs.policy, review_by=date(2031, 2, 15)),
    )

    assert refusal.rule == "provat_sedan"


def test_a_document_with_a_change_decided_for_a_later_day_is_flagged_from_the_day_its_parent_changed(
    app: Governance, docs: Documents
) -> None:
    """The riktlinje passes to Lärande under a new title from 2029, decided 2028-01-10; its policy is
    revised from 2028-03-01: the riktlinje is flagged from that day as an ordinary event (its dates have
    run to the decision's day only), and the kommundirektör, its owner that day, hears of it under its
    title of that day."""
    revise(app, "ks", docs.riktlinje, date(2029, 1, 1), date(2028, 1, 10), 20, owner=SECTOR, title="Ny")
    revise(app, "kf", docs.policy, LATER, date(2028, 2, 20), 21)

    flagged, [notice] = flag_children_of_policy(app, docs, LATER)

    flag = app.events_of(docs.riktlinje)[-1]
    assert isinstance(flag, Styrdokument.ReviewFlagged)
    assert flagged == [docs.riktlinje]
    assert (flag.effective_on, flag.correction) == (LATER, None)
    assert (notice.recipient, notice.subject) == (
        "kommundirektor",
        "Se över: Riktlinje för direktupphandling",
    )
    assert document(app, docs.riktlinje).review_flagged


def test_a_document_with_a_change_decided_after_its_parent_changed_is_flagged_from_the_parents_day(
    app: Governance, docs: Documents
) -> None:
    """The policy is revised from 2028-03-01; before the process flags the riktlinje, KS decides on
    2028-03-10 to hand it to Lärande from 2029: the riktlinje is flagged from 2028-03-01 all the same,
    said why it is dated before its latest event."""
    revise(app, "kf", docs.policy, LATER, date(2028, 2, 20), 21)
    revise(app, "ks", docs.riktlinje, date(2029, 1, 1), date(2028, 3, 10), 22, owner=SECTOR)

    flagged, _ = flag_children_of_policy(app, docs, LATER)

    flag = app.events_of(docs.riktlinje)[-1]
    assert isinstance(flag, Styrdokument.ReviewFlagged)
    assert flagged == [docs.riktlinje]
    assert (flag.effective_on, flag.correction) == (
        LATER,
        "Flaggat från dagen då det överordnade dokumentet ändrades, före dokumentets senaste händelse, "
        "daterad 2028-03-10.",
    )


def test_a_revision_decided_before_the_review_falls_due_is_the_review_though_it_applies_later(
    app: Governance, docs: Documents
) -> None:
    """KF decides in 2030 to revise the policy from 2031-06-01: that decision is the review due by
    2031-02-15 (as a repeal decided ahead ends the review), so the timer waits for the next review and
    none is reported missed. The register as of a day before 2031-06-01 still shows the review due by
    2031-02-15 (integration.test_styrdokument_view)."""
    revise(app, "kf", docs.policy, date(2031, 6, 1), date(2030, 11, 20), 20)

    lage = read_provningslage(app, docs.policy)
    refusal = refused(
        app,
        "report_overdue_review",
        PROCESS_ACTOR,
        **process_fields("forsenad", styrdokument_id=docs.policy, review_by=date(2031, 2, 15)),
    )

    assert lage.review_by == date(2035, 6, 1)
    assert refusal.rule == "provat_sedan"


def test_review_dates_fall_on_the_same_day_years_later_and_on_28_february_for_a_leap_day() -> None:
    assert review_due(date(2027, 4, 10), 4) == date(2031, 4, 10)
    assert review_due(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert review_due(date(2028, 2, 29), None) is None
