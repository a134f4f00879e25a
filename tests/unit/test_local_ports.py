"""A free local port is chosen below the kernel's ephemeral range, where no outgoing connection takes it."""

from __future__ import annotations

import random
import socket
from pathlib import Path

import pytest

from lerum_flow import local_ports
from lerum_flow.local_ports import free_local_port


def test_the_port_lies_below_the_ephemeral_range_the_kernel_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    range_file = tmp_path / "ip_local_port_range"
    range_file.write_text("32768\t60999\n")
    monkeypatch.setattr(local_ports, "EPHEMERAL_RANGE", range_file)
    ports = {free_local_port() for _ in range(20)}
    assert all(local_ports.LOWEST <= port < 32768 for port in ports)


def test_a_port_someone_listens_on_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    range_file = tmp_path / "ip_local_port_range"
    range_file.write_text("32768 60999")
    monkeypatch.setattr(local_ports, "EPHEMERAL_RANGE", range_file)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_local_port()))
        taken.listen()
        busy = taken.getsockname()[1]
        offered = iter([busy, busy])
        monkeypatch.setattr(random, "randrange", lambda low, high: next(offered, low + 7))
        assert free_local_port() == local_ports.LOWEST + 7


def test_without_a_named_range_the_kernel_chooses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_ports, "EPHEMERAL_RANGE", tmp_path / "absent")
    port = free_local_port()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # free: it opens
