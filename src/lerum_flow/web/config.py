"""What the web door is configured with: the store's settings, the identity provider, the
session secret and the system clients. Read once by the entrypoint and passed down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lerum_flow.settings import Settings
from lerum_flow.temporal_settings import TemporalSettings

# A system client's scope that lets it read the record; none lets one record in a person's name.
READ_SCOPE = "las"


@dataclass(frozen=True)
class OidcSettings:
    """The municipality's OpenID Connect provider and this service's registration with it."""

    issuer: str
    client_id: str
    client_secret: str

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class WebConfig:
    settings: Settings
    oidc: OidcSettings
    session_secret: str
    # A styrmodell file given on the command line; None: the store's own governs.
    styrmodell_path: Path | None = None
    # The token subjects of system clients (integrations) and the scopes each holds.
    system_clients: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Login attempts one address may start per minute before it is asked to wait.
    login_attempts_per_minute: int = 10
    # Where the årshjul's workflows run; None: the årshjul page shows the plans without their standing.
    temporal: TemporalSettings | None = None
