"""A local TCP port that is free now and likely to stay free until its user opens it.

A port the kernel hands out for `bind(("127.0.0.1", 0))` comes from the
ephemeral range, the same range every outgoing connection takes its local
port from: between finding it free and opening it, seconds later in another
process (a worker's health or metrics port), any connection made meanwhile
may take it. A port chosen below that range is never taken that way; only
another process choosing the same way could, one in thousands.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

# Linux names its ephemeral range here; elsewhere the kernel's own choice is used.
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
# The lowest port chosen: above the well-known and most registered services' ports.
LOWEST = 20000
TRIES = 50


def ephemeral_low() -> int | None:
    """Where the kernel's ephemeral ports begin, if it says."""
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_local_port() -> int:
    """A port on 127.0.0.1 nobody listens on, below the ephemeral range where the kernel says one."""
    low = ephemeral_low()
    if low is not None and low > LOWEST + TRIES:
        for _ in range(TRIES):
            port = random.randrange(LOWEST, low)  # noqa: S311 - a port to try, not a secret
            if _bindable(port):
                return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
