"""Optional OpenTelemetry tracing: a workflow run makes spans of one trace, and a log line carries its id."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporal.escalation_world import MEDARBETARE, establish_unit, report
from temporal.temporal_harness import binary
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.application import Governance
from lerum_flow.logs import DEFAULT_LEVEL, configure_logging
from lerum_flow.municipal_time import municipal_today
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.telemetry import tracing_interceptors, tracing_wanted
from lerum_flow.workflows.worker import serve

WAIT_SECONDS = 60.0
SRC = Path(__file__).resolve().parents[2] / "src"


def test_tracing_is_off_unless_asked_for_and_a_bad_flag_is_refused_in_swedish() -> None:
    assert not tracing_wanted({})
    assert tracing_interceptors({}) == []
    assert tracing_wanted({"LERUM_FLOW_OTEL": "1"})
    assert tracing_wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318"})
    assert not tracing_wanted({"LERUM_FLOW_OTEL": "0", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318"})
    with pytest.raises(
        Exception, match="LERUM_FLOW_OTEL ska vara 1 \\(på\\) eller 0 \\(av\\), inte 'kanske'"
    ):
        tracing_wanted({"LERUM_FLOW_OTEL": "kanske"})


def test_the_command_line_loads_no_opentelemetry_when_tracing_is_off() -> None:
    probe = (
        "import sys; import lerum_flow.cli.main, lerum_flow.workflows.worker; "
        "from lerum_flow.logs import configure_logging, get_logger; "
        "from lerum_flow.telemetry import tracing_interceptors; "
        "configure_logging(); get_logger('probe').warning('rad'); tracing_interceptors(); "
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_a_workflow_run_makes_spans_of_one_trace_and_its_activity_logs_the_trace_id(tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # The global provider can be set once per process: the interceptor's tracer is taken from this one.
    trace.set_tracer_provider(provider)
    log = io.StringIO()
    configure_logging("INFO", stream=log)

    async def scenario() -> None:
        settings = Settings(data_dir=tmp_path)
        governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
        establish_unit(governance, municipal_today())
        env = await WorkflowEnvironment.start_time_skipping(
            data_converter=pydantic_data_converter, test_server_existing_path=binary("temporal-test-server")
        )
        client = Client(
            env.client.service_client,
            namespace=env.client.namespace,
            data_converter=pydantic_data_converter,
            interceptors=tracing_interceptors({"LERUM_FLOW_OTEL": "1"}),
        )
        stop = asyncio.Event()
        serving = asyncio.create_task(serve(client, "spar", governance, settings, stop, poll_seconds=0.1))
        try:
            report(governance, MEDARBETARE)
            deadline = time.monotonic() + WAIT_SECONDS
            while not any(s.name.startswith("RunActivity:") for s in exporter.get_finished_spans()):
                assert time.monotonic() < deadline, "ingen aktivitet kördes"
                assert not serving.done(), serving
                await asyncio.sleep(0.1)
        finally:
            stop.set()
            await serving
            await env.shutdown()
            governance.close()

    try:
        asyncio.run(scenario())
    finally:
        configure_logging(DEFAULT_LEVEL)
    spans = exporter.get_finished_spans()
    started = next(s for s in spans if s.name == "StartWorkflow:Eskalering")
    trace_id = format(started.context.trace_id, "032x")
    names = {s.name for s in spans if format(s.context.trace_id, "032x") == trace_id}
    assert "RunWorkflow:Eskalering" in names
    assert any(name.startswith("RunActivity:eskalering.") for name in names)
    lines = [json.loads(line) for line in log.getvalue().splitlines() if line.startswith("{")]
    traced = [line for line in lines if line.get("trace_id") == trace_id]
    assert traced, "ingen loggrad bär spårets id"
    assert all(len(line["span_id"]) == 16 for line in traced)
    # A line logged outside any span carries none.
    assert any("trace_id" not in line for line in lines)
