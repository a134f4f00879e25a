"""The statuses of uppdrag and avvikelser as people read them (stored without å, ä and ö).

Shared by every door that shows a status in words: the command line and the web.
"""

from __future__ import annotations

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.domain.values import UppdragStatus

STATUS_NAMES = {
    "utfardat": "utfärdat",
    "mottaget": "mottaget",
    "rapporterat": "rapporterat",
    "rapport_godkand": "rapport godkänd",
    "rapport_aterforvisad": "rapport återförvisad",
    "slutfort": "slutfört",
    "aterkallat": "återkallat",
    "rapporterad": "rapporterad",
    "kvitterad": "kvitterad",
    "atgard_beslutad": "åtgärd beslutad",
    "stangd": "stängd",
}


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def uppdrag_status(value: str, *, field: str = "status") -> str:
    """An uppdrag status as shown (utfärdat) or as stored (utfardat); refused naming the statuses."""
    wanted = value.strip().lower()
    for status in UppdragStatus:
        if wanted in (status_name(status.value), status.value):
            return status.value
    names = ", ".join(status_name(s.value) for s in UppdragStatus)
    raise InvalidInput(
        f"Statusen '{value}' finns inte; välj bland: {names}.",
        field=field,
        rule="ogiltigt_varde",
    )
