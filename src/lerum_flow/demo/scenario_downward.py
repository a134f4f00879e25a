"""The scenario from the top down: KF's goals and budget reach KS, the kommundirektör, sectors and units."""

from __future__ import annotations

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.demo.script import Chapter, Script, Step


def goals_and_budget(s: Script) -> Chapter[None]:
    """KF adopts its goals and the budget; the budget becomes KS's uppdrag."""
    g = Governance
    s.chapter = "Fullmäktige sätter mål och budget"
    vilja = s.act(
        "KF antar Vilja och mål 2027–2030",
        g.take_beslut,
        c.TakeBeslut,
        **s.by("kf"),
        decided_by="kf",
        kind="vilja_och_mal",
        matter="vilja_och_mal",
        diarienummer="KS 2026/410",
        paragraf="§ 112",
        title="Vilja och mål 2027–2030",
        decided_on="2026-11-23",
    )
    yield vilja
    budget = s.act(
        "KF antar budget 2027 med plan 2028–2029 och skattesatsen",
        g.take_beslut,
        c.TakeBeslut,
        **s.by("kf"),
        decided_by="kf",
        kind="budget",
        matter="budget",
        diarienummer="KS 2026/388",
        paragraf="§ 113",
        title="Budget 2027, plan 2028–2029, skattesats 21,64 kr",
        decided_on="2026-11-23",
    )
    yield budget
    ks_uppdrag = s.act(
        "Budgeten blir KF:s uppdrag till kommunstyrelsen",
        g.issue_uppdrag,
        c.IssueUppdrag,
        **s.by("kf"),
        recipient="ks",
        title="Genomför budget 2027 och arbeta mot målen i Vilja och mål",
        origin_beslut_id=budget.id,
        due="2027-12-31",
        issued_on="2026-11-23",
    )
    yield ks_uppdrag
    yield s.act(
        "KS tar emot uppdraget",
        g.accept_uppdrag,
        c.AcceptUppdrag,
        **s.by("ks"),
        uppdrag_id=ks_uppdrag.id,
        on="2026-11-30",
    )


def plans_and_delegations(s: Script) -> Chapter[tuple[Step, Step]]:
    """KS adopts its plan and delegates; two delegations the law forbids are refused.

    Returns the verksamhetsplan and the delegation of procurement."""
    g = Governance
    s.chapter = "Kommunstyrelsen planerar och delegerar"
    plan = s.act(
        "KS antar verksamhetsplan 2027",
        g.take_beslut,
        c.TakeBeslut,
        **s.by("ks"),
        decided_by="ks",
        kind="verksamhetsplan",
        matter="verksamhetsplan",
        diarienummer="KS 2026/450",
        paragraf="§ 201",
        title="Verksamhetsplan 2027",
        decided_on="2026-12-14",
    )
    yield plan
    ordning = s.act(
        "KS antar delegationsordning",
        g.take_beslut,
        c.TakeBeslut,
        **s.by("ks"),
        decided_by="ks",
        kind="delegationsordning",
        matter="delegationsordning",
        diarienummer="KS 2026/451",
        paragraf="§ 202",
        title="Delegationsordning för kommunstyrelsen",
        decided_on="2026-12-14",
    )
    yield ordning
    personal = s.act(
        "KS delegerar personalfrågor till kommundirektören",
        g.grant_delegering,
        c.GrantDelegering,
        **s.by("ks"),
        delegates=["kommundirektor"],
        matter="personal",
        beslut_id=ordning.id,
        valid_from="2027-01-01",
    )
    yield personal
    upphandling = s.act(
        "KS delegerar upphandling och avtal till kommundirektören",
        g.grant_delegering,
        c.GrantDelegering,
        **s.by("ks"),
        delegates=["kommundirektor"],
        matter="upphandling",
        beslut_id=ordning.id,
        valid_from="2027-01-01",
        conditions="Upp till 5 miljoner kronor per avtal.",
    )
    yield upphandling
    yield s.attempt(
        "KS försöker delegera verksamhetsplanen (inriktning) till kommundirektören",
        g.grant_delegering,
        c.GrantDelegering,
        **s.by("ks"),
        delegates=["kommundirektor"],
        matter="verksamhetsplan",
        beslut_id=ordning.id,
        valid_from="2027-01-01",
    )
    yield s.attempt(
        "KS försöker delegera personalfrågor gemensamt till två tjänstepersoner",
        g.grant_delegering,
        c.GrantDelegering,
        **s.by("ks"),
        delegates=["kommundirektor", "larande"],
        matter="personal",
        beslut_id=ordning.id,
        valid_from="2027-01-01",
    )
    return plan, upphandling


