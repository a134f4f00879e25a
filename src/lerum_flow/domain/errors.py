"""Refusals: the only exceptions a governance command raises for bad input.

Every refusal names the field it concerns and the rule that was broken, in
Swedish, because it is shown to the person who typed the command.
"""

from __future__ import annotations

from collections.abc import Iterable


class Refusal(Exception):  # noqa: N818 - a refusal is an answer to the user, not a program error
    """A command was refused; nothing was recorded."""

    code = "refused"
    # The heading a person sees above the message, on the command line and on the web.
    title = "Nekat"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        rule: str = "",
        problems: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule or self.code
        # Each field at fault with its own message, where one refusal names several (a form sent with
        # two empty fields); `message` says them all at once, as the command line shows it.
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or ((field or "", message),)

    def as_dict(self) -> dict[str, str | None]:
        return {"fel": self.code, "falt": self.field, "regel": self.rule, "meddelande": self.message}


class InvalidInput(Refusal):
    code = "ogiltig_indata"
    title = "Ogiltig uppgift"


class NotFound(Refusal):
    code = "finns_inte"
    title = "Finns inte"


class NotPermitted(Refusal):
    """The actor lacks the position or authority the rule requires."""

    code = "ej_behorig"
    title = "Ej behörig"


class InvalidState(Refusal):
    """The command does not fit what has already happened."""

    code = "fel_lage"
    title = "Fel läge"


class Conflict(Refusal):
    """Another command changed the record first and the command could not be applied."""

    code = "konflikt"
    title = "Konflikt"
