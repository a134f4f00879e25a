"""Refusals: the only exceptions a governance command raises for bad input.

Every refusal names the field it concerns and the rule that was broken, in
Swedish, because it is shown to the person who typed the command.
"""

from __future__ import annotations


class Refusal(Exception):  # noqa: N818 - a refusal is an answer to the user, not a program error
    """A command was refused; nothing was recorded."""

    code = "refused"

    def __init__(self, message: str, *, field: str | None = None, rule: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule or self.code

    def as_dict(self) -> dict[str, str | None]:
        return {"fel": self.code, "falt": self.field, "regel": self.rule, "meddelande": self.message}


class InvalidInput(Refusal):
    code = "ogiltig_indata"


class NotFound(Refusal):
    code = "finns_inte"


class NotPermitted(Refusal):
    """The actor lacks the position or authority the rule requires."""

    code = "ej_behorig"


class InvalidState(Refusal):
    """The command does not fit what has already happened."""

    code = "fel_lage"


class Conflict(Refusal):
    """Another command changed the record first and the command could not be applied."""

    code = "konflikt"
