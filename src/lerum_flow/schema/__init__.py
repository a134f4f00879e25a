"""The store's schema, explicit and versioned: numbered migrations recorded in a version table
(`lerum-flow db migrate`, `db status`), and whether this process may write at all."""

from lerum_flow.schema.access import may_write
from lerum_flow.schema.migrate import SchemaStatus, migrate, prepared, status
from lerum_flow.schema.migrations import CURRENT_VERSION, MIGRATIONS, Migration

__all__ = [
    "CURRENT_VERSION",
    "MIGRATIONS",
    "Migration",
    "SchemaStatus",
    "may_write",
    "migrate",
    "prepared",
    "status",
]
