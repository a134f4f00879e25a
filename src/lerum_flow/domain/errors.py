"""Refusals: the only exceptions a governance command raises for bad input.

Every refusal names the field it concerns and the rule that was broken, in
Swedish, because it is shown to the person who typed the command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# Around a field named inside a message: a character no text of a command can hold (field_types
# refuses control characters), so a door finds the names however the words around them run.
_FIELD_MARK = "\x1f"


def field_named(key: str) -> str:
    """The field `key` (its title, as `Refusal.field` names it) inside a message, for each door to
    name its own way: the command line by its option, the web by its label, the API by its key."""
    return f"{_FIELD_MARK}{key}{_FIELD_MARK}"


def key_quoted(key: str) -> str:
    """A field as a request names it: its key, quoted as the API's other messages quote one."""
    return f"'{key}'"


def worded(text: str, name: Callable[[str], str]) -> str:
    """`text` with each field named inside it (`field_named`) as `name` names it."""
    parts = text.split(_FIELD_MARK)
    # Split on the marks, a field's key stands at every odd place.
    return "".join(name(part) if place % 2 else part for place, part in enumerate(parts))


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
        # The message with the fields it names marked (`field_named`), for a door to word its own way;
        # `message` names them by their keys, as the API and the JSON answers do.
        self.template = message
        self.message = worded(message, key_quoted)
        super().__init__(self.message)
        self.field = field
        self.rule = rule or self.code
        # Each field at fault with its own message, marked as `template` is, where one refusal names
        # several (a form sent with two empty fields); `message` says them all at once, as the command
        # line shows it.
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or ((field or "", message),)

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each field it names as `name` names it."""
        return worded(self.template, name)

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
