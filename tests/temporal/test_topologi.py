"""The whole deployment on this machine, shaken while it works: nothing lost, nothing twice, nothing crossed.

PostgreSQL of the test's own (so it can be restarted), the Temporal dev
server with its state in a file (so a restart keeps every workflow), three
municipalities added with `kommun add`, two `worker --alla-kommuner`
processes, and per municipality its projector (`projections run`) and its
web (`serve`). Each municipality's 2025 årshjul is started with `arshjul
start`: its deadlines are all past, so they fall due at once and each
missing decision or report becomes a deviation; deviations reported a day
late miss their first level's deadline at once and are escalated. Meanwhile
the worker leading a municipality is SIGKILLed (a new one takes its place),
PostgreSQL is restarted and the Temporal server is restarted.

Once every årshjul has finished and everything is quiet: no command
recorded twice, each late deviation missed and escalated once, the årshjul's
deviations exactly as many as the deadlines it counted as missed into one
and exactly the steps `drift status` shows as overdue, every
view equal to a fresh rebuild, one relay leader per municipality, and each
municipality's records only in its own schema, namespace and web.
"""

from __future__ import annotations

import asyncio
import collections
import json
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from integration.test_kommuner import MODELS, Deployment, lerum_as
from integration.test_projections_incremental import assert_same_rows, dumps, fresh_rebuild
from local_http import get
from postgres_server import _run_pg_ctl, start_embedded
from temporal.escalation_fleet import dev_server
from temporal.escalation_world import MEDARBETARE, PERSON, establish_unit, report, reported_at
from temporal.temporal_harness import events
from temporal.topology import Processes, the_leaders, without_our_settings
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from unit.governance_world import send
from web.web_world import access_token

from lerum_flow.acting_process import system_person
from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.local_ports import free_local_port
from lerum_flow.projections.store import ViewStore
from lerum_flow.relay import RelayPosition
from lerum_flow.relay_contract import arshjul_workflow_id, eskalering_workflow_id
from lerum_flow.settings import Settings, kommun_namespace
from lerum_flow.temporal_runtime import install_runtime
from lerum_flow.web.config import OidcSettings

pytestmark = [pytest.mark.slow, pytest.mark.temporal, pytest.mark.postgres]

KOMMUNER = ["1441", "1442", "9998"]
YEAR = 2025  # past: every deadline of its årshjul has fallen due
# Long enough for a step cut off by the kill or a restart to be retried after its 60 s timeout.
TIMEOUT = 150
# How long the records must stand still, every relay and view at the head, to count as quiet.
QUIET_SECONDS = 4.0
# Two fleets of three municipalities, three projectors and three webs: more than PostgreSQL's 100.
PG_SETTINGS = "-c max_connections=300"


def test_the_deployment_shaken_while_it_works_loses_repeats_and_crosses_nothing(tmp_path: Path) -> None:
    server = start_embedded(note="topologitestet startar om den", settings=PG_SETTINGS)
    assert server.pgdata is not None
    url = server.create_database()
    processes = Processes(tmp_path, without_our_settings())
    try:
        asyncio.run(_scenario(tmp_path, url, server.pgdata, server.system_user, processes))
    except BaseException:
        print(processes.tails())  # what each process said, beside the failure
        raise
    finally:
        processes.kill_all()
        server.stop()


