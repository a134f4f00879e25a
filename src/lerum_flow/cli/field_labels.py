"""A record's fields named for a reader: the `--json` key (`json_keys.SWEDISH`) with its å, ä and ö.

Why: the JSON keys are ASCII so that they are easy to type in any tool; a person reading a table
(`audit history`) should read "bedömning", "nivå" and "ägare", not "bedomning", "niva", "agare".
"""

from __future__ import annotations

from collections.abc import Mapping

from lerum_flow.cli.json_keys import SWEDISH

# The keys whose Swedish words have å, ä or ö, as a reader writes them; the rest read as they are,
# with spaces for underscores.
SPELLED: Mapping[str, str] = {
    "agare": "ägare",
    "andrad": "ändrad",
    "andring": "ändring",
    "anmals_till": "anmäls till",
    "anmalt": "anmält",
    "anmalt_dag": "anmält dag",
    "antal_handelser": "antal händelser",
    "ar": "år",
    "arbetsflode_id": "arbetsflödets id",
    "aterkallad_genom_beslut_id": "återkallad genom beslut",
    "aterkallelseskal": "återkallelseskäl",
    "atgard": "åtgärd",
    "bedomd": "bedömd",
    "bedomning": "bedömning",
    "beslutsomrade": "beslutsområde",
    "bradskande": "brådskande",
    "budgetar": "budgetår",
    "delar_rapporterad": "delår rapporterat",
    "delar_sammanfattning": "delår sammanfattning",
    "ersatt_av_id": "ersatt av",
    "flaggat_for_oversyn": "flaggat för översyn",
    "foregaende": "föregående",
    "fran_niva": "från nivå",
    "galler_fran": "gäller från",
    "giltig_fran": "giltig från",
    "helar_rapporterad": "helår rapporterat",
    "helar_sammanfattning": "helår sammanfattning",
    "hoppade_over": "hoppade över",
    "intraffade": "inträffade",
    "kant_per": "känt per",
    "lank": "länk",
    "niva": "nivå",
    "overlamnas_fran": "överlämnas från",
    "overlamningar": "överlämningar",
    "overordnad": "överordnad",
    "overordnat_id": "överordnat",
    "pa_nivan_dag": "på nivån dag",
    "pa_nivan_sedan": "på nivån sedan",
    "provas_senast": "prövas senast",
    "provat_dag": "prövat dag",
    "rackvidd": "räckvidd",
    "rattelser": "rättelser",
    "rela": "relä",
    "riskvarde": "riskvärde",
    "senast_utford": "senast utförd",
    "skal": "skäl",
    "slumpfro": "slumpfrö",
    "stangd": "stängd",
    "till_niva": "till nivå",
    "upprattad": "upprättad",
    "utfardat": "utfärdat",
    "utfardat_registrerat": "utfärdat registrerat",
    "utford": "utförd",
    "utford_av": "utförd av",
}


# Where a field of the code means something else in one kind of event than its JSON key says:
# its label in that event. An internkontroll report's `summary` sums up the year's controls; the
# key 'andring' is what a styrdokument's revision changes.
BY_EVENT: Mapping[tuple[str, str], str] = {
    ("Internkontrollplan.Reported", "summary"): "sammanfattning",
}


def field_label(key: str, event: str = "") -> str:
    """The record field `key` (its English name in the code) of the event `event` (its topic's
    name, e.g. 'Uppdrag.Reported') as a reader reads it in Swedish."""
    if (event, key) in BY_EVENT:
        return BY_EVENT[event, key]
    swedish = SWEDISH.get(key, key)
    return SPELLED.get(swedish, swedish.replace("_", " "))
