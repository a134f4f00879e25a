"""Optional OpenTelemetry tracing: spans for Temporal calls, workflows and activities; trace ids in the log.

Off unless asked for: `LERUM_FLOW_OTEL=1`, or an OTLP endpoint set
(`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`);
`LERUM_FLOW_OTEL=0` turns it off whatever else is set. When on, the Temporal
client gets the SDK's `TracingInterceptor` (a worker built on that client
gets it too): starting a workflow, running it and each activity become
spans of one trace. Spans go to the OTLP endpoint (the standard `OTEL_*`
variables configure the exporter), unless the process has a tracer provider
of its own already (a test's in-memory one).

Nothing of OpenTelemetry is imported while it is off: `trace_ids`, the log
processor, only looks whether OpenTelemetry has been loaded by someone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

from lerum_flow.domain.errors import InvalidInput

OTEL_ENV = "LERUM_FLOW_OTEL"
ENDPOINT_ENVS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
SERVICE_NAME = "lerum-flow"
_YES = frozenset({"1", "ja", "true", "yes", "on"})
_NO = frozenset({"0", "nej", "false", "no", "off"})

# The provider this module installed, to flush at exit (None: none installed here).
_installed: Any = None


def tracing_wanted(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    flag = env.get(OTEL_ENV, "").strip().lower()
    if flag and flag not in _YES | _NO:
        raise InvalidInput(
            f"{OTEL_ENV} ska vara 1 (på) eller 0 (av), inte '{flag}'.", field=OTEL_ENV, rule="ja_nej"
        )
    if flag in _NO:
        return False
    return flag in _YES or any(env.get(name, "").strip() for name in ENDPOINT_ENVS)


def tracing_interceptors(environ: Mapping[str, str] | None = None) -> list[Any]:
    """The client interceptors tracing needs: none when it is off."""
    env = os.environ if environ is None else environ
    if not tracing_wanted(env):
        return []
    try:
        from temporalio.contrib.opentelemetry import TracingInterceptor
    except ImportError:
        raise InvalidInput(
            f"{OTEL_ENV} (eller en OTLP-adress) slår på spårning, men OpenTelemetry är inte installerat: "
            "installera om lerum-flow med dess beroenden (paketen opentelemetry-sdk och "
            "opentelemetry-exporter-otlp-proto-http).",
            field=OTEL_ENV,
            rule="otel_saknas",
        ) from None
    _install_provider(env)
    return [TracingInterceptor()]


def _install_provider(env: Mapping[str, str]) -> None:
    """An OTLP-exporting tracer provider, unless the process has set one already."""
    global _installed
    from opentelemetry import trace

    if not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return  # someone (a test, the host's instrumentation) chose the provider
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = env.get("OTEL_SERVICE_NAME", "").strip() or SERVICE_NAME
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _installed = provider


def flush_tracing() -> None:
    """Send the spans still buffered: before a process leaves with os._exit, which runs no atexit."""
    if _installed is not None:
        _installed.shutdown()


def trace_ids(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: the current span's trace_id and span_id on every line logged inside one."""
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return event_dict  # never loaded: tracing is off, and costs nothing
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict
