"""The kinds of user of the authorization matrix and what one row of it says; shared by the API's
matrix and the pages' matrix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from web.web_world import CHEF, MEDARBETARE, SYSTEM_CLIENT, WebWorld, person

USERS: dict[str, str | None] = {
    "anonym": None,
    "medarbetare": person(MEDARBETARE),
    "chef": person(CHEF),
    "sektorschef": person("larande"),
    "kommundirektör": person("kommundirektor"),
    "KS-ledamot": person("ks"),
    "KF:s ordförande": person("kf-ordforande"),
    "revisor": person("revisorer"),
    "systemklient": SYSTEM_CLIENT,
}
EVERYONE_BUT_ANONYMOUS = frozenset(USERS) - {"anonym"}
PERSONS = EVERYONE_BUT_ANONYMOUS - {"systemklient"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[WebWorld], str]
    allowed: frozenset[str]
    body: Callable[[WebWorld], dict[str, Any] | None] = lambda _: None
    # What must have happened first for the allowed user to succeed (recorded outside the web door).
    prepare: Callable[[WebWorld], None] = lambda _: None
    # Files sent as a multipart form, by field.
    files: Callable[[WebWorld], dict[str, Any] | None] = lambda _: None
    # A POST that only reads (a file checked against the record): allowed, it still records nothing.
    reads_only: bool = False

    @property
    def writes(self) -> bool:
        return self.method == "POST" and not self.reads_only
