"""Temporal connection settings: what the environment says reaches the client's connect call."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.service import TLSConfig

from lerum_flow import temporal_runtime
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.temporal_settings import TemporalSettings

CA = b"-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n"
CERT = b"-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n"
KEY = b"-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def pem_files(tmp_path: Path) -> dict[str, Path]:
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "client.pem", "key": tmp_path / "client.key"}
    for path, content in zip(files.values(), (CA, CERT, KEY), strict=True):
        path.write_bytes(content)
    return files


def connect_arguments(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]) -> dict[str, Any]:
    """The keyword arguments `connect` hands to Client.connect for settings read from `environ`."""
    seen: dict[str, Any] = {}

    async def fake_connect(target_host: str, **kwargs: Any) -> object:
        seen.update(kwargs, target_host=target_host)
        return object()

    monkeypatch.setattr(Client, "connect", fake_connect)
    asyncio.run(temporal_runtime.connect(TemporalSettings.from_environ(environ)))
    return seen


def test_plain_settings_connect_without_tls_or_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing set, the client connects in plain text to the local default, as `up` needs."""
    seen = connect_arguments(monkeypatch, {})
    assert seen["target_host"] == "127.0.0.1:7233"
    assert seen["namespace"] == "default"
    assert seen["tls"] is False
    assert seen["api_key"] is None


def test_mutual_tls_files_become_the_clients_tls_config(
    monkeypatch: pytest.MonkeyPatch, pem_files: dict[str, Path]
) -> None:
    """CA, client certificate, key and server name reach TLSConfig byte for byte."""
    seen = connect_arguments(
        monkeypatch,
        {
            "LERUM_FLOW_TEMPORAL_ADDRESS": "temporal.kommun.se:7233",
            "LERUM_FLOW_TEMPORAL_NAMESPACE": "lerum",
            "LERUM_FLOW_TEMPORAL_TLS_CA": str(pem_files["ca"]),
            "LERUM_FLOW_TEMPORAL_TLS_CERT": str(pem_files["cert"]),
            "LERUM_FLOW_TEMPORAL_TLS_KEY": str(pem_files["key"]),
            "LERUM_FLOW_TEMPORAL_TLS_SERVER_NAME": "frontend.temporal.internal",
        },
    )
    assert seen["target_host"] == "temporal.kommun.se:7233"
    assert seen["namespace"] == "lerum"
    assert seen["tls"] == TLSConfig(
        server_root_ca_cert=CA, client_cert=CERT, client_private_key=KEY, domain="frontend.temporal.internal"
    )
    assert seen["api_key"] is None


def test_an_api_key_turns_tls_on_with_the_systems_roots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Temporal Cloud's way: an API key over TLS checked against the system's roots."""
    seen = connect_arguments(
        monkeypatch,
        {
            "LERUM_FLOW_TEMPORAL_ADDRESS": "eu.aws.api.temporal.io:7233",
            "LERUM_FLOW_TEMPORAL_API_KEY": "hemlig",
        },
    )
    assert seen["tls"] is True
    assert seen["api_key"] == "hemlig"


def test_the_api_key_can_come_from_a_mounted_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A Kubernetes Secret mounted as a file gives the key without its trailing newline."""
    key_file = tmp_path / "api-key"
    key_file.write_text("från-fil\n")
    seen = connect_arguments(monkeypatch, {"LERUM_FLOW_TEMPORAL_API_KEY_FILE": str(key_file)})
    assert seen["api_key"] == "från-fil"


def test_the_api_key_never_shows_in_the_settings_repr() -> None:
    """Settings logged or printed by mistake do not give the key away."""
    assert "hemlig" not in repr(TemporalSettings(api_key="hemlig"))


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("missing", "finns inte"),
        ("directory", "är en katalog"),
        ("not_pem", "är ingen PEM-fil"),
    ],
)
def test_a_bad_certificate_path_is_refused_in_words(tmp_path: Path, problem: str, words: str) -> None:
    """A CA path that is missing, a folder or not PEM is refused naming the variable and the path."""
    path = tmp_path / "ca.pem"
    if problem == "directory":
        path.mkdir()
    elif problem == "not_pem":
        path.write_text("inte ett certifikat")
    with pytest.raises(InvalidInput) as refused:
        TemporalSettings.from_environ({"LERUM_FLOW_TEMPORAL_TLS_CA": str(path)})
    assert words in refused.value.message
    assert str(path) in refused.value.message
    assert refused.value.field == "LERUM_FLOW_TEMPORAL_TLS_CA"


def test_a_client_certificate_without_its_key_is_refused(pem_files: dict[str, Path]) -> None:
    """Mutual TLS needs both halves; one alone is refused before anything connects."""
    with pytest.raises(InvalidInput) as refused:
        TemporalSettings.from_environ({"LERUM_FLOW_TEMPORAL_TLS_CERT": str(pem_files["cert"])})
    assert refused.value.field == "LERUM_FLOW_TEMPORAL_TLS_KEY"


def test_an_api_key_with_tls_turned_off_is_refused() -> None:
    """A key is never sent in plain text: TLS switched off explicitly beside a key is refused."""
    with pytest.raises(InvalidInput) as refused:
        TemporalSettings.from_environ({"LERUM_FLOW_TEMPORAL_TLS": "nej", "LERUM_FLOW_TEMPORAL_API_KEY": "k"})
    assert refused.value.rule == "temporal_tls_av"


def test_an_unreadable_tls_switch_is_refused() -> None:
    """LERUM_FLOW_TEMPORAL_TLS takes ja or nej (or their English forms), nothing else."""
    with pytest.raises(InvalidInput, match="'ja' eller 'nej'"):
        TemporalSettings.from_environ({"LERUM_FLOW_TEMPORAL_TLS": "kanske"})


def test_the_worker_command_refuses_a_bad_path_before_connecting(tmp_path: Path) -> None:
    """`lerum-flow worker` with a missing CA file ends with the Swedish message and exit code 1."""
    from typer.testing import CliRunner

    from lerum_flow.cli.main import app

    result = CliRunner().invoke(
        app,
        ["worker"],
        env={
            "LERUM_FLOW_DATA_DIR": str(tmp_path),
            "LERUM_FLOW_TEMPORAL_TLS_CA": str(tmp_path / "saknas.pem"),
        },
    )
    assert result.exit_code == 1
    assert "finns inte" in " ".join(result.output.split())  # the long temporary path wraps the line


def test_the_worker_command_refuses_a_health_port_in_use(tmp_path: Path) -> None:
    """A health port another process holds is refused in words, before Temporal is reached."""
    import socket

    from typer.testing import CliRunner

    from lerum_flow.cli.main import app

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(
            app,
            ["worker"],
            env={"LERUM_FLOW_DATA_DIR": str(tmp_path), "LERUM_FLOW_HEALTH_PORT": str(port)},
        )
    assert result.exit_code == 1
    assert "används den redan" in result.output


def test_the_worker_command_says_in_words_when_temporal_does_not_answer(tmp_path: Path) -> None:
    """No server at the address: the worker ends with exit code 1 and says where it looked."""
    import socket

    from typer.testing import CliRunner

    from lerum_flow.cli.main import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(
        app,
        ["worker"],
        env={"LERUM_FLOW_DATA_DIR": str(tmp_path), "LERUM_FLOW_TEMPORAL_ADDRESS": f"127.0.0.1:{port}"},
    )
    assert result.exit_code == 1
    assert f"Temporal svarar inte på 127.0.0.1:{port}" in result.output
