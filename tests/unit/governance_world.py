"""A Governance application with Lerum's styrmodell and a small valid history, for tests.

`governance()` gives a store whose fixed chain is staffed: `p-<position>` holds
each position of the styrmodell from STAFFED_FROM (KF's is its sekreterare,
who took the register into use), so `send` acts as a person who held the
position; `appoint` gives another person one. `seed(app)` records, through
the application's own commands: KF's budget, KF's
uppdrag to KS (accepted), KS's delegationsordning with a delegering of
procurement to the kommundirektör, the director's vidaredelegation to the
sektorschef for lärande, a chef and a medarbetare under that sector, and an
avvikelse reported by the sektorschef. Integration tests import this module
as `unit.governance_world` (tests/ is on sys.path) so both suites share it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pytest
from unit.memory_lookups import ties_in_memory

from lerum_flow import commands as c
from lerum_flow import internkontroll_commands as ik
from lerum_flow import styrdokument_commands as sc
from lerum_flow.application import Governance, Outcome, utc_now
from lerum_flow.appointments import Holding
from lerum_flow.domain.errors import Refusal
from lerum_flow.domain.forordnande import Role
from lerum_flow.input_dates import EARLIEST, LATEST
from lerum_flow.staffing import Seat, StaffingAct, record_plan, staffing_plan
from lerum_flow.styrmodell import default_styrmodell

MEMORY: Mapping[str, str] = {"PERSISTENCE_MODULE": "eventsourcing.popo"}

# The world's people hold their positions for as long as the record reaches (a test may act on
# the first or last day a date can be), the elected ones for a term as long.
STAFFED_FROM = EARLIEST
TERM_ENDS = LATEST

BUDGET_DAY = date(2026, 6, 15)
DELEGATIONSORDNING_DAY = date(2026, 12, 10)
YEAR_START = date(2027, 1, 1)
DAY = date(2027, 3, 1)

CHEF = "chef-forskola"
MEDARBETARE = "m-anna"
SECTOR = "larande"
PROCUREMENT = "upphandling"

# The command model each method takes, so a test names only the method.
COMMAND_OF: Mapping[str, type[c.Command]] = {
    "establish_befattning": c.EstablishBefattning,
    "discontinue_befattning": c.DiscontinueBefattning,
    "take_beslut": c.TakeBeslut,
    "record_rapportutkast": c.RecordRapportutkast,
    "correct_beslut": c.CorrectBeslut,
    "report_beslut": c.ReportBeslut,
    "grant_delegering": c.GrantDelegering,
    "revoke_delegering": c.RevokeDelegering,
    "issue_uppdrag": c.IssueUppdrag,
    "accept_uppdrag": c.AcceptUppdrag,
    "report_uppdrag": c.ReportUppdrag,
    "accept_report": c.AcceptReport,
    "return_report": c.ReturnReport,
    "revise_uppdrag": c.ReviseUppdrag,
    "complete_uppdrag": c.CompleteUppdrag,
    "withdraw_uppdrag": c.WithdrawUppdrag,
    "report_avvikelse": c.ReportAvvikelse,
    "assess_avvikelse": c.AssessAvvikelse,
    "acknowledge_avvikelse": c.AcknowledgeAvvikelse,
    "escalate_avvikelse": c.EscalateAvvikelse,
    "decide_action": c.DecideAction,
    "close_avvikelse": c.CloseAvvikelse,
    "open_internkontrollplan": ik.OpenInternkontrollplan,
    "identify_risk": ik.IdentifyRisk,
    "plan_control": ik.PlanControl,
    "adopt_internkontrollplan": ik.AdoptInternkontrollplan,
    "hand_over_control": ik.HandOverControl,
    "record_kontrollresultat": ik.RecordKontrollresultat,
    "report_internkontroll": ik.ReportInternkontroll,
    "assess_internkontroll": ik.AssessInternkontroll,
    "adopt_styrdokument": sc.AdoptStyrdokument,
    "revise_styrdokument": sc.ReviseStyrdokument,
    "review_styrdokument": sc.ReviewStyrdokument,
    "repeal_styrdokument": sc.RepealStyrdokument,
    "introduce_register": c.IntroduceRegister,
    "appoint": c.Appoint,
    "end_forordnande": c.EndForordnande,
}
# The review process's commands on documents, recorded as the process (commands.PROCESS_ACTOR).
PROCESS_COMMAND_OF: Mapping[str, type[c.Command]] = {
    "flag_styrdokument_for_review": sc.FlagStyrdokumentForReview,
    "report_overdue_review": sc.ReportOverdueReview,
}


def governance(
    env: Mapping[str, str] = MEMORY, clock: Callable[[], datetime] = utc_now, *, staffed: bool = True
) -> Governance:
    """A Governance on Lerum's styrmodell, its fixed chain staffed unless `staffed` is False (a
    reader); in memory unless another env is given. Staffing a store already staffed records nothing."""
    app = Governance(default_styrmodell(), env=dict(env), clock=clock)
    if staffed:
        staff(app)
    return app


def person_of(position: str) -> str:
    """Who holds `position` in the world."""
    return f"p-{position}"


def _world_seats(
    app: Governance, established: tuple[str, ...] = (), *, person: str | None = None
) -> list[Seat]:
    codes = [p.id for p in app.styrkedja if p.parent is not None] + list(established)
    return [Seat(code, person or person_of(code)) for code in codes]


def _staffing(app: Governance, person: str | None = None) -> list[StaffingAct]:
    root = Seat(app.styrkedja.root().id, person or person_of(app.styrkedja.root().id))
    keeper = _other_keeper(app, root)
    if keeper is None:
        return staffing_plan(
            _world_seats(app, person=person), app.position, on=STAFFED_FROM, until=TERM_ENDS, introduce=root
        )
    # A store another cast took into use (the workload's): its people appoint the world's from
    # the day the register begins (KF's sekreterare having KF appoint the world's), and a seat
    # someone of the world already holds is left as it is.
    on = keeper.term.valid_from
    return staffing_plan(
        [replace(root, role="sekreterare"), *_world_seats(app, person=person)],
        app.position,
        on=on,
        until=TERM_ENDS,
        held=[Seat(h.position, h.person, str(h.term.role)) for h in app.register() if h.term.covers(on)],
        matter="förordnanden i testvärlden",
    )


def _other_keeper(app: Governance, root: Seat) -> Holding | None:
    """The first sekreterare of KF in the register, if it is not the world's own."""
    keepers = [h for h in app.register() if h.position == root.position and h.term.role is Role.SEKRETERARE]
    return keepers[0] if keepers and keepers[0].person != root.person else None