async def _scenario(
    tmp_path: Path, url: str, pgdata: Path, system_user: str | None, processes: Processes
) -> None:
    install_runtime()
    deployment = Deployment(url)
    models = {"1441": MODELS / "lerum.toml"}
    models |= {kod: lerum_as(tmp_path, kod, f"Kommun {kod}") for kod in KOMMUNER[1:]}
    for kod, model in models.items():
        assert deployment.add(kod, model)[0] == 0
    port, state = free_local_port(), tmp_path / "temporal.sqlite"
    namespaces = [arg for kod in KOMMUNER for arg in ("--namespace", kommun_namespace(kod))]

    async def temporal() -> WorkflowEnvironment:
        return await dev_server(
            "--db-filename", str(state), *namespaces, port=port, ui_port=free_local_port()
        )

    env = await temporal()
    address = f"127.0.0.1:{port}"
    processes.env |= {"LERUM_FLOW_TEMPORAL_ADDRESS": address, "LERUM_FLOW_METRICS_SAMPLE_SECONDS": "1"}
    store = ("--database-url", url)
    try:
        health_ports = [free_local_port() for _ in range(2)]
        for n, health_port in enumerate(health_ports):
            processes.start(
                f"worker-{n}",
                *store,
                "worker",
                "--alla-kommuner",
                env={"LERUM_FLOW_HEALTH_PORT": str(health_port)},
            )
        web: dict[str, tuple[int, str]] = {}
        for kod in KOMMUNER:
            processes.start(f"projektor-{kod}", *store, "--kommun", kod, "projections", "run")
            serving = ("--json", *store, "--kommun", kod, "serve", "--dev")
            web_port = processes.start_listening(f"webb-{kod}", *serving)
            web[kod] = (web_port, "")

        late = datetime.now(UTC) - timedelta(hours=30)
        governances = {kod: deployment.governance(kod) for kod in KOMMUNER}
        uppdrag = {
            kod: _issue_uppdrag(g, kod, late.date() - timedelta(days=1)) for kod, g in governances.items()
        }
        reported: dict[str, list[uuid.UUID]] = {kod: [] for kod in KOMMUNER}

        def report_late(round_: str) -> None:
            for kod, governance in governances.items():
                for n in range(2):
                    reporting = lambda g=governance, k=f"{kod}-{round_}-{n}": report(g, MEDARBETARE, key=k)  # noqa: E731
                    reported[kod].append(reported_at(governance, late, reporting))

        report_late("fore")
        for kod in KOMMUNER:
            processes.run(*store, "--kommun", kod, "arshjul", "start", str(YEAR))

        leaders = await asyncio.to_thread(the_leaders, health_ports, KOMMUNER, TIMEOUT)
        # The leader of Lerum killed outright; a new worker takes its place.
        killed = health_ports.index(leaders["1441"])
        processes.kill(f"worker-{killed}")
        health_ports[killed] = free_local_port()
        processes.start(
            "worker-ersattare",
            *store,
            "worker",
            "--alla-kommuner",
            env={"LERUM_FLOW_HEALTH_PORT": str(health_ports[killed])},
        )
        report_late("efter-kill")

        before = _postmaster_started(url)
        await asyncio.to_thread(_run_pg_ctl, pgdata, ["-w", "-m", "fast", "restart"], system_user)
        assert _postmaster_started(url) > before  # every session, and with it every lock, ended
        report_late("efter-pg")

        await env.shutdown()
        report_late("utan-temporal")
        await asyncio.sleep(2)  # the relays try, and fail, while the server is down
        assert all(not _caught_up(url, kod, g.head(), g.name) for kod, g in governances.items())
        env = await temporal()

        await _quiet(url, address, governances, processes)
        assert processes.dead() == [], "en process dog"
        await asyncio.to_thread(the_leaders, health_ports, KOMMUNER, TIMEOUT)

        for kod, governance in governances.items():
            cycle = json.loads(
                processes.run("--json", *store, "--kommun", kod, "arshjul", "status", str(YEAR))
            )
            drift = json.loads(processes.run("--json", *store, "--kommun", kod, "drift", "status"))
            assert drift["ledare"] == {"rela": True, "projektor": True}, kod
            overdue_steps = {o["id"] for o in drift["forsenade"] if o["typ"] == "arshjul"}
            steps = _assert_once(kod, governance, reported[kod], cycle)
            # Every step the cycle found missed, and only those, is overdue in the operator's view.
            assert overdue_steps == {str(s) for s in steps}, kod
            _assert_views_equal_a_rebuild(url, kod)
        await _assert_nothing_crossed(address, governances, reported)
        for kod in KOMMUNER:
            web[kod] = (web[kod][0], processes.first_json_line(f"webb-{kod}")["inloggning"])
        _assert_each_web_shows_only_its_own(web, uppdrag)
        for governance in governances.values():
            governance.close()
    finally:
        await env.shutdown()


def _issue_uppdrag(governance: Governance, kod: str, on: date) -> uuid.UUID:
    """A unit staffed, and an uppdrag from KF to KS on a decision of KF's, in the municipality's store."""
    establish_unit(governance, on)
    beslut = send(
        governance,
        "take_beslut",
        "kf",
        person=PERSON,
        decided_by="kf",
        kind="ovrigt",
        diarienummer=f"KF {on.year}/{kod}",
        paragraf="§ 1",
        title=f"Uppdrag i kommun {kod}",
        decided_on=on,
    ).id
    return send(
        governance,
        "issue_uppdrag",
        "kf",
        person=PERSON,
        recipient="ks",
        title=f"Utred i kommun {kod}",
        origin_beslut_id=beslut,
        issued_on=on,
        due=on + timedelta(days=60),
    ).id


async def _quiet(url: str, address: str, governances: dict[str, Governance], processes: Processes) -> None:
    """Wait until each årshjul has finished, no store has grown for QUIET_SECONDS, each relay and view
    stands at its head, and no workflow has a step pending.

    An activity cut off by the kill or a restart is retried only after its timeout, and a cycle
    walking again over steps already recorded (after the restarts) records nothing new: a quiet
    store alone is not the end.
    """
    clients = {
        kod: await Client.connect(
            address, namespace=kommun_namespace(kod), data_converter=pydantic_data_converter
        )
        for kod in governances
    }
    started = time.monotonic()
    last: dict[str, int] = {}
    still_since = time.monotonic()
    while True:
        heads = {kod: g.head() for kod, g in governances.items()}
        if heads != last:
            last, still_since = heads, time.monotonic()
        caught_up = all(_caught_up(url, kod, head, governances[kod].name) for kod, head in heads.items())
        if (
            caught_up
            and time.monotonic() - still_since >= QUIET_SECONDS
            and await _cycles_finished(clients)
            and not await _pending(clients)
        ):
            return
        assert processes.dead() == [], f"döda processer: {processes.dead()}"
        assert time.monotonic() - started < TIMEOUT, f"aldrig stilla: {heads}, {await _pending(clients)}"
        await asyncio.sleep(0.5)


