"""Our client against a Temporal that demands mutual TLS: the settings' files are what gets it in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from temporal.temporal_harness import DEV_SERVER_STARTUP, binary
from temporal.tls_proxy import SERVER_NAME, Pki, make_pki, tls_front
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from lerum_flow.temporal_runtime import connect
from lerum_flow.temporal_settings import TemporalSettings

pytestmark = pytest.mark.slow


@asynccontextmanager
async def secured_temporal(pki: Pki) -> AsyncIterator[str]:
    """The dev server behind a TLS front that requires a client certificate; the front's address."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=pydantic_data_converter,
        dev_server_startup_timeout=DEV_SERVER_STARTUP,
    )
    try:
        async with tls_front(pki, env.client.service_client.config.target_host) as port:
            yield f"127.0.0.1:{port}"
    finally:
        await env.shutdown()


def test_the_settings_files_connect_to_a_temporal_demanding_mutual_tls(tmp_path: Path) -> None:
    """CA, client certificate and key from the settings, the certificate's name given apart from the
    address: the client connects and the server answers. Without the client certificate, with
    another CA, or without the name, the connection is refused."""
    pki = make_pki(tmp_path / "pki")
    stranger = make_pki(tmp_path / "annan", ca_name="Någon annans CA")

    async def scenario() -> None:
        async with secured_temporal(pki) as address:
            settings = TemporalSettings(
                address=address,
                tls_server_ca=pki.ca,
                tls_client_cert=pki.client_cert,
                tls_client_key=pki.client_key,
                tls_server_name=SERVER_NAME,
            )
            client = await connect(settings)
            assert await client.service_client.check_health()

            without_certificate = TemporalSettings(
                address=address, tls_server_ca=pki.ca, tls_server_name=SERVER_NAME
            )
            other_ca = TemporalSettings(
                address=address,
                tls_server_ca=stranger.ca,
                tls_client_cert=pki.client_cert,
                tls_client_key=pki.client_key,
                tls_server_name=SERVER_NAME,
            )
            without_name = TemporalSettings(
                address=address,
                tls_server_ca=pki.ca,
                tls_client_cert=pki.client_cert,
                tls_client_key=pki.client_key,
            )
            for refused in (without_certificate, other_ca, without_name):
                # The client connects eagerly: a refused handshake fails the connect itself.
                with pytest.raises(RuntimeError):
                    await connect(refused)

    asyncio.run(scenario())
