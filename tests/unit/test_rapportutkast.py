"""A report's draft in the record, and the decision adopting the report naming the draft it was given."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from unit.governance_world import governance, refused, send

from lerum_flow.application import Governance
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import InvalidInput

DIGEST = "a" * 64


@pytest.fixture
def app() -> Governance:
    return governance()


def _draft(app: Governance, report: str = "arsredovisning", digest: str = DIGEST) -> None:
    send(
        app,
        "record_rapportutkast",
        "ks",
        report=report,
        title="Årsredovisning 2027",
        digest=digest,
        log_position=20,
        as_of=date(2027, 12, 31),
        made_on=date(2028, 2, 1),
    )


def _adopt(app: Governance, kind: str, digest: str) -> UUID:
    return send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind=kind,
        diarienummer="KF 2028/12",
        paragraf="§ 30",
        title="Årsredovisning 2027",
        decided_on=date(2028, 4, 10),
        report_digest=digest,
    ).id


def test_the_adopting_decision_records_the_digest_of_the_draft(app: Governance) -> None:
    """An auditor reads in the decision which version of the report KF was given."""
    _draft(app)
    taken = app.events_of(_adopt(app, "arsredovisning", DIGEST))[0]
    assert isinstance(taken, Beslut.Taken)
    assert taken.report_digest == DIGEST


def test_a_draft_of_one_report_is_not_adopted_by_a_decision_on_another(app: Governance) -> None:
    """The årsredovisning's draft cannot be what a delårsrapport decision adopts."""
    _draft(app)
    refusal = refused(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="delarsrapport",
        diarienummer="KF 2028/12",
        paragraf="§ 30",
        title="Delårsrapport",
        decided_on=date(2028, 4, 10),
        report_digest=DIGEST,
    )
    assert refusal.rule == "utkast_fel_slag"


def test_a_digest_that_is_not_a_sha256_is_refused(app: Governance) -> None:
    """Only the 64 hex digits the report command writes name a draft."""
    with pytest.raises(InvalidInput, match="ingen sha256-summa"):
        _draft(app, digest="abc")


def test_recording_the_same_draft_twice_records_it_once(app: Governance) -> None:
    """The draft's id comes from its digest: the same bytes are one draft."""
    _draft(app)
    head = app.head()
    _draft(app)
    assert app.head() == head
