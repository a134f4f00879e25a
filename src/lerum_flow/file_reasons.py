"""Why the operating system would not open a file, in Swedish.

`OSError.strerror` is the C library's English ('No such file or directory');
every message about a file the user named says it in Swedish instead.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "den, eller katalogen den ska ligga i, finns inte",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EISDIR: "det är en katalog, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en katalog",
    errno.ENOSPC: "disken är full",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EEXIST: "den finns redan",
}


def is_known(error: OSError) -> bool:
    """Whether the error is one of those a user causes by naming a file, and can fix."""
    return error.errno in _REASONS


def file_reason(error: OSError) -> str:
    """Why, in Swedish; an unusual error by its system code (e.g. 'EIO'), never in English."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    code = errno.errorcode.get(error.errno or 0, str(error.errno))
    return f"operativsystemet svarade med felet {code}"
