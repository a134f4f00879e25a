"""One language in `--json`: the record's English field names said in Swedish.

Events and view rows name their fields in English (the code's language);
the command line's JSON speaks Swedish throughout, ASCII only (no å, ä, ö)
so keys are easy to type in any tool. Every JSON document goes through
`swedish_keys`; a key without an entry here is already Swedish or an id.
Changing an entry changes the public contract: add, never rename. View names
(`uppdrag_view`, ...) are names of tables, not words, and stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SWEDISH: Mapping[str, str] = {
    "action": "atgard",
    "actor": "som",
    "assessment": "bedomning",
    "budget_kind": "budgettyp",
    "budget_year": "budgetar",
    "category": "kategori",
    "changed_at": "andrad",
    "code": "kod",
    "command_id": "kommando_id",
    "comment": "kommentar",
    "conditions": "villkor",
    "corrections": "rattelser",
    "deadline": "frist",
    "decided_by": "beslutat_av",
    "decided_on": "beslutsdag",
    "delegate": "delegat",
    "description": "beskrivning",
    "due": "slutdatum",
    "effective_on": "galler_fran",
    "from_level": "fran_niva",
    "giver": "givare",
    "granted_at": "beviljad_registrerad",
    "granted_by": "beviljad_av",
    "issued_at": "utfardat_registrerat",
    "issued_on": "utfardat",
    "kind": "slag",
    "level": "niva",
    "matter": "beslutsomrade",
    "minutes_paragraf": "protokollsparagraf",
    "name": "namn",
    "origin_beslut_id": "ursprungsbeslut_id",
    "parent": "overordnad",
    "parent_id": "overordnat_id",
    "reason": "skal",
    "recipient": "mottagare",
    "recorded_at": "registrerad_tid",
    "report_to": "anmals_till",
    "reported": "anmalt",
    "reported_on": "anmalt_dag",
    "reported_to": "rapporterad_till",
    "reports": "rapporter",
    "resolution": "avslut",
    "revocation_reason": "aterkallelseskal",
    "revoked_by_beslut_id": "aterkallad_genom_beslut_id",
    "secrecy": "sekretess",
    "severity": "allvar",
    "skipped": "hoppade_over",
    "status_on": "status_dag",
    "subject_kind": "avser_slag",
    "subject_ref": "avser",
    "title": "rubrik",
    "to_level": "till_niva",
    "urgent": "bradskande",
    "valid_from": "giltig_fran",
    "valid_until": "giltig_till",
    "text": "text",
    "workflow_id": "arbetsflode_id",
    "namespace": "namnrymd",
    "seed": "slumpfro",
    # Internal control (internkontroll).
    "adopted_on": "antagen",
    "assessed_on": "bedomd",
    "chosen": "vald",
    "consequence": "konsekvens",
    "control": "kontroll",
    "controls": "kontroller",
    "deficiencies": "brister",
    "delar_reported_on": "delar_rapporterad",
    "delar_summary": "delar_sammanfattning",
    "frequency": "frekvens",
    "helar_reported_on": "helar_rapporterad",
    "handed_over_on": "overlamnas_fran",
    "handovers": "overlamningar",
    "helar_summary": "helar_sammanfattning",
    "last_performed_on": "senast_utford",
    "method": "metod",
    "number": "nummer",
    "opened_on": "upprattad",
    "outcome": "utfall",
    "performed_by": "utford_av",
    "performed_on": "utford",
    "plan_id": "internkontrollplan_id",
    "probability": "sannolikhet",
    "results": "resultat",
    "risk_value": "riskvarde",
    "risks": "risker",
    "year": "ar",
    "document_type": "dokumenttyp",
    # A report's draft (Rapportutkast) and the decision adopting it.
    "report": "rapport",
    "digest": "sha256",
    "report_digest": "rapport_sha256",
    "log_position": "loggposition",
    "as_of": "per_dag",
    "known_on": "kant_per",
    "adopted_by": "antaget_av",
    "latest_beslut_id": "senaste_beslut_id",
    "owner": "agare",
    "scope": "rackvidd",
    "review_by": "provas_senast",
    "reviewed_on": "provat_dag",
    "revisions": "revideringar",
    "review_flagged": "flaggat_for_oversyn",
    "successor_id": "ersatt_av_id",
    "summary": "andring",
    "cause": "orsak",
    # An avvikelse where it lies in the chain (avvikelse board, audit as-of).
    "reporter": "rapporterad_av",
    "reported_at": "rapporterad_registrerad",
    "occurred_on": "intraffade",
    "at_level_since": "pa_nivan_sedan",
    "at_level_on": "pa_nivan_dag",
    "acknowledged_by": "kvitterad_av",
    "escalations": "eskaleringar",
    "closed_on": "stangd",
    # A checkpoint of the seal (audit verify) and the relay's leader (drift status).
    "event_count": "antal_handelser",
    "link": "lank",
    "sealed_at": "forseglad",
    "previous": "foregaende",
    "relay": "rela",
}


def swedish_keys(data: Any) -> Any:
    """`data` with every mapping key said in Swedish, values untouched, lists and nesting kept."""
    if isinstance(data, Mapping):
        return {
            SWEDISH.get(key, key) if isinstance(key, str) else key: swedish_keys(v) for key, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [swedish_keys(item) for item in data]
    return data
