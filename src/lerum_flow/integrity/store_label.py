"""Which store an evidence file or a checkpoint file came from, as its header names it (never with a
password): the command line and the web's download say it the same way."""

from __future__ import annotations

from urllib.parse import urlparse

from lerum_flow.settings import Settings


def store_label(settings: Settings) -> str:
    """Which store, for the files handed over; never with a password."""
    if settings.uses_postgres and settings.database_url:
        url = urlparse(settings.database_url)
        schema = f" (schema {settings.store_schema})" if settings.store_schema else ""
        return f"postgresql://{url.hostname}:{url.port or 5432}{url.path}{schema}"
    if settings.uses_postgres:
        return "postgresql (POSTGRES_*)"
    return str(settings.sqlite_path("governance"))
