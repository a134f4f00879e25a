"""How governance events become bytes: the library's JSON transcoder plus dates.

Kept in one module so that a later change of encoding touches one file.
"""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    """Calendar dates (decided_on, due, valid_from) as ISO 8601 strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register_governance_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
