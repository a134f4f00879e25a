"""The scenario back up: reports on the units' uppdrag, a decision on delegation, a deviation escalated."""

from __future__ import annotations

from typing import Any

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.script import Chapter, Script, Step


def reporting_back(s: Script, chef_uppdrag: dict[str, Step]) -> Chapter[None]:
    """The schools report; one report is accepted, one returned and reported anew."""
    g = Governance
    s.chapter = "Återrapportering"
    vallhamra = chef_uppdrag["rektor-vallhamra"].id
    torpskolan = chef_uppdrag["rektor-torpskolan"].id
    yield s.act(
        "Rektor i Vallhamra rapporterar: uppfyllt",
        g.report_uppdrag,
        c.ReportUppdrag,
        **s.by("rektor-vallhamra"),
        uppdrag_id=vallhamra,
        assessment="uppfyllt",
        text="Läsombud på alla avdelningar; 92 % av eleverna i åk 3 läser med flyt.",
        period="2027-T1",
        on="2027-04-20",
    )
    yield s.act(
        "Sektor lärande godkänner",
        g.accept_report,
        c.AcceptReport,
        **s.by("larande"),
        uppdrag_id=vallhamra,
        on="2027-04-25",
    )
    yield s.act(
        "Sektor lärande slutför uppdraget",
        g.complete_uppdrag,
        c.CompleteUppdrag,
        **s.by("larande"),
        uppdrag_id=vallhamra,
        on="2027-06-30",
    )
    yield s.act(
        "Rektor på Torpskolan rapporterar: delvis uppfyllt",
        g.report_uppdrag,
        c.ReportUppdrag,
        **s.by("rektor-torpskolan"),
        uppdrag_id=torpskolan,
        assessment="delvis",
        text="Insatserna har startat.",
        period="2027-T1",
        on="2027-04-20",
    )
    yield s.act(
        "Sektor lärande återförvisar rapporten",
        g.return_report,
        c.ReturnReport,
        **s.by("larande"),
        uppdrag_id=torpskolan,
        reason="Rapporten saknar resultat och åtgärder för årskurs 3.",
        on="2027-04-25",
    )
    yield s.act(
        "Rektor på Torpskolan rapporterar på nytt",
        g.report_uppdrag,
        c.ReportUppdrag,
        **s.by("rektor-torpskolan"),
        uppdrag_id=torpskolan,
        assessment="delvis",
        text="78 % läser med flyt i åk 3 (mål 85 %); extra lästid två dagar i veckan från maj.",
        period="2027-T1",
        on="2027-05-02",
    )
    yield s.act(
        "Sektor lärande godkänner",
        g.accept_report,
        c.AcceptReport,
        **s.by("larande"),
        uppdrag_id=torpskolan,
        on="2027-05-05",
    )


def delegated_decision(s: Script, upphandling: Step) -> Chapter[None]:
    """A decision taken on delegation and reported to KS; the auditors may not record one."""
    g = Governance
    s.chapter = "Delegationsbeslut och anmälan"
    delegated = s.act(
        "Kommundirektören tilldelar ett ramavtal på delegation",
        g.take_beslut,
        c.TakeBeslut,
        **s.by("kommundirektor"),
        decided_by="kommundirektor",
        kind="ovrigt",
        diarienummer="KS 2027/31",
        title="Tilldelning av ramavtal för skolskjuts",
        delegering_id=upphandling.id,
        decided_on="2027-02-10",
    )
    yield delegated
    yield s.act(
        "Beslutet anmäls till kommunstyrelsen",
        g.report_beslut,
        c.ReportBeslut,
        **s.by("ks"),
        beslut_id=delegated.id,
        minutes_paragraf="§ 34",
        reported_on="2027-03-08",
    )
    yield s.attempt(
        "Revisorerna försöker registrera ett beslut",
        g.take_beslut,
        c.TakeBeslut,
        **s.by("revisorer"),
        decided_by="revisorer",
        kind="ovrigt",
        diarienummer="KS 2027/99",
        paragraf="§ 1",
        title="Granskningsplan",
        decided_on="2027-03-01",
    )


def deviation_goes_up(s: Script, chef_uppdrag: dict[str, Step]) -> Chapter[None]:
    """A deviation reported (twice: a retry), assessed, escalated, acted on and closed."""
    g = Governance
    s.chapter = "En avvikelse går uppåt"
    avvikelse_fields: dict[str, Any] = {
        "subject_kind": "uppdrag",
        "subject_ref": str(chef_uppdrag["enhetschef-solgarden"].id),
        "severity": "avvikelse",
        "category": "verksamhet",
        "description": "Tre sjuksköterskor slutar i maj; nattbemanningen räcker inte.",
        "occurred_on": "2027-03-14",
    }
    avvikelse = s.act(
        "Enhetschefen på Solgården rapporterar en avvikelse",
        g.report_avvikelse,
        c.ReportAvvikelse,
        **s.by("enhetschef-solgarden"),
        **avvikelse_fields,
    )
    yield avvikelse
    yield s.act(
        "Samma rapport skickas igen (omförsök)",
        g.report_avvikelse,
        c.ReportAvvikelse,
        **s.by("enhetschef-solgarden"),
        **avvikelse_fields,
    )
    a = avvikelse.id
    yield s.act(
        "Sektor vård och omsorg kvitterar",
        g.acknowledge_avvikelse,
        c.AcknowledgeAvvikelse,
        **s.by("vard-och-omsorg"),
        avvikelse_id=a,
        on="2027-03-14",
    )
    yield s.act(
        "Sektorn bedömer den som en större avvikelse",
        g.assess_avvikelse,
        c.AssessAvvikelse,
        **s.by("vard-och-omsorg"),
        avvikelse_id=a,
        severity="storre",
        reason="Nattbemanningen påverkar 40 brukares säkerhet.",
        on="2027-03-15",
    )
    yield s.act(
        "Sektorn eskalerar till kommundirektören",
        g.escalate_avvikelse,
        c.EscalateAvvikelse,
        **s.by("vard-och-omsorg"),
        avvikelse_id=a,
        reason="Kräver beslut om inhyrd personal.",
        on="2027-03-15",
    )
    yield s.act(
        "Kommundirektören kvitterar",
        g.acknowledge_avvikelse,
        c.AcknowledgeAvvikelse,
        **s.by("kommundirektor"),
        avvikelse_id=a,
        on="2027-03-15",
    )
    yield s.act(
        "Kommundirektören beslutar åtgärd",
        g.decide_action,
        c.DecideAction,
        **s.by("kommundirektor"),
        avvikelse_id=a,
        action="Inhyrd bemanning nattetid i tre månader; rekrytering startad.",
        on="2027-03-16",
    )
    yield s.act(
        "Kommundirektören stänger avvikelsen",
        g.close_avvikelse,
        c.CloseAvvikelse,
        **s.by("kommundirektor"),
        avvikelse_id=a,
        resolution="Två sjuksköterskor anställda från 1 juni; inhyrningen avslutad.",
        on="2027-06-01",
    )
