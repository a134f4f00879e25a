"""The store's versions of its styrmodell as `styrmodell show` and `audit as-of` present them."""

from __future__ import annotations

from datetime import date
from typing import Any

from lerum_flow.cli.session import CliSession
from lerum_flow.cli.tables import Grid, date_column, safe, tag_column
from lerum_flow.domain.styrmodell_record import SHORT_DIGEST, ModelVersion
from lerum_flow.municipal_time import business_day
from lerum_flow.styrmodell import Styrmodell


def recorded_versions(cli: CliSession) -> list[ModelVersion]:
    """The versions the store recorded; none when there is no store (it is not created to be read)."""
    return cli.governance().styrmodell_versions() if cli.store_exists() else []


def shown_model(
    cli: CliSession, day: date, versions: list[ModelVersion], *, from_record: bool
) -> tuple[Styrmodell, ModelVersion | None]:
    """The store's model on `day` when asked for a day; else the one in use (given, the store's, Lerum's),
    with the recorded version it is, if it is one."""
    model = cli.styrmodell()
    if not versions:
        return model, None
    governance = cli.governance()
    in_force = governance.styrmodell_version_on(day)
    assert in_force is not None  # a store with versions has one in force every day
    if from_record or cli.given_styrmodell() is None or governance.is_version(model, in_force):
        return governance.styrmodell_of(in_force), in_force
    return model, None


def version_json(version: ModelVersion) -> dict[str, Any]:
    return {
        "galler_fran": version.effective_from.isoformat(),
        "registrerad": version.recorded_at.isoformat(),
        "sha256": version.digest,
        "kommun": version.identity.municipality,
        "kommunkod": version.identity.municipality_code,
        "beslut": str(version.beslut_id) if version.beslut_id else None,
    }


def version_line(version: ModelVersion | None, versions: list[ModelVersion]) -> str:
    if version is None and versions:
        return "[yellow]Den givna styrmodellen är inte den som lagret styrs av i dag.[/]"
    if version is None:
        return "[dim]Inte registrerad i lagret: registreras med lagrets första kommando.[/]"
    number = versions.index(version) + 1 if version in versions else 0
    return (
        f"Gäller från {version.effective_from.isoformat()} enligt lagret (version {number} av "
        f"{len(versions)}, registrerad {business_day(version.recorded_at).isoformat()}, "
        f"sha256 {version.digest[:SHORT_DIGEST]})"
    )


def versions_grid(versions: list[ModelVersion], shown: ModelVersion | None) -> Grid:
    grid = Grid(
        "Styrmodellens versioner i lagret",
        [date_column("Gäller från"), tag_column("Kommun"), tag_column("sha256"), date_column("Registrerad")],
    )
    for version in versions:
        mark = " [bold]←[/]" if version == shown else ""
        grid.add_row(
            version.effective_from.isoformat(),
            safe(version.identity.municipality),
            version.digest[:SHORT_DIGEST] + mark,
            business_day(version.recorded_at).isoformat(),
        )
    return grid
