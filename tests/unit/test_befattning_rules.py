"""Positions below the styrmodell's fixed chain: where they may be placed, and their end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from unit.domain_builders import DAY, stamp

from lerum_flow.domain.befattning import Befattning, Tie, Ties, check_not_outlived
from lerum_flow.domain.delegation_chain import in_force_from
from lerum_flow.domain.errors import InvalidInput, InvalidState
from lerum_flow.domain.styrkedja import Position, PositionKind, Styrkedja, check_establishable

KS = Position(id="ks", name="KS", kind=PositionKind.STYRELSE, parent="kf")
REVISORER = Position(id="revisorer", name="Revisorer", kind=PositionKind.REVISION, parent="kf")
SECTOR_HEAD = Position(id="sektorschef-a", name="Sektorschef", kind=PositionKind.SEKTORSCHEF, parent="kd")
CHEF = Position(id="chef-a", name="Chef", kind=PositionKind.CHEF, parent="sektorschef-a")
MEDARBETARE = Position(id="m-1", name="Medarbetare", kind=PositionKind.MEDARBETARE, parent="chef-a")


def test_a_chef_may_be_established_under_a_sektorschef() -> None:
    """A unit's manager sits under a sector."""
    check_establishable(PositionKind.CHEF, SECTOR_HEAD)


def test_a_chef_may_be_established_under_another_chef() -> None:
    """Departments may have units with their own managers."""
    check_establishable(PositionKind.CHEF, CHEF)


def test_a_medarbetare_may_be_established_under_a_chef() -> None:
    """Employees sit under a manager."""
    check_establishable(PositionKind.MEDARBETARE, CHEF)


def test_a_chef_under_ks_is_refused() -> None:
    """Officials are placed under officials, not directly under an organ."""
    with pytest.raises(InvalidInput) as refusal:
        check_establishable(PositionKind.CHEF, KS)
    assert refusal.value.rule == "placering_i_styrkedjan"


def test_a_medarbetare_under_a_medarbetare_is_refused() -> None:
    """An employee does not manage employees."""
    with pytest.raises(InvalidInput) as refusal:
        check_establishable(PositionKind.MEDARBETARE, MEDARBETARE)
    assert refusal.value.rule == "placering_i_styrkedjan"


@pytest.mark.parametrize(
    "kind", [k for k in PositionKind if k not in (PositionKind.CHEF, PositionKind.MEDARBETARE)]
)
def test_only_chef_and_medarbetare_can_be_established(kind: PositionKind) -> None:
    """Organs and the director's line come from the styrmodell, not from events."""
    with pytest.raises(InvalidInput) as refusal:
        check_establishable(kind, SECTOR_HEAD)
    assert refusal.value.rule == "inrattningsbart_slag"


LATER = DAY + timedelta(days=30)


@dataclass(frozen=True)
class Link:
    """A delegation as the chain reads it, granted from DAY."""

    id: UUID
    delegate: str
    parent_id: UUID | None
    valid_until: date | None
    granted_by: str = "ks"
    matter: str = "upphandling"
    valid_from: date = DAY


