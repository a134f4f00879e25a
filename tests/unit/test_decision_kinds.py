"""A decision's kind as the municipality names it: the engine's own kinds, or the styrmodell's
document types, mapped to the kind the law and the årshjul know and kept beside it."""

from __future__ import annotations

from datetime import date

import pytest
from unit.governance_world import governance, refused, send

from lerum_flow.application import Governance
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.errors import InvalidInput, NotPermitted

DAY = date(2027, 3, 1)


@pytest.fixture
def app() -> Governance:
    return governance()


def decision(kind: str, organ: str = "ks", number: str = "1") -> dict[str, object]:
    return {
        "decided_by": organ,
        "kind": kind,
        "diarienummer": f"KS 2027/{number}",
        "paragraf": f"§ {number}",
        "title": "Riktlinje för intern kontroll",
        "decided_on": DAY,
    }


def test_a_document_type_of_the_model_is_a_kind_of_decision_kept_beside_the_kind_it_maps_to(
    app: Governance,
) -> None:
    taken = send(app, "take_beslut", "ks", **decision("riktlinje"))
    beslut = app.get_record(taken.id)
    assert isinstance(beslut, Beslut)
    assert (beslut.kind, beslut.document_type) == ("ovrigt", "riktlinje")
    [event] = app.events_of(taken.id)
    assert isinstance(event, Beslut.Taken)
    assert (event.kind, event.document_type) == ("ovrigt", "riktlinje")


def test_an_engine_kind_is_recorded_as_before_with_no_document_type(app: Governance) -> None:
    taken = send(app, "take_beslut", "ks", **decision("verksamhetsplan", number="2"))
    [event] = app.events_of(taken.id)
    assert isinstance(event, Beslut.Taken)
    assert (event.kind, event.document_type) == ("verksamhetsplan", None)


def test_a_document_type_is_adopted_only_by_the_organs_its_type_names(app: Governance) -> None:
    """Lerum's rutin is adopted by a förvaltningschef or sektorschef, never by KS; other 'ovrigt'
    types that KS may adopt do not let it take a rutin."""
    refusal = refused(app, "take_beslut", "ks", **decision("rutin"))
    assert isinstance(refusal, NotPermitted)
    assert refusal.rule == "antas_av"
    assert "Rutin" in refusal.message


def test_an_unknown_kind_is_refused_naming_the_models_kinds_with_a_close_one(app: Governance) -> None:
    refusal = refused(app, "take_beslut", "ks", **decision("riktlinjen"))
    assert isinstance(refusal, InvalidInput)
    assert (refusal.field, refusal.rule) == ("kind", "okant_beslutsslag")
    assert "menade du 'riktlinje'?" in refusal.message
    assert "budget" in refusal.message
    assert "taxa" in refusal.message
