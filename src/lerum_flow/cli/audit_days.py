"""What the auditor's questions share: the two days asked about, and the log they are answered from.

`--as-of`/the day is business time (what held then); `--known-on` is record
time (what had been registered by then). Used by `audit as-of`, `audit
trace`, `audit authority` and the styrdokument reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from lerum_flow.cli.context import refusals, session
from lerum_flow.input_dates import parse_day
from lerum_flow.projections.asof import AsOf
from lerum_flow.projections.log import GovernanceLog

KnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--known-on",
        metavar="ÅÅÅÅ-MM-DD",
        help="Svara med det som var registrerat senast den dagen. Standard: allt som är känt nu.",
    ),
]


@contextmanager
def opened_log(ctx: typer.Context) -> Iterator[GovernanceLog]:
    log = GovernanceLog(session(ctx).store_settings().eventsourcing_env("governance"))
    try:
        yield log
    finally:
        log.close()


def asked_days(ctx: typer.Context, on: str, known_on: str | None, *, field: str = "on") -> AsOf:
    """The days asked about; `field` is how the day was given (as-of's argument, authority's --as-of)."""
    with refusals(ctx):
        return AsOf(
            on=parse_day(on, field=field),
            known_on=parse_day(known_on, field="known-on") if known_on else None,
        )


def axes(asked: AsOf) -> str:
    """The two days in words, for a heading: "2028-06-30 (känt 2028-09-01)"."""
    known = f"känt {asked.known_on.isoformat()}" if asked.known_on else "känt nu"
    return f"{asked.on.isoformat()} ({known})"
