"""Escalation latency on a real dev server and PostgreSQL: a deviation recorded → on the next level's board.

The store runs Lerum's styrmodell with one hour for the sektorschef to
acknowledge, and its clock exactly one hour behind the real one, in this
process (which reports) and in the worker process alike (short_deadlines):
a deviation an enhetschef reports lands at the sektorschef with its deadline
already falling due as it is recorded. Nobody acknowledges, so the whole
pipeline runs at once: the relay (in the worker process, polling the log
at its production interval) starts the escalation workflow, the workflow
reads the deviation, finds the deadline passed, has the miss recorded,
which escalates the deviation to the kommundirektör, whose own deadline
(24 hours) keeps it there. One sample is the time from the report's
command returning until the kommundirektör's board (the avvikelse view
caught up first, then its rows at that level, as `avvikelse board --level`
reads them) first shows the deviation: the log's head is polled every
BOARD_POLL_SECONDS, and the board asked whenever it has moved.

The worker is `lerum-flow worker` in every setting that matters (the
relay's poll interval included, not tuned for this), in a process of its
own (escalation_worker.py). Deviations are reported one at a time, each
after the previous one showed and a random pause, so that none queues
behind another and the moment of reporting falls anywhere in the relay's
poll cycle; then a burst is reported back to back, to show the queueing.
One warm-up deviation first is not counted. Afterwards each sample is split
into stages by the recorded times: the workflow's start (Temporal), its
first activity's completion (its history), the escalation (the store).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from uuid import UUID

from temporalio.api.enums.v1 import EventType

from lerum_flow import commands as c
from lerum_flow.application import Governance
from lerum_flow.bench.escalation_process import state, worker_process
from lerum_flow.bench.report import Figure, Goal, GoalKind, latency_figures
from lerum_flow.bench.timing import percentile
from lerum_flow.demo.short_deadlines import ONE_HOUR, late_clock, one_hour_styrmodell
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.values import AvvikelseSubject
from lerum_flow.input_dates import LATEST
from lerum_flow.municipal_time import business_day
from lerum_flow.projections.avvikelse import AvvikelseProjection, AvvikelseRow
from lerum_flow.projections.store import ViewStore
from lerum_flow.relay import POLL_SECONDS
from lerum_flow.relay_contract import eskalering_workflow_id
from lerum_flow.settings import Settings
from lerum_flow.staffing import Seat, record_plan, staffing_plan
from lerum_flow.styrmodell import load_styrmodell
from lerum_flow.temporal_runtime import TemporalSettings, connect

ESCALATION_P99_GOAL = Goal(GoalKind.VALUE_AT_MOST, 1000.0, "p99 ≤ 1 s")
BASELINE_NAME = "en signal till ett Temporal-flöde och tills en fråga ser den (samma dev-server)"

# The reporter: an enhetschef established under a sector; its deviations land at the sector.
SECTOR = "larande"
REPORTER = "enhetschef-matning"
PERSON = "p-matning"
# The one level given one hour; the level above keeps its hours, so the deviation stays there.
FIRST_KIND = "sektorschef"
CLOCK_BEHIND = ONE_HOUR

WARMUP = 1
# Between spaced deviations: longer than nothing, and spread over the relay's poll interval.
PAUSE_SECONDS = (0.05, 0.05 + POLL_SECONDS)
BOARD_POLL_SECONDS = 0.01
SHOW_TIMEOUT_SECONDS = 30.0

# The stages of one sample, in order; their durations add up to its latency.
STAGES = {
    "rela": "kommandot returnerade → flödet startat (reläets väntan och start)",
    "lasning": "flödet startat → första aktiviteten (läsning av avvikelsen) klar",
    "missad_frist": "läsningen klar → eskaleringen registrerad (frist missad, kommando)",
    "tavla": "eskaleringen registrerad → syns på nästa nivås tavla (vyn ikapp, fråga)",
}


@dataclass(frozen=True)
class Sample:
    """One deviation: when its report returned and when the next level's board first showed it."""

    avvikelse_id: UUID
    returned: float  # time.perf_counter()
    shown: float

    @property
    def latency(self) -> float:
        return self.shown - self.returned


@dataclass
class EscalationRun:
    from_level: str
    to_level: str
    spaced: list[Sample]
    burst: list[Sample]
    board_queries: list[float]
    # Per stage (STAGES), each sample's duration in seconds, in the samples' order.
    stages: dict[str, list[float]] = field(default_factory=dict)
    burst_stages: dict[str, list[float]] = field(default_factory=dict)

    def latencies(self, samples: Sequence[Sample] | None = None) -> list[float]:
        return [s.latency for s in (self.spaced if samples is None else samples)]


