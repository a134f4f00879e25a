"""An avvikelse is held by one level at a time; only that level acts on it."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from unit.domain_builders import SEVERITIES, acknowledged_avvikelse, avvikelse, closed_avvikelse, stamp

from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.values import AvvikelseStatus

OTHER = "kommundirektor"


def test_a_deviation_needs_a_description() -> None:
    """A blank report says nothing about what deviates."""
    with pytest.raises(InvalidInput) as refusal:
        Avvikelse.report(
            uuid4(),
            stamp("chef-a"),
            subject_kind="handelse",
            subject_ref="x",
            severity="lindrig",
            category="ekonomi",
            description="  ",
            level="sektorschef-a",
        )
    assert refusal.value.field == "description"


def test_only_the_holding_level_acknowledges() -> None:
    """A level above cannot acknowledge what has not reached it."""
    deviation = avvikelse()
    with pytest.raises(NotPermitted) as refusal:
        deviation.acknowledge(stamp(OTHER))
    assert refusal.value.rule == "nivan_som_har_avvikelsen"


def test_the_reporter_cannot_acknowledge_its_own_deviation() -> None:
    """The report goes up; the reporter is not the holder."""
    deviation = avvikelse(reporter="chef-a", level="sektorschef-a")
    with pytest.raises(NotPermitted):
        deviation.acknowledge(stamp("chef-a"))


def test_a_second_acknowledgement_is_refused_naming_who_acknowledged_first() -> None:
    """The second person learns who already has it."""
    deviation = avvikelse()
    deviation.acknowledge(stamp(deviation.level, person="p-anna"))
    with pytest.raises(InvalidState) as refusal:
        deviation.acknowledge(stamp(deviation.level, person="p-bertil"))
    assert refusal.value.rule == "redan_kvitterad"
    assert "p-anna" in refusal.value.message


def test_only_the_holding_level_decides_an_action() -> None:
    """Actions are decided where the deviation lies."""
    deviation = acknowledged_avvikelse()
    with pytest.raises(NotPermitted):
        deviation.decide_action(stamp(OTHER), action="Spara")


def test_an_action_is_decided_only_after_acknowledgement() -> None:
    """The holder first takes the deviation on."""
    deviation = avvikelse()
    with pytest.raises(InvalidState) as refusal:
        deviation.decide_action(stamp(deviation.level), action="Spara")
    assert refusal.value.rule == "kvittera_forst"


def test_an_action_needs_a_description() -> None:
    """A blank action is no action."""
    deviation = acknowledged_avvikelse()
    with pytest.raises(InvalidInput):
        deviation.decide_action(stamp(deviation.level), action=" ")


def test_only_the_holding_level_closes() -> None:
    """Another level cannot close someone else's deviation."""
    deviation = acknowledged_avvikelse()
    with pytest.raises(NotPermitted):
        deviation.close(stamp(OTHER), resolution="Löst")


def test_an_unacknowledged_deviation_cannot_be_closed() -> None:
    """Closing needs the holder to have taken it on."""
    deviation = avvikelse()
    with pytest.raises(InvalidState):
        deviation.close(stamp(deviation.level), resolution="Löst")


def test_the_holding_level_closes_after_deciding_an_action() -> None:
    """Acknowledge, decide, close is the full path."""
    deviation = acknowledged_avvikelse()
    deviation.decide_action(stamp(deviation.level), action="Spara")
    deviation.close(stamp(deviation.level), resolution="Löst")
    assert deviation.status is AvvikelseStatus.CLOSED


def test_only_the_holding_level_assesses_severity() -> None:
    """Severity is judged by whoever holds the deviation."""
    deviation = avvikelse()
    with pytest.raises(NotPermitted):
        deviation.assess(stamp(OTHER), severity="allvarlig", reason="Stor", scale=SEVERITIES)


def test_a_severity_outside_the_scale_is_refused() -> None:
    """Severities come from the styrmodell."""
    deviation = avvikelse()
    with pytest.raises(InvalidInput) as refusal:
        deviation.assess(stamp(deviation.level), severity="katastrof", reason="Stor", scale=SEVERITIES)
    assert refusal.value.rule == "allvarlighetsgrad"


def test_an_assessment_needs_a_reason() -> None:
    """A judgment of severity is motivated."""
    deviation = avvikelse()
    with pytest.raises(InvalidInput):
        deviation.assess(stamp(deviation.level), severity="allvarlig", reason="", scale=SEVERITIES)


def test_only_the_holding_level_escalates() -> None:
    """Nobody else can move the deviation up."""
    deviation = avvikelse()
    with pytest.raises(NotPermitted):
        deviation.escalate(stamp(OTHER), to_level="ks", skipped=[], reason="")


def test_escalation_skipping_a_level_needs_a_reason() -> None:
    """Going past a level is explained (absence, jäv)."""
    deviation = avvikelse()
    with pytest.raises(InvalidInput) as refusal:
        deviation.escalate(stamp(deviation.level), to_level="ks", skipped=["kommundirektor"], reason=" ")
    assert refusal.value.rule == "overhoppad_niva_kraver_skal"


def test_escalation_skipping_a_level_with_a_reason_moves_the_deviation() -> None:
    """With a reason, the deviation goes straight to the named level."""
    deviation = avvikelse()
    deviation.escalate(stamp(deviation.level), to_level="ks", skipped=["kommundirektor"], reason="Jäv")
    assert deviation.level == "ks"


def test_escalation_to_the_next_level_needs_no_reason() -> None:
    """One step up is the ordinary path."""
    deviation = avvikelse()
    deviation.escalate(stamp(deviation.level), to_level="kommundirektor", skipped=[], reason="")
    assert (deviation.level, deviation.status) == ("kommundirektor", AvvikelseStatus.REPORTED)


def test_after_escalation_the_previous_level_can_no_longer_act() -> None:
    """The deviation now lies with the new level."""
    deviation = acknowledged_avvikelse()
    previous = deviation.level
    deviation.escalate(stamp(previous), to_level="kommundirektor", skipped=[], reason="")
    with pytest.raises(NotPermitted):
        deviation.close(stamp(previous), resolution="Löst")


def test_after_escalation_the_new_level_acknowledges_afresh() -> None:
    """Each level that receives the deviation acknowledges it."""
    deviation = acknowledged_avvikelse()
    deviation.escalate(stamp(deviation.level), to_level="kommundirektor", skipped=[], reason="")
    deviation.acknowledge(stamp("kommundirektor", person="p-kd"))
    assert deviation.acknowledged_by == "p-kd"


REFUSED_WHEN_CLOSED: dict[str, Callable[[Avvikelse, str], None]] = {
    "acknowledge": lambda a, level: a.acknowledge(stamp(level)),
    "assess": lambda a, level: a.assess(stamp(level), severity="allvarlig", reason="r", scale=SEVERITIES),
    "escalate": lambda a, level: a.escalate(stamp(level), to_level="kommundirektor", skipped=[], reason="r"),
    "decide_action": lambda a, level: a.decide_action(stamp(level), action="Spara"),
    "close": lambda a, level: a.close(stamp(level), resolution="Igen"),
}


@pytest.mark.parametrize("command", sorted(REFUSED_WHEN_CLOSED))
def test_a_closed_deviation_refuses_every_command(command: str) -> None:
    """Closed means closed, whatever the holder tries."""
    deviation = closed_avvikelse()
    version = deviation.version
    with pytest.raises(InvalidState):
        REFUSED_WHEN_CLOSED[command](deviation, deviation.level)
    assert deviation.version == version