def staff(app: Governance, *, person: str | None = None) -> list[Outcome]:
    """`p-<position>` (or `person`, in every one) holds every position of the fixed chain from
    STAFFED_FROM, KF's as its sekreterare; what each act answered."""
    return record_plan(app, _staffing(app, person))


def staffing_event_count(app: Governance) -> int:
    """How many events the staffing records: one an act, and the introduction's marker."""
    return len(_staffing(app)) + 1


def staffing_decisions(app: Governance) -> list[UUID]:
    """The decisions (KF's elections, KS's appointment of the director) the staffing took, in order."""
    return [act.command.beslut_id() for act in _staffing(app) if isinstance(act.command, c.TakeBeslut)]


def appoint(
    app: Governance,
    position: str,
    person: str | None = None,
    *,
    role: str = "",
    on: date = STAFFED_FROM,
    until: date = TERM_ENDS,
    held: tuple[str, ...] = (),
    holder: str | None = None,
) -> list[Outcome]:
    """`person` (else `p-<position>`) holds `position` from `on`, appointed by the world's holder of
    its appointer: `p-<appointer>`, or `holder` where one person holds every position (positions
    established since must be named in `held` if they appoint)."""
    root = app.styrkedja.root().id
    plan = staffing_plan(
        [Seat(position, person or person_of(position), role)],
        app.position,
        on=on,
        until=until,
        held=[Seat(root, holder or person_of(root), "sekreterare"), *_world_seats(app, held, person=holder)],
    )
    return record_plan(app, plan)


def send(app: Governance, method: str, actor: str, /, **fields: Any) -> Outcome:
    """Parse a command as `actor` (by default as `p-<actor>`, who holds it) and run it, as the CLI
    and the API do."""
    fields.setdefault("person", person_of(actor))
    model = COMMAND_OF[method] if method in COMMAND_OF else PROCESS_COMMAND_OF[method]
    command = c.parse_command(model, actor=actor, **fields)
    return run(app, method, command)


def run(app: Governance, method: str, command: c.Command) -> Outcome:
    """Run a parsed command by its method's name, with what the method reads beside the store: what
    hangs on a position to be discontinued, from views (as the command line reads them) built here
    in memory from the store's log."""
    extra = {"ties": ties_in_memory(app)} if method == "discontinue_befattning" else {}
    outcome: Outcome = getattr(app, method)(command, **extra)
    return outcome


