"""Stamps and ready-made aggregates for the pure domain tests (no application, no store)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from lerum_flow.domain.aggregate import Stamp
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import Actor

DAY = date(2027, 3, 1)
SCALE = ["uppfyllt", "delvis_uppfyllt", "ej_uppfyllt"]
SEVERITIES = ["lindrig", "allvarlig", "mycket_allvarlig"]


def stamp(position: str, *, on: date = DAY, person: str = "", command_id: UUID | None = None) -> Stamp:
    """A fresh command by the holder of `position`, effective `on`."""
    return Stamp(
        command_id=command_id or uuid4(),
        actor=Actor(position=position, person=person or f"person-{position}"),
        recorded_at=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        effective_on=on,
    )


def issued_uppdrag(giver: str = "ks", recipient: str = "kommundirektor") -> Uppdrag:
    return Uppdrag.issue(
        uuid4(),
        stamp(giver),
        kind="uppdrag",
        giver=giver,
        recipient=recipient,
        title="Minska sjukfrånvaron",
        description="",
        due=date(2027, 12, 31),
        origin_beslut_id=uuid4(),
        parent_id=None,
    )


def accepted_uppdrag() -> Uppdrag:
    uppdrag = issued_uppdrag()
    uppdrag.accept(stamp(uppdrag.recipient))
    return uppdrag


def reported_uppdrag() -> Uppdrag:
    uppdrag = accepted_uppdrag()
    uppdrag.report(stamp(uppdrag.recipient), assessment="uppfyllt", text="Klart.", period="", scale=SCALE)
    return uppdrag


def report_accepted_uppdrag() -> Uppdrag:
    uppdrag = reported_uppdrag()
    uppdrag.accept_report(stamp(uppdrag.giver), comment="")
    return uppdrag


def completed_uppdrag() -> Uppdrag:
    uppdrag = report_accepted_uppdrag()
    uppdrag.complete(stamp(uppdrag.giver), comment="")
    return uppdrag


def organ_beslut(decided_by: str = "ks", kind: str = "ovrigt") -> Beslut:
    return Beslut.take(
        uuid4(),
        stamp(decided_by),
        decided_by=decided_by,
        kind=kind,
        diarienummer="KS 2027/1",
        paragraf="§ 1",
        title="Beslut",
    )


def delegated_beslut(decided_by: str = "kommundirektor", report_to: str = "ks") -> Beslut:
    return Beslut.take(
        uuid4(),
        stamp(decided_by),
        decided_by=decided_by,
        kind="ovrigt",
        diarienummer="KS 2027/2",
        paragraf="",
        title="Delegationsbeslut",
        matter="upphandling",
        delegering_id=uuid4(),
        report_to=report_to,
    )


def delegering(
    granted_by: str = "ks", delegate: str = "kommundirektor", valid_from: date = DAY
) -> Delegering:
    return Delegering.grant(
        uuid4(),
        stamp(granted_by, on=valid_from),
        granted_by=granted_by,
        delegate=delegate,
        matter="upphandling",
        urgent=False,
        beslut_id=uuid4(),
        parent_id=None,
        conditions="",
    )


def avvikelse(reporter: str = "chef-a", level: str = "sektorschef-a") -> Avvikelse:
    return Avvikelse.report(
        uuid4(),
        stamp(reporter),
        subject_kind="handelse",
        subject_ref="brand",
        severity="lindrig",
        category="ekonomi",
        description="Budgeten överskrids.",
        level=level,
    )


def acknowledged_avvikelse() -> Avvikelse:
    deviation = avvikelse()
    deviation.acknowledge(stamp(deviation.level, person="p-first"))
    return deviation


def closed_avvikelse() -> Avvikelse:
    deviation = acknowledged_avvikelse()
    deviation.close(stamp(deviation.level), resolution="Åtgärdat.")
    return deviation
