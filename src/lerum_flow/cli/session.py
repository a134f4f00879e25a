"""What one invocation of the command line opened: settings, output mode and the store.

Kept free of heavy imports: the root command builds a session before it
knows whether the user only asked for help.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lerum_flow.cli.output import Output

if TYPE_CHECKING:
    from lerum_flow.application import Governance
    from lerum_flow.settings import Settings
    from lerum_flow.styrmodell import Styrmodell
    from lerum_flow.temporal_settings import TemporalSettings


class CliSession:
    """What one invocation opened: its settings, output mode and (lazily) the store."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self.output = Output(as_json=False)
        self.data_dir_given = False
        self._styrmodell: Styrmodell | None = None
        self._governance: Governance | None = None
        self._store_settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from lerum_flow.settings import Settings

            self._settings = Settings()
        return self._settings

    def configure(
        self, settings: Settings, *, as_json: bool, data_dir_given: bool, quiet: bool = False
    ) -> None:
        self._settings = settings
        self._store_settings = None
        self.output = Output(as_json=as_json, quiet=quiet)
        self.data_dir_given = data_dir_given

    def temporal_settings(self) -> TemporalSettings:
        """Temporal as the environment says, in the namespace of the municipality this run names."""
        from lerum_flow.temporal_settings import TemporalSettings

        return TemporalSettings.from_environ().for_kommun(self.settings.kommun)

    def given_styrmodell(self) -> Styrmodell | None:
        """The model given with --styrmodell (or LERUM_FLOW_STYRMODELL); None: the store's own governs."""
        path = self.settings.styrmodell_path
        if path is None:
            return None
        if self._styrmodell is None:
            from lerum_flow.styrmodell import load_styrmodell

            self._styrmodell = load_styrmodell(path)
        return self._styrmodell

    def styrmodell(self) -> Styrmodell:
        """The model in use: the one given, else the one the store records for today, else Lerum's."""
        given = self.given_styrmodell()
        if given is not None:
            return given
        if self._governance is not None or self.store_exists():
            return self.governance().styrmodell
        from lerum_flow.styrmodell import default_styrmodell

        return default_styrmodell()

    def store_exists(self) -> bool:
        """Whether there may be a store to read; a SQLite store is not created just to be read."""
        settings = self.settings
        return settings.uses_postgres or settings.sqlite_path("governance").exists()

    def require_store(self) -> None:
        """Refuse a read where there is no SQLite store, rather than create an empty one to read:
        a mistyped --data-dir would answer an empty register, as if nothing had been decided."""
        if not self.store_exists():
            from lerum_flow.domain.errors import NotFound

            path = self.settings.sqlite_path("governance")
            raise NotFound(
                f"Det finns inget händelselager i {path}; ange --database-url eller --data-dir.",
                rule="handelselager",
            )

    def governance_to_read(self) -> Governance:
        """`governance` for a command that only reads: refused where there is no store (`require_store`)."""
        self.require_store()
        return self.governance()

    def store_settings(self) -> Settings:
        """The settings every part of this run opens the store with (see `schema.prepared`):
        read-only for a role that may only read, no DDL on a migrated store, a fresh store
        migrated first. Asked of the store once, on first use."""
        if self._store_settings is None:
            from lerum_flow.schema import prepared

            self._store_settings = prepared(self.settings)
        return self._store_settings

    @property
    def read_only(self) -> bool:
        """Whether this run may only read the store (an auditor's role or a read-only file)."""
        return self.store_settings().read_only

    def governance(self) -> Governance:
        """Opened on first use, so --help and `styrmodell validate` never touch a database."""
        if self._governance is None:
            from lerum_flow.application import Governance

            self._governance = Governance(
                self.given_styrmodell(), env=self.store_settings().eventsourcing_env("governance")
            )
        return self._governance

    def close(self) -> None:
        """Close the store's connections; safe to call more than once."""
        governance, self._governance = self._governance, None
        if governance is not None:
            governance.close()


def settings_from(
    *,
    data_dir: Path | None,
    database_url: str | None,
    styrmodell: Path | None,
    kommun: str | None = None,
) -> Settings:
    """The environment's settings, with what was given on the command line on top."""
    from lerum_flow.settings import Settings

    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url:
        overrides["database_url"] = database_url
    if styrmodell is not None:
        overrides["styrmodell_path"] = styrmodell
    if kommun is not None:
        overrides["kommun"] = kommun.strip()
    return dataclasses.replace(Settings.from_environ(), **overrides)