async def _cycles_finished(clients: dict[str, Client]) -> bool:
    """Whether every municipality's årshjul has completed (all its deadlines are past)."""
    for kod, client in clients.items():
        described = await client.get_workflow_handle(arshjul_workflow_id(kod, YEAR)).describe()
        if described.status != WorkflowExecutionStatus.COMPLETED:
            return False
    return True


async def _pending(clients: dict[str, Client]) -> list[str]:
    """The running workflows with an activity or a workflow task still to do."""
    busy = []
    for client in clients.values():
        async for listed in client.list_workflows('ExecutionStatus="Running"'):
            described = (await client.get_workflow_handle(listed.id).describe()).raw_description
            if described.pending_activities or described.HasField("pending_workflow_task"):
                busy.append(listed.id)
    return busy


def _postmaster_started(url: str) -> datetime:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute("SELECT pg_postmaster_start_time()").fetchone()
    assert row is not None
    started: datetime = row[0]
    return started


def _settings(url: str, kod: str) -> Settings:
    return Settings(database_url=url, kommun=kod, create_tables=False)


def _caught_up(url: str, kod: str, head: int, name: str) -> bool:
    position = RelayPosition(_settings(url, kod))
    views = ViewStore.open(_settings(url, kod))
    try:
        relayed = position.get(name)
        return relayed >= head and set(views.projector().positions().values()) == {head}
    finally:
        views.close()
        position.close()


def _assert_once(
    kod: str, governance: Governance, reported: list[uuid.UUID], cycle: dict[str, Any]
) -> list[uuid.UUID]:
    """No command twice; each late deviation missed and escalated once; each missed step one deviation
    (which are returned)."""
    stored = events(governance)
    commands = collections.Counter(
        (e.command_id, type(e).__name__) for e in stored if getattr(e, "command_id", None) is not None
    )
    assert [command for command, n in commands.items() if n > 1] == [], kod
    missed = collections.Counter(e.originator_id for e in stored if isinstance(e, Avvikelse.DeadlineMissed))
    escalated = collections.Counter(e.originator_id for e in stored if isinstance(e, Avvikelse.Escalated))
    for avvikelse_id in reported:
        assert (missed[avvikelse_id], escalated[avvikelse_id]) == (1, 1), (kod, avvikelse_id)
    # The årshjul's own deviations: as many as the workflow counted deadlines that became one.
    process = system_person(arshjul_workflow_id(kod, YEAR))
    found = [e for e in stored if isinstance(e, Avvikelse.Reported) and e.person == process]
    assert found, f"kommun {kod}: årshjulet registrerade inget missat steg"
    assert len(found) == cycle["utfall"]["avvikelser"], (kod, [e.description for e in found], cycle)
    return [e.originator_id for e in found]


def _assert_views_equal_a_rebuild(url: str, kod: str) -> None:
    views = ViewStore.open(_settings(url, kod))
    try:
        assert_same_rows(dumps(views), fresh_rebuild(views))
    finally:
        views.close()


async def _assert_nothing_crossed(
    address: str, governances: dict[str, Governance], reported: dict[str, list[uuid.UUID]]
) -> None:
    """Each municipality's deviations and cycle in its own store and namespace, none in another's."""
    for kod, governance in governances.items():
        stored = {e.originator_id for e in events(governance, Avvikelse.Reported.TOPIC)}
        people = {e.person for e in events(governance, Avvikelse.Reported.TOPIC)}
        client = await Client.connect(
            address, namespace=kommun_namespace(kod), data_converter=pydantic_data_converter
        )
        ids = {w.id async for w in client.list_workflows()}
        for other, theirs in reported.items():
            mine = other == kod
            assert set(theirs) <= stored if mine else not set(theirs) & stored, (kod, other)
            escalations = {eskalering_workflow_id(a) for a in theirs}
            assert escalations <= ids if mine else not escalations & ids, (kod, other)
            cycle = arshjul_workflow_id(other, YEAR)
            assert (cycle in ids) is mine, (kod, other)
            assert (system_person(cycle) in people) is mine, (kod, other)


def _assert_each_web_shows_only_its_own(
    web: dict[str, tuple[int, str]], uppdrag: dict[str, uuid.UUID]
) -> None:
    for kod, (port, issuer) in web.items():
        token = access_token(OidcSettings(issuer=issuer, client_id="", client_secret=""), PERSON)
        answers: dict[str, Any] = {
            other: get(f"http://127.0.0.1:{port}/api/v1/uppdrag/{record}", token)[0]
            for other, record in uppdrag.items()
        }
        assert answers == {other: 200 if other == kod else 404 for other in uppdrag}, (kod, answers)
