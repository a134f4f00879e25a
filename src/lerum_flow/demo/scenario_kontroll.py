"""The scenario's governing documents and internal control: a policy and the riktlinje under it, and
KS's internkontrollplan for the year, whose control finds a brist that becomes a deviation."""

from __future__ import annotations

from lerum_flow import commands as c
from lerum_flow import internkontroll_commands as ik
from lerum_flow import styrdokument_commands as sc
from lerum_flow.application import Governance
from lerum_flow.demo.script import Chapter, Script, Step


def documents_adopted(s: Script) -> Chapter[None]:
    """KF adopts a policy for internal control, KS the riktlinje derived from it; a riktlinje without
    the document it derives from is refused (the styrmodell says it needs one)."""
    g = Governance
    s.chapter = "Styrdokument"
    policy_beslut = yield from _decision(
        s, "kf", "KS 2027/12", "§ 14", "Policy för intern kontroll", "2027-02-15"
    )
    policy = s.act(
        "KF:s policy för intern kontroll registreras som styrdokument",
        g.adopt_styrdokument,
        sc.AdoptStyrdokument,
        **s.by("kf"),
        beslut_id=policy_beslut.id,
        document_type="policy",
        title="Policy för intern kontroll",
        owner="kommundirektor",
    )
    yield policy
    riktlinje_beslut = yield from _decision(
        s, "ks", "KS 2027/31", "§ 40", "Riktlinje för intern kontroll", "2027-03-01"
    )
    yield s.attempt(
        "KS försöker registrera riktlinjen utan den policy den härleds ur",
        g.adopt_styrdokument,
        sc.AdoptStyrdokument,
        **s.by("ks"),
        beslut_id=riktlinje_beslut.id,
        document_type="riktlinje",
        title="Riktlinje för intern kontroll",
        owner="kommundirektor",
    )
    yield s.act(
        "KS:s riktlinje registreras under policyn",
        g.adopt_styrdokument,
        sc.AdoptStyrdokument,
        **s.by("ks"),
        beslut_id=riktlinje_beslut.id,
        document_type="riktlinje",
        title="Riktlinje för intern kontroll",
        owner="kommundirektor",
        parent_styrdokument_id=policy.id,
    )


def internal_control(s: Script) -> Chapter[None]:
    """The kommundirektör drafts KS's plan, KS adopts it; sektor lärande's control finds a brist, which
    opens a deviation; KS reports the results with the delårsrapport."""
    g = Governance
    s.chapter = "Intern kontroll"
    plan = s.act(
        "Kommundirektören upprättar KS:s internkontrollplan 2027",
        g.open_internkontrollplan,
        ik.OpenInternkontrollplan,
        **s.by("kommundirektor"),
        organ="ks",
        year=2027,
        opened_on="2027-01-10",
    )
    yield plan
    yield s.act(
        "Risken jäv vid upphandling bedöms (sannolikhet 3, konsekvens 4) och väljs för kontroll",
        g.identify_risk,
        ik.IdentifyRisk,
        **s.by("kommundirektor"),
        plan_id=plan.id,
        title="Jäv vid upphandling",
        probability=3,
        consequence=4,
        on="2027-01-10",
    )
    yield s.act(
        "Sektor lärande får kontrollen: jävsdeklarationer, stickprov varje halvår",
        g.plan_control,
        ik.PlanControl,
        **s.by("kommundirektor"),
        plan_id=plan.id,
        risk=1,
        title="Jävsdeklarationer vid upphandling",
        owner="larande",
        method="Stickprov på tio upphandlingar.",
        frequency="halvar",
        on="2027-01-10",
    )
    beslut = yield from _decision(s, "ks", "KS 2027/5", "§ 8", "Internkontrollplan 2027", "2027-01-25")
    yield s.act(
        "KS antar planen",
        g.adopt_internkontrollplan,
        ik.AdoptInternkontrollplan,
        **s.by("ks"),
        plan_id=plan.id,
        beslut_id=beslut.id,
    )
    yield s.act(
        "Sektor lärande utför kontrollen: brist, som blir en avvikelse",
        g.record_kontrollresultat,
        ik.RecordKontrollresultat,
        **s.by("larande"),
        plan_id=plan.id,
        control=1,
        outcome="brist",
        comment="Två av tio upphandlingar saknar jävsdeklaration.",
        action="Deklaration vid varje upphandling; uppföljning i höst.",
        performed_on="2027-06-15",
    )
    yield s.act(
        "KS rapporterar resultaten med delårsrapporten",
        g.report_internkontroll,
        ik.ReportInternkontroll,
        **s.by("ks"),
        plan_id=plan.id,
        period="delar",
        summary="En brist i jävshanteringen; åtgärd beslutad.",
        reported_on="2027-10-05",
    )


def _decision(s: Script, organ: str, diarienummer: str, paragraf: str, title: str, on: str) -> Chapter[Step]:
    """The organ's own decision, which a document or a plan then refers to."""
    step = s.act(
        f"{organ.upper()} beslutar: {title}",
        Governance.take_beslut,
        c.TakeBeslut,
        **s.by(organ),
        decided_by=organ,
        kind="ovrigt",
        diarienummer=diarienummer,
        paragraf=paragraf,
        title=title,
        decided_on=on,
    )
    yield step
    return step
