"""The worker's small HTTP server: /healthz (alive), /readyz (serving), /metrics (Prometheus).

A thread of its own beside the worker's event loop, so a probe is answered
even while the loop is busy, and a loop that stops ticking is reported as
not alive (Kubernetes then restarts the process). /metrics serves our
registry and, after it, the Temporal SDK's own metrics, which its Rust core
serves on a local port (`install_runtime(metrics_address=...)`): one scrape
target for both.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from lerum_flow.logs import get_logger
from lerum_flow.worker_metrics import WorkerMetrics

# The event loop ticks every second or so; a minute without a tick is a stuck loop, not a busy one.
LOOP_STUCK_SECONDS = 60.0


@dataclass
class WorkerHealth:
    """What the probes answer; set by the worker's event loop, read by the server's thread."""

    started: bool = False
    stopping: bool = False
    store_answers: bool = False
    # Whether this replica's relay leads (follows the log); a replica that does not still serves tasks.
    leader: bool = False
    # Events recorded that the relay has not handed on, at the last sample (None: not sampled yet).
    relay_lag: int | None = None
    last_tick: float = field(default_factory=time.monotonic)
    # A fleet (`worker --alla-kommuner`): each municipality's own state, by kommunkod.
    kommuner: dict[str, WorkerHealth] = field(default_factory=dict)

    def tick(self) -> None:
        self.last_tick = time.monotonic()

    def alive(self) -> tuple[bool, str]:
        stuck = time.monotonic() - self.last_tick
        if stuck > LOOP_STUCK_SECONDS:
            return False, f"workerns händelseslinga har stått still i {stuck:.0f} s"
        return True, "lever"

    def ready(self) -> tuple[bool, str]:
        if self.stopping:
            return False, "workern stängs och tar inga nya uppgifter"
        if not self.started:
            return False, "workern har inte börjat hämta uppgifter från Temporal"
        if not self.store_answers:
            return False, "händelselagret svarar inte"
        alive, reason = self.alive()
        return alive, "tar uppgifter från Temporal" if alive else reason

    def answer(self, path: str) -> tuple[bool, dict[str, Any]]:
        """The verdict and body of a probe; a fleet's says per municipality what this process does there."""
        ok, reason = self.alive() if path == "/healthz" else self.ready()
        body: dict[str, Any] = {"status": "ok" if ok else "fel", "orsak": reason, "ledare": self.leader}
        if self.kommuner:
            body["kommuner"] = [
                {
                    "kod": kod,
                    "ledare": own.leader,
                    "tar_uppgifter": own.started and not own.stopping,
                    "lager_svarar": own.store_answers,
                    "relay_efterslapning": own.relay_lag,
                }
                for kod, own in sorted(self.kommuner.items())
            ]
        return ok, body


class HealthServer:
    def __init__(
        self,
        health: WorkerHealth,
        metrics: WorkerMetrics,
        *,
        host: str,
        port: int,
        sdk_metrics_url: str = "",
    ) -> None:
        self.health = health
        self.metrics = metrics
        self.sdk_metrics_url = sdk_metrics_url
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="health-server", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()
        get_logger("lerum_flow.worker").info("halsoserver_startad", port=self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def metrics_text(self) -> bytes:
        ours = generate_latest(self.metrics.registry)
        if not self.sdk_metrics_url:
            return ours
        try:
            with urllib.request.urlopen(self.sdk_metrics_url, timeout=2) as answer:  # noqa: S310 - our own local URL
                sdk: bytes = answer.read()
        except OSError as error:
            return ours + f"# Temporal SDK:s mätvärden kunde inte hämtas: {error}\n".encode()
        return ours + (sdk if sdk.endswith(b"\n") or not sdk else sdk + b"\n")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    self._send(200, server.metrics_text(), CONTENT_TYPE_LATEST)
                elif path in ("/healthz", "/readyz"):
                    ok, answer = server.health.answer(path)
                    body = json.dumps(answer, ensure_ascii=False)
                    self._send(200 if ok else 503, body.encode(), "application/json; charset=utf-8")
                else:
                    self._send(404, b"Finns inte: /healthz, /readyz, /metrics\n", "text/plain; charset=utf-8")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: a probe every few seconds would drown the worker's own log lines."""

        return Handler
