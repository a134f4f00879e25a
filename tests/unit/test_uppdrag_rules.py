"""The uppdrag's own rules: the giver owns the WHAT, the recipient the HOW and the report."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from unit.domain_builders import (
    DAY,
    SCALE,
    accepted_uppdrag,
    completed_uppdrag,
    issued_uppdrag,
    report_accepted_uppdrag,
    reported_uppdrag,
    stamp,
)

from lerum_flow.domain.errors import InvalidInput, InvalidState, NotPermitted
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import UppdragStatus


def _issue(
    actor: str = "ks", *, giver: str = "ks", recipient: str = "kommundirektor", due: date | None = None
) -> Uppdrag:
    return Uppdrag.issue(
        uuid4(),
        stamp(actor),
        kind="uppdrag",
        giver=giver,
        recipient=recipient,
        title="Titel",
        description="",
        due=due,
        origin_beslut_id=uuid4(),
        parent_id=None,
    )


def test_issue_is_refused_when_the_actor_is_not_the_giver() -> None:
    """Nobody may issue an uppdrag in another position's name."""
    with pytest.raises(NotPermitted) as refusal:
        _issue("kommundirektor", giver="ks")
    assert refusal.value.rule == "endast_uppdragsgivaren"


def test_issue_is_refused_when_giver_and_recipient_are_the_same() -> None:
    """An uppdrag is always directed at someone else."""
    with pytest.raises(InvalidInput) as refusal:
        _issue(recipient="ks")
    assert refusal.value.rule == "mottagare_annan_an_givare"


def test_issue_is_refused_when_due_is_before_the_issue_date() -> None:
    """A deadline before the uppdrag starts cannot be met."""
    with pytest.raises(InvalidInput) as refusal:
        _issue(due=date(2027, 2, 28))
    assert refusal.value.field == "due"


def test_issue_accepts_a_due_date_on_the_issue_date() -> None:
    """A same-day deadline is tight but valid."""
    assert _issue(due=DAY).due == DAY


def test_only_the_recipient_accepts() -> None:
    """The giver cannot accept on the recipient's behalf."""
    uppdrag = issued_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.accept(stamp(uppdrag.giver))
    assert uppdrag.status is UppdragStatus.ISSUED


def test_accepting_twice_is_refused() -> None:
    """Acceptance is a one-time step."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.accept(stamp(uppdrag.recipient))


def test_only_the_recipient_reports() -> None:
    """The giver cannot write the recipient's återrapportering."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.report(stamp(uppdrag.giver), assessment="uppfyllt", text="x", period="", scale=SCALE)


def test_an_uppdrag_not_yet_accepted_cannot_be_reported() -> None:
    """The recipient reports on what it has taken on."""
    uppdrag = issued_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.report(stamp(uppdrag.recipient), assessment="uppfyllt", text="x", period="", scale=SCALE)


def test_an_assessment_outside_the_scale_is_refused() -> None:
    """Assessments use the styrmodell's scale only."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidInput) as refusal:
        uppdrag.report(stamp(uppdrag.recipient), assessment="gront", text="x", period="", scale=SCALE)
    assert refusal.value.field == "assessment"
    assert uppdrag.status is UppdragStatus.ACCEPTED


def test_a_report_awaiting_judgement_cannot_be_reported_again() -> None:
    """The giver answers a report before a new one is sent."""
    uppdrag = reported_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.report(stamp(uppdrag.recipient), assessment="uppfyllt", text="x", period="", scale=SCALE)


def test_only_the_giver_accepts_a_report() -> None:
    """The recipient cannot approve its own report."""
    uppdrag = reported_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.accept_report(stamp(uppdrag.recipient), comment="")


def test_only_the_giver_returns_a_report() -> None:
    """The recipient cannot return its own report."""
    uppdrag = reported_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.return_report(stamp(uppdrag.recipient), reason="Ofullständig.")


def test_returning_a_report_needs_a_reason() -> None:
    """The recipient must learn what is missing."""
    uppdrag = reported_uppdrag()
    with pytest.raises(InvalidInput) as refusal:
        uppdrag.return_report(stamp(uppdrag.giver), reason="  ")
    assert refusal.value.field == "reason"


def test_a_returned_report_can_be_reported_again() -> None:
    """A report sent back is improved and sent again."""
    uppdrag = reported_uppdrag()
    uppdrag.return_report(stamp(uppdrag.giver), reason="Ofullständig.")
    uppdrag.report(
        stamp(uppdrag.recipient), assessment="delvis_uppfyllt", text="Bättre.", period="", scale=SCALE
    )
    assert uppdrag.status is UppdragStatus.REPORTED


def test_a_report_cannot_be_accepted_before_it_is_sent() -> None:
    """There is nothing to accept until the recipient reports."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.accept_report(stamp(uppdrag.giver), comment="")


def test_completion_is_refused_while_the_report_awaits_judgement() -> None:
    """Done means the giver accepted the report, not that the recipient sent one."""
    uppdrag = reported_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.complete(stamp(uppdrag.giver), comment="")


def test_completion_is_refused_without_any_report() -> None:
    """An accepted but unreported uppdrag is not done."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.complete(stamp(uppdrag.giver), comment="")


def test_completion_is_refused_after_a_returned_report() -> None:
    """A returned report is not an accepted one."""
    uppdrag = reported_uppdrag()
    uppdrag.return_report(stamp(uppdrag.giver), reason="Ofullständig.")
    with pytest.raises(InvalidState):
        uppdrag.complete(stamp(uppdrag.giver), comment="")


def test_the_giver_completes_after_accepting_the_report() -> None:
    """An accepted report lets the giver close the uppdrag."""
    uppdrag = report_accepted_uppdrag()
    uppdrag.complete(stamp(uppdrag.giver), comment="Bra.")
    assert uppdrag.status is UppdragStatus.COMPLETED


def test_only_the_giver_completes() -> None:
    """The recipient cannot declare its uppdrag done."""
    uppdrag = report_accepted_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.complete(stamp(uppdrag.recipient), comment="")


def test_only_the_giver_revises_the_what() -> None:
    """The recipient owns the HOW, not the WHAT."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.revise(stamp(uppdrag.recipient), title="Annat", description="", due=None, reason="Vill")
    assert uppdrag.title == "Minska sjukfrånvaron"


def test_the_giver_revises_title_and_due() -> None:
    """A revision replaces the WHAT and keeps the reason."""
    uppdrag = accepted_uppdrag()
    uppdrag.revise(
        stamp(uppdrag.giver), title="Nytt", description="", due=date(2028, 6, 30), reason="Ny budget"
    )
    assert (uppdrag.title, uppdrag.due) == ("Nytt", date(2028, 6, 30))


def test_a_revision_needs_a_reason() -> None:
    """Changes to the WHAT are explained."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidInput):
        uppdrag.revise(stamp(uppdrag.giver), title="Nytt", description="", due=None, reason="")


def test_a_revision_cannot_set_the_due_date_before_the_issue_date() -> None:
    """The issue-date rule holds for revisions too."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidInput) as refusal:
        uppdrag.revise(
            stamp(uppdrag.giver), title="Nytt", description="", due=date(2027, 2, 28), reason="Brådskar"
        )
    assert refusal.value.rule == "datumordning"


def test_a_completed_uppdrag_cannot_be_revised() -> None:
    """A finished uppdrag's WHAT is history."""
    uppdrag = completed_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.revise(stamp(uppdrag.giver), title="Nytt", description="", due=None, reason="Sent")


def test_only_the_giver_withdraws() -> None:
    """The recipient cannot cancel an uppdrag it was given."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(NotPermitted):
        uppdrag.withdraw(stamp(uppdrag.recipient), reason="Orkar inte")


def test_withdrawing_needs_a_reason() -> None:
    """A withdrawal is explained."""
    uppdrag = accepted_uppdrag()
    with pytest.raises(InvalidInput):
        uppdrag.withdraw(stamp(uppdrag.giver), reason=" ")


def test_a_withdrawn_uppdrag_cannot_be_accepted() -> None:
    """Withdrawal ends the recipient's part too."""
    uppdrag = issued_uppdrag()
    uppdrag.withdraw(stamp(uppdrag.giver), reason="Inaktuellt")
    with pytest.raises(InvalidState):
        uppdrag.accept(stamp(uppdrag.recipient))


def test_a_withdrawn_uppdrag_cannot_be_reported() -> None:
    """Nothing is reported on a withdrawn uppdrag."""
    uppdrag = accepted_uppdrag()
    uppdrag.withdraw(stamp(uppdrag.giver), reason="Inaktuellt")
    with pytest.raises(InvalidState):
        uppdrag.report(stamp(uppdrag.recipient), assessment="uppfyllt", text="x", period="", scale=SCALE)


def test_a_completed_uppdrag_cannot_be_withdrawn() -> None:
    """A finished uppdrag stays finished."""
    uppdrag = completed_uppdrag()
    with pytest.raises(InvalidState):
        uppdrag.withdraw(stamp(uppdrag.giver), reason="Ångrar")


def test_a_refused_command_adds_no_event_to_the_aggregate() -> None:
    """A refusal leaves the aggregate's version and pending events untouched."""
    uppdrag = accepted_uppdrag()
    pending = len(uppdrag.pending_events)
    version = uppdrag.version
    with pytest.raises(NotPermitted):
        uppdrag.complete(stamp(uppdrag.recipient), comment="")
    assert (uppdrag.version, len(uppdrag.pending_events)) == (version, pending)


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    """Event bodies are pure: replay gives the state the commands produced."""
    uppdrag = report_accepted_uppdrag()
    rebuilt = None
    for event in uppdrag.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert rebuilt is not None
    assert (rebuilt.status, rebuilt.giver, rebuilt.recipient, rebuilt.version, rebuilt.handled_commands) == (
        uppdrag.status,
        uppdrag.giver,
        uppdrag.recipient,
        uppdrag.version,
        uppdrag.handled_commands,
    )
