"""Acknowledgement deadlines that fall within real seconds on a real Temporal server.

A level's deadline counts from when the deviation reached it, as recorded by
the store's clock (eskalering.lage.read_lage). A styrmodell may give a
level minutes (`kvittens_minuter`) for a drill in real time; for the
benchmark's hour-long rules instead, a styrmodell with one hour to acknowledge, and a
store whose clock runs behind the real one (the Temporal server's), make
that hour last `3600 - behind` real seconds: an hour behind, the deadline
falls the moment the deviation is recorded. Used by the escalation
benchmark and by the escalation scale test; the worker of such a store
must run the same clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path

from lerum_flow.application import utc_now
from lerum_flow.styrmodell import load_styrmodell, shipped_styrmodell_path

ONE_HOUR = timedelta(hours=1)
# One escalation rule of the shipped file: its kind, then its hours.
_RULE = re.compile(r'(?P<head>slag = "(?P<kind>[^"]+)"\s*\nkvittens_timmar = )\d+')


def one_hour_styrmodell(directory: Path, kinds: Collection[str] | None = None) -> Path:
    """Lerum's styrmodell with one hour to acknowledge at the levels of `kinds` (all if None), as a file.

    The other levels keep their hours. Raises ValueError if a kind has no rule to shorten.
    """

    def shorten(rule: re.Match[str]) -> str:
        return f"{rule['head']}1" if kinds is None or rule["kind"] in kinds else rule[0]

    text = shipped_styrmodell_path("lerum").read_text(encoding="utf-8")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "styrmodell-en-timme.toml"
    path.write_text(_RULE.sub(shorten, text), encoding="utf-8")
    hours = {str(rule.slag): rule.kvittens_timmar for rule in load_styrmodell(path).eskalering}
    wrong = sorted(kind for kind in (hours if kinds is None else kinds) if hours.get(kind) != 1)
    if wrong:
        raise ValueError(f"no escalation rule shortened to one hour for {wrong}")
    return path


def late_clock(behind: timedelta) -> Callable[[], datetime]:
    """A store clock that runs `behind` the real one."""

    def clock() -> datetime:
        return utc_now() - behind

    return clock
