"""The base of `Governance`'s use-case mixins: the record's reads, and the stamps that only
`Governance` makes (application.py) — declared once here, so each mixin records through them."""

from __future__ import annotations

from abc import abstractmethod
from datetime import date

from lerum_flow import commands as c
from lerum_flow.domain.aggregate import Stamp
from lerum_flow.reading import RecordReads


class UseCases(RecordReads):
    """Reads of the record, and the two stamps every recording use case starts from."""

    @abstractmethod
    def _stamp(
        self,
        cmd: c.Command,
        effective_on: date,
        *,
        require_above: str | None = None,
        under_model: bool = True,
    ) -> Stamp:
        """The stamp of a person's command: its position resolved, auditors refused, the person's
        förordnande checked on `effective_on`, under the styrmodell in force that day (unless
        `under_model` is False)."""

    @abstractmethod
    def _process_stamp(self, cmd: c.Command, effective_on: date) -> Stamp:
        """The stamp of a command a process records in its own name."""
