"""The demo's short script, in memory: every chapter as the story tells it, its refusals the law's and
the styrmodell's, and governing documents and internal control recorded like everything else."""

from __future__ import annotations

from lerum_flow.application import Governance
from lerum_flow.demo.scenario import run_scenario
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.internkontroll import Internkontrollplan, internkontrollplan_id
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.styrmodell import default_styrmodell


def test_the_script_tells_its_year_with_documents_and_internal_control_and_the_refusals_it_promises() -> None:
    app = Governance(default_styrmodell(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    steps = list(run_scenario(app))

    chapters = list(dict.fromkeys(step.chapter for step in steps))
    assert chapters[-2:] == ["Styrdokument", "Intern kontroll"]
    refused = [step.refusal.rule for step in steps if step.refusal is not None]
    assert refused == [
        "ej_forordnad",
        "ej_delegerbart",
        "aldrig_gemensam_delegering",
        "revisorer_laser",
        "overordnad_kravs",
    ]

    plan = app.get_record(internkontrollplan_id("ks", 2027))
    assert isinstance(plan, Internkontrollplan)
    assert plan.reported.keys() == {"delar"}
    [brist] = [e for e in app.events_of(plan.id) if isinstance(e, Internkontrollplan.ResultRecorded)]
    assert brist.avvikelse_id is not None
    assert isinstance(app.get_record(brist.avvikelse_id), Avvikelse)
    documents = [
        s for s in steps if s.chapter == "Styrdokument" and s.refusal is None and "registreras" in s.text
    ]
    assert all(isinstance(app.get_record(s.id), Styrdokument) for s in documents)
    assert len(documents) == 2
