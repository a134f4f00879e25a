"""View rows built for tests whole, by number: ids are `UUID(int=number)`, what a test does not
name is a plain value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from lerum_flow.domain.styrdokument import StyrdokumentStatus
from lerum_flow.domain.values import UppdragStatus
from lerum_flow.projections.beslut import BeslutRow
from lerum_flow.projections.delegering import DelegeringRow
from lerum_flow.projections.styrdokument import StyrdokumentRow
from lerum_flow.projections.uppdrag import UppdragRow

STAMP = datetime(2027, 1, 1, tzinfo=UTC)


def uid(number: int) -> UUID:
    return UUID(int=number)


def beslut_row(
    number: int, *, decided_by: str = "kf", delegated: bool = False, reported_on: date | None = None
) -> BeslutRow:
    return BeslutRow(
        id=uid(number),
        decided_by=decided_by,
        kind="ovrigt",
        diarienummer=f"KF 2027/{number}",
        paragraf=f"§ {number}",
        title=f"Beslut {number}",
        matter="ekonomi",
        delegering_id=uid(9_000_000 + number) if delegated else None,
        report_to="ks" if delegated else "",
        decided_on=date(2027, 1, 1),
        reported=reported_on is not None,
        reported_on=reported_on,
        minutes_paragraf="",
        corrections=0,
        recorded_at=STAMP,
        changed_at=STAMP,
        secrecy="",
        version=1,
    )


def uppdrag_row(
    number: int,
    title: str,
    *,
    parent: int | None = None,
    origin: int | None = None,
    status: UppdragStatus = UppdragStatus.ISSUED,
    due: date | None = None,
    issued_on: date = date(2027, 2, 1),
    giver: str = "kf",
    recipient: str = "ks",
) -> UppdragRow:
    return UppdragRow(
        id=uid(number),
        kind="uppdrag",
        giver=giver,
        recipient=recipient,
        title=title,
        description="",
        due=due,
        origin_beslut_id=None if origin is None else uid(origin),
        parent_id=None if parent is None else uid(parent),
        status=status.value,
        assessment="",
        period="",
        reports=0,
        issued_on=issued_on,
        status_on=issued_on,
        issued_at=STAMP,
        changed_at=STAMP,
        secrecy="",
        version=1,
    )


def styrdokument_row(
    number: int, title: str, review_by: date | None, status: StyrdokumentStatus = StyrdokumentStatus.IN_FORCE
) -> StyrdokumentRow:
    return StyrdokumentRow(
        id=uid(number),
        document_type="policy",
        title=title,
        adopted_by="kf",
        beslut_id=uid(1),
        latest_beslut_id=uid(1),
        owner="ks",
        scope="",
        parent_id=None,
        status=str(status),
        valid_from=date(2027, 1, 1),
        valid_until=None if status == StyrdokumentStatus.IN_FORCE else date(2027, 6, 1),
        review_by=review_by,
        reviewed_on=None,
        revisions=0,
        review_flagged=False,
        successor_id=None,
        recorded_at=STAMP,
        changed_at=STAMP,
        secrecy="",
        version=1,
    )


def delegering_row(
    number: int,
    delegate: str,
    *,
    parent: int | None = None,
    valid_from: date = date(2027, 1, 1),
    valid_until: date | None = None,
) -> DelegeringRow:
    return DelegeringRow(
        id=uid(number),
        granted_by="ks",
        delegate=delegate,
        matter="upphandling",
        urgent=False,
        beslut_id=uid(1),
        parent_id=None if parent is None else uid(parent),
        conditions="",
        valid_from=valid_from,
        valid_until=valid_until,
        revocation_reason="",
        revoked_by_beslut_id=None,
        granted_at=STAMP,
        changed_at=STAMP,
        version=1,
    )
