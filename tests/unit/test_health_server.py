"""The worker's probes and /metrics, served from a thread beside the worker, read as Kubernetes would."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from local_http import get

from lerum_flow.health_server import LOOP_STUCK_SECONDS, HealthServer, WorkerHealth
from lerum_flow.worker_metrics import WorkerMetrics


@pytest.fixture
def health() -> WorkerHealth:
    return WorkerHealth()


@pytest.fixture
def served(health: WorkerHealth) -> Iterator[str]:
    server = HealthServer(health, WorkerMetrics(), host="127.0.0.1", port=0)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def test_a_worker_is_not_ready_until_it_serves_and_its_store_answers(
    health: WorkerHealth, served: str
) -> None:
    """/readyz is 503 with the reason in Swedish until both hold, then 200; /healthz is 200 throughout."""
    status, body = get(f"{served}/readyz")
    assert status == 503
    assert "har inte börjat" in json.loads(body)["orsak"]
    health.started = True
    status, body = get(f"{served}/readyz")
    assert (status, json.loads(body)["orsak"]) == (503, "händelselagret svarar inte")
    health.store_answers = True
    assert get(f"{served}/readyz")[0] == 200
    assert get(f"{served}/healthz")[0] == 200


def test_a_stopping_worker_is_no_longer_ready_but_still_alive(health: WorkerHealth, served: str) -> None:
    """During the graceful stop Kubernetes sends it no more traffic and does not restart it."""
    health.started = health.store_answers = True
    health.stopping = True
    assert get(f"{served}/readyz")[0] == 503
    assert get(f"{served}/healthz")[0] == 200


def test_a_worker_whose_loop_stopped_ticking_is_not_alive(health: WorkerHealth, served: str) -> None:
    """A stuck event loop (no tick for longer than LOOP_STUCK_SECONDS) fails the liveness probe."""
    health.last_tick = time.monotonic() - LOOP_STUCK_SECONDS - 1
    status, body = get(f"{served}/healthz")
    assert status == 503
    assert "stått still" in json.loads(body)["orsak"]


def test_metrics_pass_on_the_sdks_own_after_ours_and_say_when_they_are_missing(health: WorkerHealth) -> None:
    """One scrape gives both registries; an SDK endpoint that is silent leaves a comment, not an error."""

    class Sdk(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"# TYPE temporal_worker_start_total counter\ntemporal_worker_start_total 1\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    sdk = ThreadingHTTPServer(("127.0.0.1", 0), Sdk)
    Thread(target=sdk.serve_forever, daemon=True).start()
    try:
        sdk_url = f"http://127.0.0.1:{sdk.server_address[1]}/metrics"
        server = HealthServer(health, WorkerMetrics(), host="127.0.0.1", port=0, sdk_metrics_url=sdk_url)
        text = server.metrics_text().decode()
        assert "lerum_flow_relay_lag_events" in text
        assert text.index("lerum_flow_relay_lag_events") < text.index("temporal_worker_start_total 1")
    finally:
        sdk.shutdown()
        sdk.server_close()
    text = server.metrics_text().decode()
    assert "temporal_worker_start_total" not in text
    assert "# Temporal SDK:s mätvärden kunde inte hämtas" in text


def test_an_unknown_path_is_not_found(served: str) -> None:
    """Only the three paths answer."""
    assert get(f"{served}/admin")[0] == 404
