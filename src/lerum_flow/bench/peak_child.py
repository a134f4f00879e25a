"""Run one command and print its exit code, peak resident memory (KB) and wall time (s).

Why a process of its own: Linux counts, in a child's peak, the memory of the process it was
started from (the image it replaces), so a command started by the bench, which holds what
earlier measurements left, would report the bench's peak. Started from this small process, the
command's peak is its own.
"""

from __future__ import annotations

import os
import sys
import time


def main(argv: list[str]) -> None:
    with open(os.devnull, "wb") as nothing:
        started = time.perf_counter()
        pid = os.posix_spawnp(
            argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, nothing.fileno(), 1)]
        )
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
    # ru_maxrss is in KB on Linux.
    print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, seconds)


if __name__ == "__main__":
    main(sys.argv[1:])
