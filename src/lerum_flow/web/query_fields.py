"""The query parameters of the pages by the labels their controls carry, and the way back from a
refusal of one: the same page without the parameter at fault."""

from __future__ import annotations

from fastapi import Request

from lerum_flow.domain.errors import Refusal

# As the pages' own controls label them, so a refusal names the field the person sees.
QUERY_FIELD_LABELS = {
    "as_of": "Dagen",
    "known_on": "Som det var känt dagen",
    "ar": "Budgetår",
    "from": "Beslutade från",
    "to": "Beslutade till och med",
    "fran": "Från rad",
    "slag": "Register",
    "id": "Postens id",
    "format": "Format",
    "level": "Nivå",
    "befattning": "Befattning",
}


def field_label(field: str | None) -> str | None:
    return QUERY_FIELD_LABELS.get(field, field) if field else None


def page_without(request: Request, refusal: Refusal) -> str | None:
    """The page asked for without the query parameter the refusal is about; None when the refusal
    is not about one (nothing to go back to but the start page)."""
    if request.method != "GET" or not refusal.field or refusal.field not in request.query_params:
        return None
    kept = request.url.remove_query_params(refusal.field)
    # Relative to the host: behind a proxy the scheme the server sees may not be the person's.
    return f"{kept.path}?{kept.query}" if kept.query else kept.path