def event_count(app: Governance) -> int:
    """How many events the store holds (its highest notification id)."""
    return app.head()


def refused(app: Governance, method: str, actor: str, /, **fields: Any) -> Refusal:
    """Send a command that must be refused; check it recorded nothing and return the refusal."""
    before = event_count(app)
    with pytest.raises(Refusal) as refusal:
        send(app, method, actor, **fields)
    assert event_count(app) == before
    return refusal.value


# What `seed` records: ten events, and the förordnanden of the chef and medarbetare it establishes.
SEED_EVENTS = 12


@dataclass(frozen=True)
class World:
    budget: UUID
    kf_uppdrag_to_ks: UUID
    delegationsordning: UUID
    delegering: UUID
    director_delegationsordning: UUID
    vidaredelegering: UUID
    avvikelse: UUID


def seed(app: Governance) -> World:
    budget = send(
        app,
        "take_beslut",
        "kf",
        decided_by="kf",
        kind="budget",
        diarienummer="KF 2026/10",
        paragraf="§ 55",
        title="Budget 2027",
        decided_on=BUDGET_DAY,
    ).id
    kf_uppdrag = send(
        app,
        "issue_uppdrag",
        "kf",
        recipient="ks",
        title="Genomför budget 2027",
        origin_beslut_id=budget,
        issued_on=BUDGET_DAY,
        due=date(2027, 12, 31),
    ).id
    send(app, "accept_uppdrag", "ks", uppdrag_id=kf_uppdrag, on=BUDGET_DAY)
    ordning = send(
        app,
        "take_beslut",
        "ks",
        decided_by="ks",
        kind="delegationsordning",
        diarienummer="KS 2026/200",
        paragraf="§ 120",
        title="Delegationsordning 2027",
        decided_on=DELEGATIONSORDNING_DAY,
    ).id
    delegering = send(
        app,
        "grant_delegering",
        "ks",
        delegates=["kommundirektor"],
        matter=PROCUREMENT,
        beslut_id=ordning,
        valid_from=YEAR_START,
    ).id
    director_ordning = send(
        app,
        "take_beslut",
        "kommundirektor",
        decided_by="kommundirektor",
        kind="delegationsordning",
        diarienummer="KS 2027/3",
        title="Vidaredelegation av upphandling",
        decided_on=YEAR_START,
        delegering_id=delegering,
    ).id
    vidare = send(
        app,
        "grant_delegering",
        "kommundirektor",
        delegates=[SECTOR],
        matter=PROCUREMENT,
        beslut_id=director_ordning,
        parent_delegering_id=delegering,
        valid_from=YEAR_START,
    ).id
    send(
        app,
        "establish_befattning",
        SECTOR,
        code=CHEF,
        name="Förskolechef",
        kind="chef",
        parent=SECTOR,
        established_on=YEAR_START,
    )
    appoint(app, CHEF, on=YEAR_START)
    send(
        app,
        "establish_befattning",
        CHEF,
        code=MEDARBETARE,
        name="Förskollärare",
        kind="medarbetare",
        parent=CHEF,
        established_on=YEAR_START,
    )
    appoint(app, MEDARBETARE, on=YEAR_START, held=(CHEF,))
    avvikelse = send(
        app,
        "report_avvikelse",
        SECTOR,
        subject_kind="budgetomrade",
        subject_ref="forskola",
        severity="avvikelse",
        category="ekonomi",
        description="Underskott i förskolan.",
        occurred_on=DAY,
    ).id
    return World(budget, kf_uppdrag, ordning, delegering, director_ordning, vidare, avvikelse)


def revoke_directors_delegering(app: Governance, world: World, valid_from: date) -> Outcome:
    """KS revokes its delegering to the kommundirektör from `valid_from` (a new delegationsordning)."""
    return send(
        app,
        "revoke_delegering",
        "ks",
        delegering_id=world.delegering,
        reason="Ny ordning",
        valid_from=valid_from,
    )


def issue_to_director(app: Governance, world: World, *, title: str = "Lokalplan") -> Outcome:
    """KS breaks its budget uppdrag down to the kommundirektör (issued, not yet accepted)."""
    return send(
        app,
        "issue_uppdrag",
        "ks",
        recipient="kommundirektor",
        title=title,
        parent_id=world.kf_uppdrag_to_ks,
        issued_on=DAY,
    )
