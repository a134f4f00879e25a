"""A delegering's own rules: who revokes it, when, and on which days it is in force."""

from __future__ import annotations

from datetime import date

import pytest
from unit.domain_builders import delegering, stamp

from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted

FIRST_DAY = date(2027, 1, 1)


def test_only_the_grantor_revokes() -> None:
    """The delegate cannot give back what the organ gave."""
    granted = delegering(granted_by="ks", delegate="kommundirektor", valid_from=FIRST_DAY)
    with pytest.raises(NotPermitted) as refusal:
        granted.revoke(stamp("kommundirektor", on=date(2027, 6, 1)), reason="Nej", beslut_id=None)
    assert refusal.value.rule == "endast_delegerande_aterkallar"


def test_a_delegering_is_not_revoked_twice() -> None:
    """A second revocation is refused."""
    granted = delegering(valid_from=FIRST_DAY)
    granted.revoke(stamp("ks", on=date(2027, 6, 1)), reason="Ny ordning", beslut_id=None)
    with pytest.raises(InvalidState) as refusal:
        granted.revoke(stamp("ks", on=date(2027, 7, 1)), reason="Igen", beslut_id=None)
    assert refusal.value.rule == "redan_aterkallad"


def test_a_revocation_cannot_take_effect_before_the_first_day() -> None:
    """A delegering cannot end before it began."""
    granted = delegering(valid_from=FIRST_DAY)
    with pytest.raises(InvalidInput) as refusal:
        granted.revoke(stamp("ks", on=date(2026, 12, 31)), reason="Ny ordning", beslut_id=None)
    assert refusal.value.rule == "datumordning"


def test_a_revocation_needs_a_reason() -> None:
    """Revocations are explained."""
    granted = delegering(valid_from=FIRST_DAY)
    with pytest.raises(InvalidInput):
        granted.revoke(stamp("ks", on=date(2027, 6, 1)), reason=" ", beslut_id=None)


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (date(2026, 12, 31), False),
        (FIRST_DAY, True),
        (date(2030, 1, 1), True),
    ],
)
def test_an_unrevoked_delegering_is_in_force_from_its_first_day(day: date, in_force: bool) -> None:
    """In force from the first day on, indefinitely until revoked."""
    assert delegering(valid_from=FIRST_DAY).in_force_on(day) is in_force


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (date(2027, 5, 31), True),
        (date(2027, 6, 1), False),
        (date(2028, 1, 1), False),
    ],
)
def test_a_revoked_delegering_is_not_in_force_from_the_revocation_day(day: date, in_force: bool) -> None:
    """The revocation's effective day is the first day without the delegering."""
    granted = delegering(valid_from=FIRST_DAY)
    granted.revoke(stamp("ks", on=date(2027, 6, 1)), reason="Ny ordning", beslut_id=None)
    assert granted.in_force_on(day) is in_force
