"""The mark of a command that records: `app.command("issue", cls=RecordingCommand)`.

Only such a command's refusal ends by saying that nothing was recorded: said after
a read, which never records, it would suggest that the read could have.
"""

from __future__ import annotations

from typing import Any

from typer import _click

from lerum_flow.cli.help import SwedishCommand
from lerum_flow.cli.session import CliSession


def records(ctx: _click.Context) -> None:
    """This run's command records (or would have, had it not been refused); one that records only
    when asked (`rapport ... --registrera`) says so when asked."""
    ctx.ensure_object(CliSession).output.records = True


class RecordingCommand(SwedishCommand):
    """A command that changes what the store holds; `localize` keeps the class, a SwedishCommand."""

    def invoke(self, ctx: _click.Context) -> Any:
        records(ctx)
        return super().invoke(ctx)
