"""Temporal's settings: where the server is, how to prove who we are to it, which queue we serve."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.environment_values import secret, yes_no
from lerum_flow.file_reasons import file_reason
from lerum_flow.settings import kommun_namespace

DEFAULT_TEMPORAL_ADDRESS = "127.0.0.1:7233"
DEFAULT_TEMPORAL_NAMESPACE = "default"
DEFAULT_TASK_QUEUE = "lerum-flow"
# The dev server's own default: the Web UI on the gRPC port + 1000.
DEV_UI_PORT_OFFSET = 1000


@dataclass(frozen=True)
class TemporalSettings:
    """Where Temporal is, how to prove who we are to it, and which queue our workers serve.

    Everything Temporal Cloud or a secured self-hosted cluster asks for: TLS
    with the server's CA (or the system's roots when none is given), a client
    certificate and key for mutual TLS, and an API key. Files are checked here,
    when an entrypoint reads the settings, so a wrong path is refused in words
    before anything connects; they are read when the client connects, so a
    rotated certificate takes effect at the next start of the process.
    """

    address: str = DEFAULT_TEMPORAL_ADDRESS
    namespace: str = DEFAULT_TEMPORAL_NAMESPACE
    task_queue: str = DEFAULT_TASK_QUEUE
    # None: TLS when anything below asks for it (a CA, a certificate, an API key).
    tls: bool | None = None
    tls_server_ca: Path | None = None
    tls_client_cert: Path | None = None
    tls_client_key: Path | None = None
    # The name the server's certificate is checked against, when not the address's host.
    tls_server_name: str = ""
    api_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        for name in ("tls_server_ca", "tls_client_cert", "tls_client_key"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))
        if not self.task_queue:
            raise InvalidInput(
                "Temporal-kön får inte vara tom; ange ett namn i LERUM_FLOW_TEMPORAL_TASK_QUEUE.",
                field="LERUM_FLOW_TEMPORAL_TASK_QUEUE",
                rule="temporalko",
            )
        if (self.tls_client_cert is None) != (self.tls_client_key is None):
            raise InvalidInput(
                "Klientcertifikat och nyckel hör ihop: ange både LERUM_FLOW_TEMPORAL_TLS_CERT "
                "och LERUM_FLOW_TEMPORAL_TLS_KEY, eller ingen av dem.",
                field="LERUM_FLOW_TEMPORAL_TLS_CERT"
                if self.tls_client_cert is None
                else "LERUM_FLOW_TEMPORAL_TLS_KEY",
                rule="temporal_tls_par",
            )
        for name, variable, what in (
            ("tls_server_ca", "LERUM_FLOW_TEMPORAL_TLS_CA", "Serverns CA-certifikat"),
            ("tls_client_cert", "LERUM_FLOW_TEMPORAL_TLS_CERT", "Klientcertifikatet"),
            ("tls_client_key", "LERUM_FLOW_TEMPORAL_TLS_KEY", "Klientnyckeln"),
        ):
            path = getattr(self, name)
            if path is not None:
                check_pem_file(path, variable, what)
        if self.tls is False and (self.wants_tls or self.api_key):
            raise InvalidInput(
                "LERUM_FLOW_TEMPORAL_TLS är avslaget men certifikat eller API-nyckel är angivna; "
                "en API-nyckel och certifikat skickas bara över TLS. Slå på TLS eller ta bort dem.",
                field="LERUM_FLOW_TEMPORAL_TLS",
                rule="temporal_tls_av",
            )

    @property
    def wants_tls(self) -> bool:
        return (
            self.tls_server_ca is not None or self.tls_client_cert is not None or bool(self.tls_server_name)
        )

    @property
    def uses_tls(self) -> bool:
        if self.tls is not None:
            return self.tls
        return self.wants_tls or bool(self.api_key)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> TemporalSettings:
        env = os.environ if environ is None else environ

        def path(name: str) -> Path | None:
            value = env.get(name, "").strip()
            return Path(value) if value else None

        return cls(
            address=env.get("LERUM_FLOW_TEMPORAL_ADDRESS", "") or DEFAULT_TEMPORAL_ADDRESS,
            namespace=env.get("LERUM_FLOW_TEMPORAL_NAMESPACE", "") or DEFAULT_TEMPORAL_NAMESPACE,
            task_queue=env.get("LERUM_FLOW_TEMPORAL_TASK_QUEUE", "") or DEFAULT_TASK_QUEUE,
            tls=yes_no(env, "LERUM_FLOW_TEMPORAL_TLS"),
            tls_server_ca=path("LERUM_FLOW_TEMPORAL_TLS_CA"),
            tls_client_cert=path("LERUM_FLOW_TEMPORAL_TLS_CERT"),
            tls_client_key=path("LERUM_FLOW_TEMPORAL_TLS_KEY"),
            tls_server_name=env.get("LERUM_FLOW_TEMPORAL_TLS_SERVER_NAME", "").strip(),
            api_key=secret(env, "LERUM_FLOW_TEMPORAL_API_KEY"),
        )

    def for_kommun(self, kod: str) -> TemporalSettings:
        """The same server, in the municipality's namespace (unchanged without a municipality)."""
        if not kod:
            return self
        return replace(self, namespace=kommun_namespace(kod))

    @property
    def host(self) -> str:
        return self.address.rpartition(":")[0] or "127.0.0.1"

    @property
    def port(self) -> int:
        try:
            return int(self.address.rpartition(":")[2])
        except ValueError:
            raise InvalidInput(
                f"Temporal-adressen '{self.address}' saknar port; skriv värd:port, "
                f"t.ex. {DEFAULT_TEMPORAL_ADDRESS}.",
                field="LERUM_FLOW_TEMPORAL_ADDRESS",
                rule="temporaladress",
            ) from None

    @property
    def ui_url(self) -> str:
        """The Web UI of a dev server at this address."""
        return f"http://{self.host}:{self.port + DEV_UI_PORT_OFFSET}"


def check_pem_file(path: Path, variable: str, what: str) -> None:
    """Refuse, in words, a path that is no readable PEM file (the TLS library's own error says less)."""
    try:
        head = path.read_bytes()[:4096]
    except FileNotFoundError:
        problem = "finns inte"
    except IsADirectoryError:
        problem = "är en katalog, inte en fil"
    except PermissionError:
        problem = "får inte läsas av den här processen"
    except OSError as error:
        problem = f"kan inte läsas: {file_reason(error)}"
    else:
        if b"-----BEGIN " in head:
            return
        problem = "är ingen PEM-fil (raden '-----BEGIN ...' saknas)"
    raise InvalidInput(f"{what} {path} ({variable}) {problem}.", field=variable, rule="temporal_tls_fil")
