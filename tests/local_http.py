"""Reading a local HTTP endpoint as a probe or a scraper does: the status and the body, never an exception."""

from __future__ import annotations

import urllib.error
import urllib.request


def get(url: str, token: str = "") -> tuple[int, str]:
    """The status and body (asked with a bearer `token` if given); 0 and "" when nothing answers (yet,
    or any more)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""
