"""Who owns a styrdokument on each day (`Styrdokument.owner_on`), and its title (`title_on`): adopted
with them, changed by revisions from their own day, and kept by a revision that names no new one."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from unit.domain_builders import stamp

from lerum_flow.domain.styrdokument import Styrdokument

ADOPTED = date(2027, 2, 15)
REVISED = date(2027, 5, 1)
HANDED = date(2027, 9, 1)


def adopted_policy() -> Styrdokument:
    """KF's policy, owned by the kommundirektör from ADOPTED."""
    return Styrdokument.adopt(
        uuid4(),
        stamp("kf", on=ADOPTED),
        document_type="policy",
        title="Inköpspolicy",
        adopted_by="kf",
        beslut_id=uuid4(),
        decided_on=ADOPTED,
        owner="kommundirektor",
        scope="kf",
        parent_id=None,
        review_by=None,
    )


def revise(doc: Styrdokument, on: date, *, title: str = "", owner: str = "", correction: str = "") -> None:
    doc.revise(
        dataclasses.replace(stamp("kf", on=on), correction=correction or None),
        beslut_id=uuid4(),
        decided_on=on,
        decided_by="kf",
        title=title,
        owner=owner,
        summary="Reviderad.",
        review_by=None,
    )


def owners(doc: Styrdokument, *days: date) -> list[str]:
    return [doc.owner_on(day) for day in days]


def titles(doc: Styrdokument, *days: date) -> list[str]:
    return [doc.title_on(day) for day in days]


def replayed(doc: Styrdokument) -> Styrdokument:
    """The document rebuilt from its events, as the store rebuilds it."""
    rebuilt: Any = None
    for event in doc.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, Styrdokument)
    return rebuilt


def test_a_revision_dated_before_a_planned_hand_over_keeps_the_owner_of_its_day() -> None:
    """Handed to KS from HANDED, then retitled from REVISED (a correction) without an owner: the
    kommundirektör owns it from REVISED to the day before HANDED, KS from HANDED; rebuilt the same."""
    doc = adopted_policy()
    revise(doc, HANDED, owner="ks")
    revise(doc, REVISED, title="Policy för inköp", correction="Beslutet registrerades sent.")

    days = (REVISED - timedelta(days=1), REVISED, HANDED - timedelta(days=1), HANDED)
    assert owners(doc, *days) == ["kommundirektor", "kommundirektor", "kommundirektor", "ks"]
    assert (doc.title, doc.owner) == ("Policy för inköp", "ks")
    assert owners(replayed(doc), *days) == owners(doc, *days)


def test_a_revision_naming_the_owner_of_its_day_hands_it_to_nobody() -> None:
    """Naming the kommundirektör, who owns it on REVISED, leaves KS's hand-over from HANDED standing."""
    doc = adopted_policy()
    revise(doc, HANDED, owner="ks")
    revise(doc, REVISED, owner="kommundirektor", correction="Beslutet registrerades sent.")

    assert owners(doc, HANDED - timedelta(days=1), HANDED) == ["kommundirektor", "ks"]


def test_a_revision_naming_another_owner_hands_it_over_from_its_day() -> None:
    """A revision from REVISED naming KS: the kommundirektör the day before, KS from REVISED on."""
    doc = adopted_policy()
    revise(doc, REVISED, owner="ks")

    assert owners(doc, REVISED - timedelta(days=1), REVISED, HANDED) == ["kommundirektor", "ks", "ks"]


def test_a_revision_stored_naming_the_latest_owner_replays_as_recorded() -> None:
    """A revision stored before owners were kept per day names an owner even when it changed none: it is
    replayed as the hand-over it records, so a store's owners read the same as before."""
    doc = adopted_policy()
    revise(doc, HANDED, owner="ks")
    events = doc.collect_events()
    old = Styrdokument.Revised(
        **{**vars(events[-1]), "originator_version": 3, "effective_on": REVISED, "title": "Policy för inköp"}
    )
    rebuilt: Any = None
    for event in [*events, old]:
        rebuilt = event.mutate(rebuilt)

    assert owners(rebuilt, ADOPTED, REVISED, HANDED) == ["kommundirektor", "ks", "ks"]


def test_a_correction_dated_before_a_planned_retitle_keeps_the_title_of_its_day() -> None:
    """Retitled from HANDED, then handed to KS from REVISED (a correction) without a title: 'Inköpspolicy'
    from REVISED to the day before HANDED, 'Policy för inköp' from HANDED; rebuilt the same."""
    doc = adopted_policy()
    revise(doc, HANDED, title="Policy för inköp")
    revise(doc, REVISED, owner="ks", correction="Beslutet registrerades sent.")

    days = (REVISED - timedelta(days=1), REVISED, HANDED - timedelta(days=1), HANDED)
    assert titles(doc, *days) == ["Inköpspolicy", "Inköpspolicy", "Inköpspolicy", "Policy för inköp"]
    assert (doc.title, doc.owner) == ("Policy för inköp", "ks")
    assert titles(replayed(doc), *days) == titles(doc, *days)


def test_a_revision_naming_the_title_of_its_day_changes_no_title() -> None:
    """Naming 'Inköpspolicy', its title on REVISED, records no title: the retitle from HANDED stands."""
    doc = adopted_policy()
    revise(doc, HANDED, title="Policy för inköp")
    revise(doc, REVISED, title="Inköpspolicy", correction="Beslutet registrerades sent.")

    (*_, recorded) = doc.collect_events()
    assert isinstance(recorded, Styrdokument.Revised)
    assert recorded.title == ""
    assert titles(doc, HANDED - timedelta(days=1), HANDED) == ["Inköpspolicy", "Policy för inköp"]