def measure(
    temporal: TemporalSettings, database_url: str, work: Path, *, deviations: int, burst: int, seed: int = 0
) -> EscalationRun:
    """Report `deviations` one at a time, then `burst` back to back, on a fresh PostgreSQL store.

    The dev server must answer at `temporal.address`; `work` holds the styrmodell and the worker's log.
    """
    styrmodell = one_hour_styrmodell(work, kinds=[FIRST_KIND])
    settings = Settings(data_dir=work, database_url=database_url, styrmodell_path=styrmodell)
    temporal = replace(temporal, task_queue=f"bench-eskalering-{uuid.uuid4()}")
    governance = Governance(
        load_styrmodell(styrmodell),
        env=settings.eventsourcing_env("governance"),
        clock=late_clock(CLOCK_BEHIND),
    )
    try:
        reports = Reports(governance)
        from_level = governance.ancestors(REPORTER)[0].id
        to_level = governance.ancestors(from_level)[0].id
        store = ViewStore.open(settings)
        try:
            board = Board(store, to_level)
            log = work / "eskaleringsarbetare.log"
            with worker_process(temporal, settings, log, CLOCK_BEHIND) as worker:
                try:
                    rng = random.Random(seed)  # noqa: S311 - reproducible pauses, not secrets
                    _spaced(board, reports, WARMUP, rng)
                    spaced = _spaced(board, reports, deviations, rng)
                    bursted = _burst(board, reports, burst)
                except Exception as error:
                    raise RuntimeError(f"{error} (arbetaren: {state(worker, log)})") from error
        finally:
            store.close()
        run = EscalationRun(from_level, to_level, spaced, bursted, board.query_seconds)
        run.stages, run.burst_stages = asyncio.run(_stages(temporal, governance, [spaced, bursted]))
        return run
    finally:
        governance.close()


class Reports:
    """Deviations reported by one enhetschef, each as its own command."""

    def __init__(self, governance: Governance) -> None:
        self.governance = governance
        styrmodell = governance.styrmodell
        self.severity = next(g.kod for g in styrmodell.allvarlighetsgrader if not g.direkt_till)
        self.category = next(iter(styrmodell.avvikelsekategorier))
        self.made = 0
        on = business_day(governance.clock())
        # The measuring person holds the chain down to the sector, then the reporter's position.
        chain = [Seat(p.id, PERSON) for p in governance.ancestors(SECTOR) if p.parent is not None]
        held = [*chain, Seat(SECTOR, PERSON)]
        root = Seat(governance.styrkedja.root().id, PERSON)
        record_plan(governance, staffing_plan(held, governance.position, on=on, until=LATEST, introduce=root))
        governance.establish_befattning(
            c.EstablishBefattning(
                actor=SECTOR,
                person=PERSON,
                code=REPORTER,
                name="Enhetschef i mätningen",
                kind="chef",
                parent=SECTOR,
                established_on=on,
            )
        )
        record_plan(
            governance,
            staffing_plan([Seat(REPORTER, PERSON)], governance.position, on=on, until=LATEST, held=held),
        )

    def one(self) -> tuple[UUID, float]:
        """Report one deviation; its id and the moment the command returned."""
        self.made += 1
        outcome = self.governance.report_avvikelse(
            c.ReportAvvikelse(
                actor=REPORTER,
                person=PERSON,
                subject_kind=AvvikelseSubject.HANDELSE,
                subject_ref="matning",
                severity=self.severity,
                category=self.category,
                description=f"Avvikelse {self.made} i mätningen av eskaleringslatensen.",
                occurred_on=business_day(self.governance.clock()),
                key=f"matning-{self.made}",
            )
        )
        return outcome.id, time.perf_counter()


class Board:
    """One level's board as `avvikelse board --level` reads it: the view caught up, then its rows.

    Asked only when the log has grown since it was last asked: its answer
    depends on nothing else, and a full query every few milliseconds would
    take the CPU that the measured pipeline needs.
    """

    def __init__(self, store: ViewStore, level: str) -> None:
        self.projector = store.projector(names=(AvvikelseProjection.name,))
        self.view = store.views.avvikelse
        self.level = level
        self.query_seconds: list[float] = []
        self._asked_at = -1
        self._shown: set[UUID] = set()

    def shows(self) -> set[UUID]:
        head = self.projector.head()
        if head != self._asked_at:
            started = time.perf_counter()
            self.projector.catch_up()
            rows = self.view.select(AvvikelseRow, level=self.level)
            self.query_seconds.append(time.perf_counter() - started)
            self._shown = {row.id for row in rows}
            self._asked_at = head
        return self._shown

    def wait_for(self, reported: dict[UUID, float]) -> list[Sample]:
        """Ask the board until it shows every reported deviation; a sample each."""
        shown: dict[UUID, float] = {}
        give_up = time.perf_counter() + SHOW_TIMEOUT_SECONDS
        while True:
            found = self.shows() & (reported.keys() - shown.keys())
            answered = time.perf_counter()
            shown.update(dict.fromkeys(found, answered))
            if len(shown) == len(reported):
                return [Sample(i, reported[i], shown[i]) for i in reported]
            if answered > give_up:
                raise TimeoutError(
                    f"{len(reported) - len(shown)} av {len(reported)} avvikelser syntes inte hos "
                    f"{self.level} inom {SHOW_TIMEOUT_SECONDS:g} s"
                )
            time.sleep(BOARD_POLL_SECONDS)


