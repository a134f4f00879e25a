"""How an error of the store's drivers is known for what it is: by the SQLSTATE the PostgreSQL server
gave it, which neither the server's language nor its version changes, and by its words only where
there is no code to go by.

Errors without a code: libpq's own (connection refused, a host not found, a timeout), psycopg's and
SQLite's, and, as psycopg 3.3 raises them, the server's refusals of a connection being opened (a
database or role that does not exist, a password refused, no CONNECT right, the server full or
starting up): libpq keeps the SQLSTATE of those to itself and hands over its text alone, in the
server's language. Checked with psycopg 3.3.9 (libpq 18) against PostgreSQL 15 in English and in
Swedish (lc_messages = 'sv_SE.UTF-8').
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


def chain(error: BaseException) -> Iterator[BaseException]:
    """The error and those it was raised from or while handling, each once: a chain can loop back on
    itself (a cause set by hand)."""
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        yield seen
        seen = seen.__cause__ or seen.__context__


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE the server gave the error (psycopg's errors carry it); None for one without."""
    code = getattr(error, "sqlstate", None)
    return code if isinstance(code, str) and code else None


@dataclass(frozen=True)
class Sign:
    """How one cause is known: the SQLSTATEs the server gives it and, for an error with no code, the
    words it is said in (patterns on the lowercased text, one language or wording each).

    Where a code is given, it decides: words alone never make an error with another code this cause.
    `code_alone` is False where the server gives the same code to other causes too (28000 to a role
    that does not exist and to a login pg_hba.conf refuses): the words must then tell which."""

    codes: tuple[str, ...]
    words: tuple[str, ...]
    code_alone: bool = True

    def seen_in(self, errors: Iterable[BaseException]) -> bool:
        """Whether the errors (one error and those it was raised from) are of this cause."""
        errors = list(errors)
        given = {code for seen in errors if (code := sqlstate(seen))}
        if given and not given & set(self.codes):
            return False
        if given and self.code_alone:
            return True
        said = "\n".join(str(seen) for seen in errors).lower()
        return any(re.search(words, said) for words in self.words)
