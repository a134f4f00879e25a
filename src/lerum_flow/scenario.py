"""The demo scenario: Lerum records one budget year, from KF's goals down to a unit and back.

A script of commands against a `Governance`, yielded one `Step` at a time so
the caller can show them as they happen. Two steps are illegal on purpose and
must be refused; one is a retry and must be recognised as already recorded.
It uses the position codes of the shipped Lerum styrmodell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from lerum_flow import commands as c
from lerum_flow.application import Governance, Outcome
from lerum_flow.commands import Command, parse_command
from lerum_flow.domain.errors import Refusal

TCommand = TypeVar("TCommand", bound=Command)

# Pseudonymous person ids: events never carry names (see STYRMODELL.md §8).
# The kanslienhet records the organs' decisions.
PEOPLE = {
    "kf": "p-kansli-01",
    "ks": "p-kansli-01",
    "revisorer": "p-rev-01",
    "kommundirektor": "p-0002",
    "larande": "p-0103",
    "vard-och-omsorg": "p-0105",
    "rektor-vallhamra": "p-1201",
    "rektor-torpskolan": "p-1202",
    "enhetschef-solgarden": "p-1310",
}


@dataclass(frozen=True)
class Step:
    """One command of the script and what became of it."""

    chapter: str
    text: str
    actor: str
    outcome: Outcome | None = None
    refusal: Refusal | None = None

    @property
    def id(self) -> UUID:
        assert self.outcome is not None, "a refused step has no id"
        return self.outcome.id


class ScenarioBroken(Exception):  # noqa: N818 - reads as what happened to the scenario
    """A step did the opposite of what the script expects: refused, or recorded when illegal."""

    def __init__(self, step: Step) -> None:
        super().__init__(step.text)
        self.step = step


class _Script:
    def __init__(self, governance: Governance) -> None:
        self.governance = governance
        self.chapter = ""

    def act(
        self,
        what: str,
        handle: Callable[[Governance, TCommand], Outcome],
        command_class: type[TCommand],
        actor: str,
        /,
        **fields: Any,
    ) -> Step:
        step = self._run(what, handle, command_class, actor, fields)
        if step.refusal is not None:
            raise ScenarioBroken(step)
        return step

    def attempt(
        self,
        what: str,
        handle: Callable[[Governance, TCommand], Outcome],
        command_class: type[TCommand],
        actor: str,
        /,
        **fields: Any,
    ) -> Step:
        """A step the law or the styrkedja must refuse."""
        step = self._run(what, handle, command_class, actor, fields)
        if step.refusal is None:
            raise ScenarioBroken(step)
        return step

    def _run(
        self,
        what: str,
        handle: Callable[[Governance, TCommand], Outcome],
        command_class: type[TCommand],
        actor: str,
        fields: dict[str, Any],
    ) -> Step:
        try:
            command = parse_command(command_class, actor=actor, person=PEOPLE[actor], **fields)
            outcome = handle(self.governance, command)
        except Refusal as refusal:
            return Step(self.chapter, what, actor, refusal=refusal)
        return Step(self.chapter, what, actor, outcome=outcome)


def run_scenario(governance: Governance) -> Iterator[Step]:
    """Record Lerum's year; each step is yielded as soon as it is done."""
    s = _Script(governance)
    g = Governance

    s.chapter = "Fullmäktige sätter mål och budget"
    vilja = s.act(
        "KF antar Vilja och mål 2027–2030",
        g.take_beslut,
        c.TakeBeslut,
        "kf",
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
        "kf",
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
        "kf",
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
        "ks",
        uppdrag_id=ks_uppdrag.id,
        on="2026-11-30",
    )

    s.chapter = "Kommunstyrelsen planerar och delegerar"
    plan = s.act(
        "KS antar verksamhetsplan 2027",
        g.take_beslut,
        c.TakeBeslut,
        "ks",
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
        "ks",
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
        "ks",
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
        "ks",
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
        "ks",
        delegates=["kommundirektor"],
        matter="verksamhetsplan",
        beslut_id=ordning.id,
        valid_from="2027-01-01",
    )
    yield s.attempt(
        "KS försöker delegera personalfrågor gemensamt till två tjänstepersoner",
        g.grant_delegering,
        c.GrantDelegering,
        "ks",
        delegates=["kommundirektor", "larande"],
        matter="personal",
        beslut_id=ordning.id,
        valid_from="2027-01-01",
    )

    s.chapter = "Kommundirektören bryter ned uppdraget"
    kd_uppdrag = s.act(
        "KS ger kommundirektören uppdraget att verkställa verksamhetsplanen",
        g.issue_uppdrag,
        c.IssueUppdrag,
        "ks",
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
        "kommundirektor",
        uppdrag_id=kd_uppdrag.id,
        on="2026-12-16",
    )
    larande = s.act(
        "Kommundirektören ger sektor lärande ett deluppdrag",
        g.issue_uppdrag,
        c.IssueUppdrag,
        "kommundirektor",
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
        "kommundirektor",
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
        "larande",
        uppdrag_id=larande.id,
        on="2027-01-05",
    )
    yield s.act(
        "Sektor vård och omsorg tar emot",
        g.accept_uppdrag,
        c.AcceptUppdrag,
        "vard-och-omsorg",
        uppdrag_id=omsorg.id,
        on="2027-01-05",
    )

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
            parent,
            code=code,
            name=name,
            kind="chef",
            parent=parent,
            established_on="2027-01-10",
        )

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
            giver,
            recipient=code,
            title=title,
            parent_id=parent_step.id,
            due="2027-06-30",
            issued_on="2027-01-15",
        )
        chef_uppdrag[code] = step
        yield step
        yield s.act(
            f"{code} tar emot", g.accept_uppdrag, c.AcceptUppdrag, code, uppdrag_id=step.id, on="2027-01-16"
        )

    s.chapter = "Återrapportering"
    vallhamra = chef_uppdrag["rektor-vallhamra"].id
    torpskolan = chef_uppdrag["rektor-torpskolan"].id
    yield s.act(
        "Rektor i Vallhamra rapporterar: uppfyllt",
        g.report_uppdrag,
        c.ReportUppdrag,
        "rektor-vallhamra",
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
        "larande",
        uppdrag_id=vallhamra,
        on="2027-04-25",
    )
    yield s.act(
        "Sektor lärande slutför uppdraget",
        g.complete_uppdrag,
        c.CompleteUppdrag,
        "larande",
        uppdrag_id=vallhamra,
        on="2027-06-30",
    )
    yield s.act(
        "Rektor på Torpskolan rapporterar: delvis uppfyllt",
        g.report_uppdrag,
        c.ReportUppdrag,
        "rektor-torpskolan",
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
        "larande",
        uppdrag_id=torpskolan,
        reason="Rapporten saknar resultat och åtgärder för årskurs 3.",
        on="2027-04-25",
    )
    yield s.act(
        "Rektor på Torpskolan rapporterar på nytt",
        g.report_uppdrag,
        c.ReportUppdrag,
        "rektor-torpskolan",
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
        "larande",
        uppdrag_id=torpskolan,
        on="2027-05-05",
    )

    s.chapter = "Delegationsbeslut och anmälan"
    delegated = s.act(
        "Kommundirektören tilldelar ett ramavtal på delegation",
        g.take_beslut,
        c.TakeBeslut,
        "kommundirektor",
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
        "ks",
        beslut_id=delegated.id,
        minutes_paragraf="§ 34",
        reported_on="2027-03-08",
    )
    yield s.attempt(
        "Revisorerna försöker registrera ett beslut",
        g.take_beslut,
        c.TakeBeslut,
        "revisorer",
        decided_by="revisorer",
        kind="ovrigt",
        diarienummer="KS 2027/99",
        paragraf="§ 1",
        title="Granskningsplan",
        decided_on="2027-03-01",
    )

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
        "enhetschef-solgarden",
        **avvikelse_fields,
    )
    yield avvikelse
    yield s.act(
        "Samma rapport skickas igen (omförsök)",
        g.report_avvikelse,
        c.ReportAvvikelse,
        "enhetschef-solgarden",
        **avvikelse_fields,
    )
    a = avvikelse.id
    yield s.act(
        "Sektor vård och omsorg kvitterar",
        g.acknowledge_avvikelse,
        c.AcknowledgeAvvikelse,
        "vard-och-omsorg",
        avvikelse_id=a,
        on="2027-03-14",
    )
    yield s.act(
        "Sektorn bedömer den som en större avvikelse",
        g.assess_avvikelse,
        c.AssessAvvikelse,
        "vard-och-omsorg",
        avvikelse_id=a,
        severity="storre",
        reason="Nattbemanningen påverkar 40 brukares säkerhet.",
        on="2027-03-15",
    )
    yield s.act(
        "Sektorn eskalerar till kommundirektören",
        g.escalate_avvikelse,
        c.EscalateAvvikelse,
        "vard-och-omsorg",
        avvikelse_id=a,
        reason="Kräver beslut om inhyrd personal.",
        on="2027-03-15",
    )
    yield s.act(
        "Kommundirektören kvitterar",
        g.acknowledge_avvikelse,
        c.AcknowledgeAvvikelse,
        "kommundirektor",
        avvikelse_id=a,
        on="2027-03-15",
    )
    yield s.act(
        "Kommundirektören beslutar åtgärd",
        g.decide_action,
        c.DecideAction,
        "kommundirektor",
        avvikelse_id=a,
        action="Inhyrd bemanning nattetid i tre månader; rekrytering startad.",
        on="2027-03-16",
    )
    yield s.act(
        "Kommundirektören stänger avvikelsen",
        g.close_avvikelse,
        c.CloseAvvikelse,
        "kommundirektor",
        avvikelse_id=a,
        resolution="Två sjuksköterskor anställda från 1 juni; inhyrningen avslutad.",
        on="2027-06-01",
    )


def recorded_events(governance: Governance) -> Counter[str]:
    """How many events of each kind the store holds, read from its notification log."""
    return governance.topic_counts()