def _spaced(board: Board, reports: Reports, count: int, rng: random.Random) -> list[Sample]:
    samples = []
    for _ in range(count):
        time.sleep(rng.uniform(*PAUSE_SECONDS))
        samples += board.wait_for(dict([reports.one()]))
    return samples


def _burst(board: Board, reports: Reports, count: int) -> list[Sample]:
    if count < 1:
        return []
    time.sleep(PAUSE_SECONDS[1])
    return board.wait_for(dict(reports.one() for _ in range(count)))


async def _stages(
    temporal: TemporalSettings, governance: Governance, groups: list[list[Sample]]
) -> list[dict[str, list[float]]]:
    """Each sample split at the workflow's start, its first activity's end and the recorded escalation."""
    client = await connect(temporal)
    # perf_counter → the wall clock the server and the store stamp with (the same machine).
    offset = time.time() - time.perf_counter()

    async def marks(sample: Sample) -> list[float]:
        handle = client.get_workflow_handle(eskalering_workflow_id(sample.avvikelse_id))
        history = await handle.fetch_history()
        started = history.events[0].event_time.ToNanoseconds() / 1e9
        read = next(
            e.event_time.ToNanoseconds() / 1e9
            for e in history.events
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        )
        escalated = next(
            e for e in governance.events_of(sample.avvikelse_id) if isinstance(e, Avvikelse.Escalated)
        )
        # The store's clock runs CLOCK_BEHIND: the real moment is that much later.
        recorded = (escalated.timestamp + CLOCK_BEHIND).timestamp()
        return [sample.returned + offset, started, read, recorded, sample.shown + offset]

    split = []
    for samples in groups:
        found = await asyncio.gather(*(marks(s) for s in samples))
        split.append({stage: [m[n + 1] - m[n] for m in found] for n, stage in enumerate(STAGES)})
    return split


def figures(run: EscalationRun, round_trips: list[float]) -> list[Figure]:
    """The p50 and p99 rows, each beside a signal's round trip on the same dev server."""
    latencies = run.latencies()
    p50_stages = _stage_percentiles(run.stages, 50)
    largest = max(p50_stages, key=lambda stage: p50_stages[stage])
    details: dict[str, Any] = {
        "avvikelser": len(latencies),
        "uppvarmning": WARMUP,
        "signaler": len(round_trips),
        "fran_niva": run.from_level,
        "till_niva": run.to_level,
        "matt_fran_till": "kommandot som rapporterar avvikelsen returnerar → nästa nivås tavla visar den",
        "upplagg": (
            f"kvittensfrist 1 h hos {FIRST_KIND} och lagrets klocka exakt 1 h efter (även arbetarens): "
            "fristen löper ut när avvikelsen registreras; en i taget med slumpad paus "
            f"{_sv(PAUSE_SECONDS[0])}–{_sv(PAUSE_SECONDS[1])} s emellan; loggens slut läses var "
            f"{_sv(BOARD_POLL_SECONDS * 1000)} ms och tavlan frågas när det har flyttat sig"
        ),
        "rela_pollintervall_s": POLL_SECONDS,
        "steg": STAGES,
        "steg_p50_ms": p50_stages,
        "steg_p99_ms": _stage_percentiles(run.stages, 99),
        "storsta_steg": largest,
        "tavelfraga_p50_ms": _ms(percentile(run.board_queries, 50)),
        "max_ms": _ms(max(latencies)),
    }
    if largest == "rela":
        details["anmarkning"] = (
            f"Reläet läser loggen var {_sv(POLL_SECONDS)} s (produktionens standard, inte ändrat för "
            f"mätningen): den väntan, i snitt hälften, är det största steget ({_sv(p50_stages['rela'])} "
            f"ms av {_sv(_ms(percentile(latencies, 50)))} ms vid p50)."
        )
    if run.burst:
        burst = run.latencies(run.burst)
        details["skur"] = {
            "avvikelser": len(burst),
            "beskrivning": "rapporterade direkt efter varandra, var sitt kommando",
            "p50_ms": _ms(percentile(burst, 50)),
            "p99_ms": _ms(percentile(burst, 99)),
            "max_ms": _ms(max(burst)),
            "steg_p50_ms": _stage_percentiles(run.burst_stages, 50),
            "steg_p99_ms": _stage_percentiles(run.burst_stages, 99),
        }
    return latency_figures(
        "escalation",
        "Eskaleringslatens, p{q}",
        latencies,
        round_trips,
        BASELINE_NAME,
        goals={99: ESCALATION_P99_GOAL},
        details=details,
    )


def _stage_percentiles(stages: dict[str, list[float]], q: float) -> dict[str, float]:
    return {stage: _ms(percentile(times, q)) for stage, times in stages.items() if times}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _sv(number: float) -> str:
    """A number in Swedish text: decimal comma."""
    return f"{number:g}".replace(".", ",")
