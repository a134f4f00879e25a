"""How a worker process is run and watched, and the e-mail channel its notices go through."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.environment_values import number, secret


@dataclass(frozen=True)
class WorkerSettings:
    """How a worker process is run and watched: its probe and metrics port, its graceful stop.

    `health_port` 0 (the default) starts no HTTP server: `lerum-flow up` on a
    laptop and the tests need none; a container sets it (deploy/ uses 9400).
    """

    health_port: int = 0
    health_host: str = "127.0.0.1"
    # The Temporal SDK's own Prometheus endpoint, on this machine only; /metrics passes it on.
    # 0: a free port is chosen when the health server runs.
    temporal_metrics_port: int = 0
    graceful_stop_seconds: float = 30.0
    sample_seconds: float = 15.0

    def __post_init__(self) -> None:
        for name, variable in (
            ("health_port", "LERUM_FLOW_HEALTH_PORT"),
            ("temporal_metrics_port", "LERUM_FLOW_TEMPORAL_METRICS_PORT"),
        ):
            if not 0 <= getattr(self, name) <= 65535:
                raise InvalidInput(
                    f"{variable} ska vara ett portnummer 0–65535 (0 = av), inte {getattr(self, name)}.",
                    field=variable,
                    rule="port",
                )
        for name, variable in (
            ("graceful_stop_seconds", "LERUM_FLOW_GRACEFUL_STOP_SECONDS"),
            ("sample_seconds", "LERUM_FLOW_METRICS_SAMPLE_SECONDS"),
        ):
            if getattr(self, name) <= 0:
                raise InvalidInput(
                    f"{variable} ska vara ett positivt antal sekunder, inte {getattr(self, name)}.",
                    field=variable,
                    rule="sekunder",
                )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> WorkerSettings:
        env = os.environ if environ is None else environ
        return cls(
            health_port=number(env, "LERUM_FLOW_HEALTH_PORT", int, 0),
            health_host=env.get("LERUM_FLOW_HEALTH_HOST", "").strip() or "127.0.0.1",
            temporal_metrics_port=number(env, "LERUM_FLOW_TEMPORAL_METRICS_PORT", int, 0),
            graceful_stop_seconds=number(env, "LERUM_FLOW_GRACEFUL_STOP_SECONDS", float, 30.0),
            sample_seconds=number(env, "LERUM_FLOW_METRICS_SAMPLE_SECONDS", float, 15.0),
        )


SMTP_SECURITY = ("starttls", "tls", "ingen")


@dataclass(frozen=True)
class MailSettings:
    """The e-mail channel for notices: the SMTP server, the sender, where each position's mail goes,
    and the web application the mails link to.

    Addresses are per position (a functional mailbox such as
    kommundirektor@kommun.se), kept in a TOML file beside the deployment, never in
    the event store: events are kept for decades, and a mailbox changes with staff.
    """

    host: str
    sender: str
    web_url: str
    addresses_path: Path
    port: int = 587
    # starttls (port 587), tls (SMTPS, port 465), ingen (a relay on the same host or network only).
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "addresses_path", Path(self.addresses_path))
        if self.security not in SMTP_SECURITY:
            raise InvalidInput(
                f"LERUM_FLOW_SMTP_SECURITY ska vara starttls, tls eller ingen, inte '{self.security}'.",
                field="LERUM_FLOW_SMTP_SECURITY",
                rule="smtp_sakerhet",
            )
        if not 1 <= self.port <= 65535:
            raise InvalidInput(
                f"LERUM_FLOW_SMTP_PORT ska vara ett portnummer 1–65535, inte {self.port}.",
                field="LERUM_FLOW_SMTP_PORT",
                rule="port",
            )
        if "@" not in self.sender:
            raise InvalidInput(
                "Ange avsändaradressen för notiserna med LERUM_FLOW_SMTP_FROM, t.ex. noreply@kommun.se.",
                field="LERUM_FLOW_SMTP_FROM",
                rule="smtp_avsandare",
            )
        if not self.web_url.startswith(("https://", "http://")):
            raise InvalidInput(
                "Ange webbapplikationens adress med LERUM_FLOW_WEB_URL (t.ex. https://styrning.kommun.se): "
                "varje notis länkar dit.",
                field="LERUM_FLOW_WEB_URL",
                rule="webbadress",
            )
        if not self.addresses_path.is_file():
            raise InvalidInput(
                f"Adressfilen {self.addresses_path} (LERUM_FLOW_NOTICE_ADDRESSES) finns inte; den anger "
                "vart varje positions notiser ska skickas.",
                field="LERUM_FLOW_NOTICE_ADDRESSES",
                rule="adressfil",
            )
        if self.user and not self.password:
            raise InvalidInput(
                "LERUM_FLOW_SMTP_USER är angiven men inget lösenord: ange LERUM_FLOW_SMTP_PASSWORD "
                "eller LERUM_FLOW_SMTP_PASSWORD_FILE.",
                field="LERUM_FLOW_SMTP_PASSWORD",
                rule="smtp_losenord",
            )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> MailSettings | None:
        """The channel's settings, or None when LERUM_FLOW_SMTP_HOST is not set (notices go to the log)."""
        env = os.environ if environ is None else environ
        host = env.get("LERUM_FLOW_SMTP_HOST", "").strip()
        if not host:
            return None
        security = env.get("LERUM_FLOW_SMTP_SECURITY", "").strip().lower() or "starttls"
        return cls(
            host=host,
            port=number(env, "LERUM_FLOW_SMTP_PORT", int, 465 if security == "tls" else 587),
            security=security,
            user=env.get("LERUM_FLOW_SMTP_USER", "").strip(),
            password=secret(env, "LERUM_FLOW_SMTP_PASSWORD"),
            sender=env.get("LERUM_FLOW_SMTP_FROM", "").strip(),
            web_url=env.get("LERUM_FLOW_WEB_URL", "").strip().rstrip("/"),
            addresses_path=Path(env.get("LERUM_FLOW_NOTICE_ADDRESSES", "").strip() or "adresser.toml"),
            timeout_seconds=number(env, "LERUM_FLOW_SMTP_TIMEOUT_SECONDS", float, 10.0),
        )
