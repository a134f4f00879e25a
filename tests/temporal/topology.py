"""The deployment's processes on one machine, for the topology test: each started, watched and killed by pid.

Every process is the installed `lerum-flow` command (or the Temporal dev
server) with its output in a log file of the test's directory; when the
test fails, the tail of every log is printed beside the failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_http import get
from temporal.temporal_harness import binary

from lerum_flow.local_ports import free_local_port

LOG_TAIL = 3000
LEADER_LINE = re.compile(r'^lerum_flow_leader\{kommun="(\d+)",role="relay"\} (\S+)$', re.MULTILINE)


@dataclass
class Processes:
    """The running processes by name, with the environment each is given."""

    directory: Path
    env: dict[str, str]
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """`lerum-flow ARGS` as process `name`, its stdout and stderr in its log."""
        with self.log(name).open("ab") as out:
            process = subprocess.Popen(
                [binary("lerum-flow"), *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**self.env, **(env or {})},
            )
        self.running[name] = process
        return process

    def start_listening(self, name: str, *args: str, tries: int = 5) -> int:
        """`lerum-flow ARGS --port P` as process `name` on a free port P, once it listens there; on
        another port if P was taken before it could open it (the process then ends at once)."""
        for _ in range(tries):
            port = free_local_port()
            process = self.start(name, *args, "--port", str(port))
            if _listens_on(process, port, timeout=60):
                return port
            # Kept beside, so that the next start's log begins with its own announcement.
            self.running.pop(name)
            self.log(name).rename(self.directory / f"{name}-port-{port}.log")
        raise AssertionError(f"{name}: ingen ledig port på {tries} försök")

    def run(self, *args: str) -> str:
        """`lerum-flow ARGS` to its end; its output, which must say it succeeded."""
        done = subprocess.run(
            [binary("lerum-flow"), *args], capture_output=True, env=self.env, timeout=120, check=False
        )
        output = done.stdout.decode() + done.stderr.decode()
        assert done.returncode == 0, f"lerum-flow {' '.join(args)}: {output}"
        return done.stdout.decode()

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def kill_all(self) -> None:
        for name in list(self.running):
            self.kill(name)

    def dead(self) -> list[str]:
        return [name for name, process in self.running.items() if process.poll() is not None]

    def first_json_line(self, name: str, timeout: float = 60) -> dict[str, Any]:
        """The first JSON object the process printed (what `serve --json` announces)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            for line in self.log(name).read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("{"):
                    found: dict[str, Any] = json.loads(line)
                    return found
            assert self.running[name].poll() is None, f"{name} avslutades"
            time.sleep(0.2)
        raise AssertionError(f"{name} skrev ingen JSON-rad")

    def tails(self) -> str:
        """The end of every process's log, for the report of a failed test."""
        parts = []
        for log in sorted(self.directory.glob("*.log")):
            text = log.read_text(encoding="utf-8", errors="replace")
            parts.append(f"--- {log.name} (sista {LOG_TAIL} tecken) ---\n{text[-LOG_TAIL:]}")
        return "\n".join(parts)


def _listens_on(process: subprocess.Popen[bytes], port: int, timeout: float) -> bool:
    """Whether `process` comes to listen on 127.0.0.1:`port` (not another process that took it);
    False as soon as it has ended."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            return False
        if _listening_inode(port) in _socket_inodes(process.pid):
            return True
        time.sleep(0.2)
    raise AssertionError(f"pid {process.pid} lyssnar inte på {port} efter {timeout} s")


def _listening_inode(port: int) -> str | None:
    """The inode of the socket listening on 127.0.0.1:`port`, from the kernel's table."""
    wanted = f"0100007F:{port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == wanted and fields[3] == "0A":  # 0A: LISTEN
            return fields[9]
    return None


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                found.add(target[len("socket:[") : -1])
    return found


def readyz_leaders(port: int) -> dict[str, bool] | None:
    """Per kommunkod whether the fleet worker on `port` leads its relay; None if it does not answer."""
    status, body = get(f"http://127.0.0.1:{port}/readyz")
    if status == 0:
        return None
    return {k["kod"]: bool(k["ledare"]) for k in json.loads(body).get("kommuner", [])}


def metrics_leaders(port: int) -> dict[str, bool] | None:
    """Per kommunkod whether /metrics says this worker leads its relay; None if it does not answer."""
    status, body = get(f"http://127.0.0.1:{port}/metrics")
    if status != 200:
        return None
    return {kod: float(value) == 1.0 for kod, value in LEADER_LINE.findall(body)}


def the_leaders(ports: list[int], kommuner: list[str], timeout: float) -> dict[str, int]:
    """The port of the one worker leading each municipality, by /readyz and /metrics alike, waited for."""
    started = time.monotonic()
    while True:
        by_readyz: dict[str, list[int]] = {kod: [] for kod in kommuner}
        by_metrics: dict[str, list[int]] = {kod: [] for kod in kommuner}
        for port in ports:
            for kod, leads in (readyz_leaders(port) or {}).items():
                if leads:
                    by_readyz[kod].append(port)
            for kod, leads in (metrics_leaders(port) or {}).items():
                if leads:
                    by_metrics[kod].append(port)
        for kod in kommuner:
            assert len(by_readyz[kod]) <= 1, f"kommun {kod}: flera ledare {by_readyz[kod]}"
        if all(len(by_readyz[k]) == 1 and by_readyz[k] == by_metrics[k] for k in kommuner):
            return {kod: by_readyz[kod][0] for kod in kommuner}
        assert time.monotonic() - started < timeout, f"ingen ensam ledare: {by_readyz}, {by_metrics}"
        time.sleep(0.3)


def without_our_settings() -> dict[str, str]:
    """The environment without any LERUM_FLOW_ variable of the machine's (the test sets its own)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("LERUM_FLOW_")}
