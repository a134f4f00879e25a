"""The statuses of uppdrag and avvikelser as people read them (stored without å, ä and ö).

Shared by every door that shows a status in words: the command line and the web.
"""

from __future__ import annotations

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