DELEGERING = UUID("0b7c6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")
AVVIKELSE = UUID("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
STYRDOKUMENT = UUID("7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b")
PLAN = UUID("9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a")


def test_a_befattning_is_not_discontinued_twice() -> None:
    """A second discontinuation is refused."""
    befattning = Befattning.establish(uuid4(), stamp("sektorschef-a"), position=CHEF)
    befattning.discontinue(stamp("sektorschef-a", on=LATER), reason="Omorganisation")
    with pytest.raises(InvalidState) as refusal:
        befattning.discontinue(stamp("sektorschef-a", on=LATER), reason="Igen")
    assert refusal.value.rule == "avvecklad"
    assert "'chef-a' är redan avvecklad" in str(refusal.value)


def test_a_befattning_is_not_discontinued_on_or_before_the_day_it_was_established() -> None:
    """The first day without it comes after its first day with it: otherwise it never existed."""
    befattning = Befattning.establish(uuid4(), stamp("sektorschef-a"), position=CHEF)
    with pytest.raises(InvalidInput) as refusal:
        befattning.discontinue(stamp("sektorschef-a"), reason="Samma dag")
    assert refusal.value.rule == "datumordning"
    assert not befattning.discontinued


@pytest.mark.parametrize(
    ("ties", "rule", "says"),
    [
        (
            Ties(below=("m-1",)),
            "befattningar_under",
            "befattningar under sig som inte är avvecklade den dagen: m-1",
        ),
        (Ties(holders=("p-anna",)), "innehas", "innehas den dagen eller senare av p-anna"),
        (Ties(open_uppdrag=2), "pagaende_uppdrag", "har 2 pågående uppdrag"),
        (
            Ties(delegeringar=(Tie(DELEGERING, "upphandling"),)),
            "delegering_galler",
            f"delegeringar som gäller den dagen eller senare: {DELEGERING} (upphandling)",
        ),
        (
            Ties(avvikelser=(Tie(AVVIKELSE, "ekonomi"),)),
            "oppna_avvikelser",
            f"öppna avvikelser på sin nivå: {AVVIKELSE} (ekonomi)",
        ),
        (
            Ties(styrdokument=(Tie(STYRDOKUMENT, "'Lokalpolicy', ägare"),)),
            "styrdokument_galler",
            f"äger eller omfattas av styrdokument som gäller {LATER.isoformat()} eller senare: "
            f"{STYRDOKUMENT} ('Lokalpolicy', ägare)",
        ),
        (
            Ties(kontroller=(Tie(PLAN, "internkontrollplan 2027 för ks, kontroll 1 'Attest'"),)),
            "agda_kontroller",
            f"äger kontroller i internkontrollplaner vars år når den dagen: {PLAN} "
            "(internkontrollplan 2027 för ks, kontroll 1 'Attest')",
        ),
    ],
)
def test_a_befattning_something_still_hangs_on_is_not_discontinued(ties: Ties, rule: str, says: str) -> None:
    """A position below it, a holder, an open uppdrag, a delegering to it in force, an open avvikelse
    at its level, a styrdokument in force it owns or governs, or a control it owns still owed keeps
    a position from being discontinued, in Swedish, and nothing is recorded."""
    befattning = Befattning.establish(uuid4(), stamp("sektorschef-a"), position=CHEF)
    with pytest.raises(InvalidState) as refusal:
        befattning.discontinue(stamp("sektorschef-a", on=LATER), reason="Omorganisation", ties=ties)
    assert refusal.value.rule == rule
    assert says in str(refusal.value)
    assert (befattning.discontinued, befattning.version) == (False, 1)


def test_a_position_is_not_established_under_one_discontinued_from_a_later_day() -> None:
    """It would outlive the position it stands under: refused, naming the parent and its day; a
    parent not discontinued is no obstacle."""
    check_not_outlived("chef-a", None, None, what="en befattning under den", field="parent")
    with pytest.raises(InvalidState) as refusal:
        check_not_outlived("chef-a", LATER, None, what="en befattning under den", field="parent")
    assert (refusal.value.rule, refusal.value.field) == ("overlever_befattningen", "parent")
    says = f"'chef-a' avvecklas från {LATER.isoformat()}; en befattning under den skulle finnas kvar"
    assert says in str(refusal.value)


@pytest.mark.parametrize(
    ("ends", "refused"), [(None, True), (LATER, True), (LATER - timedelta(days=1), False)]
)
def test_a_term_or_delegering_ending_before_the_day_a_position_is_gone_is_not_outlived_by_it(
    ends: date | None, refused: bool
) -> None:
    """Ending the day before the position is discontinued from, nothing outlives it; open-ended, or
    still standing on the day, refused."""

    def check() -> None:
        check_not_outlived("chef-a", LATER, ends, what="förordnandet", field="valid-until")

    if not refused:
        check()
        return
    with pytest.raises(InvalidState) as refusal:
        check()
    assert (refusal.value.rule, refusal.value.field) == ("overlever_befattningen", "valid-until")


@pytest.mark.parametrize(
    ("ends", "carries"),
    [
        ((None, None), True),
        ((LATER + timedelta(days=1), None), True),
        ((LATER, None), False),
        ((None, LATER), False),
        ((None, LATER - timedelta(days=1)), False),
        ((None, LATER + timedelta(days=1)), True),
    ],
)
def test_a_delegering_carries_decisions_from_a_day_while_no_link_of_its_chain_is_revoked_by_then(
    ends: tuple[date | None, date | None], carries: bool
) -> None:
    """Its own revocation from the day or before ends it; so does that of the one it rests on
    (a vidaredelegation falls with it); revoked only from a later day, it still carries then."""
    own, above = ends
    parent = Link(uuid4(), "kommundirektor", None, above)
    links = (Link(DELEGERING, "chef-a", parent.id, own), parent)
    assert in_force_from(links, LATER) is carries


def test_a_discontinued_befattning_says_so_from_the_day() -> None:
    """The event is the fact, with its day: the first day the position no longer exists."""
    befattning = Befattning.establish(uuid4(), stamp("sektorschef-a"), position=CHEF)
    befattning.discontinue(stamp("sektorschef-a", on=LATER), reason="Omorganisation", ties=Ties())
    event = befattning.collect_events()[-1]
    assert isinstance(event, Befattning.Discontinued)
    assert (event.effective_on, event.reason, befattning.discontinued) == (LATER, "Omorganisation", True)


def test_an_established_befattning_keeps_its_place_in_the_chain() -> None:
    """The event rebuilds the position with its kind and parent."""
    befattning = Befattning.establish(uuid4(), stamp("sektorschef-a"), position=CHEF)
    assert befattning.position == CHEF


def test_a_position_under_the_revisorer_is_an_auditor() -> None:
    """Everyone in the audit line only reads."""
    kf = Position(id="kf", name="KF", kind=PositionKind.FULLMAKTIGE, parent=None)
    clerk = Position(id="rev-sekr", name="Sekreterare", kind=PositionKind.FORTROENDEVALD, parent="revisorer")
    chain = Styrkedja([kf, REVISORER, clerk, KS])
    assert (chain.is_auditor("rev-sekr"), chain.is_auditor("revisorer"), chain.is_auditor("ks")) == (
        True,
        True,
        False,
    )
