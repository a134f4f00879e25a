"""Composition for one CLI run: the session (settings → styrmodell → Governance), refusals shown
as such, and a store that must exist already.

Kept light, as the read commands that import it start with it: the options
and the one function that records a command are in `lerum_flow.cli.record`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from lerum_flow.cli.output import option_hints
from lerum_flow.cli.session import CliSession
from lerum_flow.domain.errors import Refusal

if TYPE_CHECKING:
    from lerum_flow.reading import LogReads


def session(ctx: typer.Context) -> CliSession:
    found = ctx.find_object(CliSession)
    if found is None:  # only if a command is run without the root callback
        found = ctx.ensure_object(CliSession)
    return found


@contextmanager
def refusals(ctx: typer.Context) -> Iterator[None]:
    """Show a refusal or an unusable styrmodell and end with exit code 1."""
    output = session(ctx).output
    try:
        yield
    except Refusal as refusal:
        output.refusal(refusal, option_hints(ctx))
        raise typer.Exit(1) from None
    except Exception as error:
        # Imported on the way out, not with this module: only a loaded styrmodell raises
        # this, and a command that never loads one (a read of the log) starts without it.
        from lerum_flow.styrmodell import StyrmodellInvalid

        if not isinstance(error, StyrmodellInvalid):
            raise
        output.problems(str(session(ctx).settings.styrmodell_path or "lerum"), error.problems)
        raise typer.Exit(1) from None


def require_write(cli: CliSession) -> None:
    """Refuse a command that records, before it touches anything, when this run may only read."""
    if cli.read_only:
        from lerum_flow.domain.errors import NotPermitted

        raise NotPermitted(
            "Databasrollen (eller filen) får bara läsa, som en revisors. "
            "Registrera med en roll som får skriva.",
            rule="skrivskyddat",
        )


@contextmanager
def existing_store(cli: CliSession) -> Iterator[LogReads]:
    """The log's reads on a store that must exist already: it never creates the event table.

    Auditors' commands only read the events, and neither the revisor nor the
    writer role may run DDL on PostgreSQL. No styrmodell is loaded: the log
    is read as it was recorded.
    """
    from lerum_flow.reading import LogReads

    cli.require_store()
    env = cli.store_settings().eventsourcing_env("governance") | {"CREATE_TABLE": "no"}
    log = LogReads(env=env)
    try:
        yield log
    finally:
        log.close()
