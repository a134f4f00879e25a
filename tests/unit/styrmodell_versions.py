"""Two versions of Norrvik's styrmodell, for tests of the store's record of its model.

From 1 January 2028 the byggnadsnämnd (byn) is merged into a new
samhällsbyggnadsnämnd (sbn): the same organ under a new id and name, holding
the same beslutsområden. Integration and e2e tests import this module as
`unit.styrmodell_versions`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lerum_flow.styrmodell import Styrmodell, load_styrmodell, shipped_styrmodell_path

REORGANISED_FROM = date(2028, 1, 1)
NORRVIK = shipped_styrmodell_path("norrvik")


def reorganised_norrvik_text() -> str:
    text = NORRVIK.read_text(encoding="utf-8")
    for old, new in (('"byn', '"sbn'), ("Byggnadsnämnden", "Samhällsbyggnadsnämnden")):
        text = text.replace(old, new)
    return text


def write_reorganised_norrvik(directory: Path) -> Path:
    path = directory / "norrvik-2028.toml"
    path.write_text(reorganised_norrvik_text(), encoding="utf-8")
    return path


def norrvik() -> Styrmodell:
    return load_styrmodell(NORRVIK)


def reorganised_norrvik(directory: Path) -> Styrmodell:
    return load_styrmodell(write_reorganised_norrvik(directory))
