"""A beslut's rules: a paragraf for an organ's decision, anmälan for a delegated one."""

from __future__ import annotations

from uuid import uuid4

import pytest
from unit.domain_builders import delegated_beslut, organ_beslut, stamp

from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted


def test_an_organs_decision_needs_a_paragraf() -> None:
    """A decision at a meeting is found by its paragraph in the minutes."""
    with pytest.raises(InvalidInput) as refusal:
        Beslut.take(
            uuid4(), stamp("ks"), decided_by="ks", kind="ovrigt", diarienummer="KS 1", paragraf="", title="T"
        )
    assert refusal.value.rule == "paragraf_kravs"


def test_a_delegated_decision_needs_an_organ_to_report_to() -> None:
    """Every delegated decision is reported to someone."""
    with pytest.raises(InvalidInput) as refusal:
        Beslut.take(
            uuid4(),
            stamp("kommundirektor"),
            decided_by="kommundirektor",
            kind="ovrigt",
            diarienummer="KS 2",
            paragraf="",
            title="T",
            delegering_id=uuid4(),
        )
    assert refusal.value.rule == "anmalan_kravs"


def test_a_delegated_decision_opens_an_anmalan_obligation() -> None:
    """A decision under delegation awaits its anmälan."""
    assert delegated_beslut().awaits_report


def test_an_organs_own_decision_has_no_anmalan_obligation() -> None:
    """Only delegated decisions are reported to an organ."""
    assert not organ_beslut().awaits_report


def test_reporting_closes_the_anmalan_obligation() -> None:
    """Once anmäld, the decision no longer awaits a report."""
    beslut = delegated_beslut(report_to="ks")
    beslut.report_to_organ(stamp("ks"), minutes_paragraf="§ 40")
    assert not beslut.awaits_report


def test_a_delegated_decision_is_reported_only_to_the_delegating_organ() -> None:
    """Another organ cannot receive the anmälan."""
    beslut = delegated_beslut(report_to="ks")
    with pytest.raises(NotPermitted) as refusal:
        beslut.report_to_organ(stamp("kf"), minutes_paragraf="§ 40")
    assert refusal.value.rule == "anmals_till_delegerande_organ"
    assert beslut.awaits_report


def test_a_delegated_decision_is_not_reported_twice() -> None:
    """A second anmälan is refused."""
    beslut = delegated_beslut(report_to="ks")
    beslut.report_to_organ(stamp("ks"), minutes_paragraf="§ 40")
    with pytest.raises(InvalidState) as refusal:
        beslut.report_to_organ(stamp("ks"), minutes_paragraf="§ 41")
    assert refusal.value.rule == "redan_anmalt"


def test_an_organs_own_decision_cannot_be_reported() -> None:
    """There is no anmälan of a decision not taken under delegation."""
    beslut = organ_beslut("ks")
    with pytest.raises(InvalidState) as refusal:
        beslut.report_to_organ(stamp("ks"), minutes_paragraf="§ 40")
    assert refusal.value.rule == "anmalan_endast_delegationsbeslut"


def test_only_the_decider_corrects_a_beslut() -> None:
    """Another position cannot rewrite someone's decision."""
    beslut = organ_beslut("ks")
    with pytest.raises(NotPermitted):
        beslut.correct(stamp("kf"), diarienummer="KS 9", paragraf="§ 9", title="T", reason="Fel nummer")


def test_a_correction_needs_a_reason() -> None:
    """Corrections are kept with their reason."""
    beslut = organ_beslut("ks")
    with pytest.raises(InvalidInput):
        beslut.correct(stamp("ks"), diarienummer="KS 9", paragraf="§ 9", title="T", reason="   ")


def test_a_correction_is_a_new_event_beside_the_original() -> None:
    """The original decision is kept; the correction is added after it."""
    beslut = organ_beslut("ks")
    beslut.correct(stamp("ks"), diarienummer="KS 9", paragraf="§ 9", title="T", reason="Fel nummer")
    events = beslut.collect_events()
    assert [type(e).__name__ for e in events] == ["Taken", "Corrected"]
    taken = events[0]
    assert isinstance(taken, Beslut.Taken)
    assert taken.diarienummer == "KS 2027/1"
