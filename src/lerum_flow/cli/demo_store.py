"""Where a demo records: a temporary store that a finished run removes, or the directory the user named."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape


@dataclass(frozen=True)
class DemoStore:
    directory: Path
    temporary: bool

    @classmethod
    def choose(cls, named: Path | None) -> DemoStore:
        """The named directory, kept; else a new temporary one."""
        if named is not None:
            return cls(named, temporary=False)
        return cls(Path(tempfile.mkdtemp(prefix="lerum-flow-demo-")), temporary=True)

    def finish(self) -> bool:
        """After a run that finished or was refused: remove a temporary store. Whether the store is kept."""
        if self.temporary:
            shutil.rmtree(self.directory, ignore_errors=True)
        return not self.temporary

    def show(self, store: str, out: Console, *, example: str | None, what: str) -> None:
        """Where the store is and how to examine it, or that the temporary one is gone."""
        if self.temporary:
            out.print(
                "Det tillfälliga händelselagret är borttaget; ange --data-dir KATALOG för att behålla "
                "lagret och granska det efteråt."
            )
            return
        out.print(f"Händelselagret: [bold]{escape(store)}[/]", soft_wrap=True)
        if example is not None:
            out.print(
                f"Granska till exempel {what}: "
                f"lerum-flow --data-dir {escape(str(self.directory))} audit history {example}",
                soft_wrap=True,  # one line, so it can be copied and run
            )


def show_kept_after_failure(store: str, out: Console) -> None:
    """A run that broke off keeps its store, temporary or not, so what it recorded can be examined."""
    out.print(f"Händelselagret finns kvar: [bold]{escape(store)}[/]", soft_wrap=True)