def director_breaks_down(s: Script, plan: Step) -> Chapter[tuple[Step, Step]]:
    """The kommundirektör takes on the plan and gives two sectors a part each; returns their uppdrag."""
    g = Governance
    s.chapter = "Kommundirektören bryter ned uppdraget"
    kd_uppdrag = s.act(
        "KS ger kommundirektören uppdraget att verkställa verksamhetsplanen",
        g.issue_uppdrag,
        c.IssueUppdrag,
        **s.by("ks"),
        recipient="kommundirektor",
        title="Verkställ verksamhetsplan 2027",
        origin_beslut_id=plan.id,
        due="2027-12-31",
        issued_on="2026-12-15",
    )
    yield kd_uppdrag
    yield s.act(
        "Kommundirektören tar emot uppdraget",
        g.accept_uppdrag,
        c.AcceptUppdrag,
        **s.by("kommundirektor"),
        uppdrag_id=kd_uppdrag.id,
        on="2026-12-16",
    )
    larande = s.act(
        "Kommundirektören ger sektor lärande ett deluppdrag",
        g.issue_uppdrag,
        c.IssueUppdrag,
        **s.by("kommundirektor"),
        recipient="larande",
        title="Fler elever ska nå kunskapskraven i svenska",
        parent_id=kd_uppdrag.id,
        due="2027-12-31",
        issued_on="2027-01-04",
    )
    yield larande
    omsorg = s.act(
        "Kommundirektören ger sektor vård och omsorg ett deluppdrag",
        g.issue_uppdrag,
        c.IssueUppdrag,
        **s.by("kommundirektor"),
        recipient="vard-och-omsorg",
        title="Kortare väntetid till särskilt boende",
        parent_id=kd_uppdrag.id,
        due="2027-12-31",
        issued_on="2027-01-04",
    )
    yield omsorg
    yield s.act(
        "Sektor lärande tar emot",
        g.accept_uppdrag,
        c.AcceptUppdrag,
        **s.by("larande"),
        uppdrag_id=larande.id,
        on="2027-01-05",
    )
    yield s.act(
        "Sektor vård och omsorg tar emot",
        g.accept_uppdrag,
        c.AcceptUppdrag,
        **s.by("vard-och-omsorg"),
        uppdrag_id=omsorg.id,
        on="2027-01-05",
    )
    return larande, omsorg


def units_established(s: Script) -> Chapter[None]:
    """The sectors establish the three units the story follows."""
    g = Governance
    s.chapter = "Chefer och enheter inrättas"
    units = [
        ("rektor-vallhamra", "Rektor, Vallhamra skola", "larande"),
        ("rektor-torpskolan", "Rektor, Torpskolan", "larande"),
        ("enhetschef-solgarden", "Enhetschef, Solgårdens särskilda boende", "vard-och-omsorg"),
    ]
    for code, name, parent in units:
        yield s.act(
            f"{parent} inrättar {name}",
            g.establish_befattning,
            c.EstablishBefattning,
            **s.by(parent),
            code=code,
            name=name,
            kind="chef",
            parent=parent,
            established_on="2027-01-10",
        )


def uppdrag_reach_units(s: Script, larande: Step, omsorg: Step) -> Chapter[dict[str, Step]]:
    """Each unit's chef receives a part of its sector's uppdrag; returns them by unit."""
    g = Governance
    s.chapter = "Uppdragen når enheterna"
    chef_uppdrag: dict[str, Step] = {}
    for code, title, parent_step, giver in [
        ("rektor-vallhamra", "Läsfrämjande insatser i årskurs 1–3", larande, "larande"),
        ("rektor-torpskolan", "Läsfrämjande insatser i årskurs 1–3", larande, "larande"),
        ("enhetschef-solgarden", "Planera för fyra nya boendeplatser", omsorg, "vard-och-omsorg"),
    ]:
        step = s.act(
            f"{giver} ger {code} uppdraget '{title}'",
            g.issue_uppdrag,
            c.IssueUppdrag,
            **s.by(giver),
            recipient=code,
            title=title,
            parent_id=parent_step.id,
            due="2027-06-30",
            issued_on="2027-01-15",
        )
        chef_uppdrag[code] = step
        yield step
        yield s.act(
            f"{code} tar emot",
            g.accept_uppdrag,
            c.AcceptUppdrag,
            **s.by(code),
            uppdrag_id=step.id,
            on="2027-01-16",
        )
    return chef_uppdrag
