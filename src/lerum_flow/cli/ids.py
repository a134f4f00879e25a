"""Ids on the command line: short ids in, full ids for the commands, short ids out.

A user may type any unique start of an id (see lerum_flow.record_ids); the
commands themselves always get the full id, so a command's derived id, and so
its idempotency, is the same whichever spelling was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer

from lerum_flow.record_ids import HEX_DIGITS, IdQueries, hex_prefix

# The record each id field of a command names.
ID_FIELDS: Mapping[str, str] = {
    "uppdrag_id": "uppdrag",
    "parent_id": "uppdrag",
    "origin_beslut_id": "beslut",
    "beslut_id": "beslut",
    "delegering_id": "delegering",
    "parent_delegering_id": "delegering",
    "avvikelse_id": "avvikelse",
    "plan_id": "internkontrollplan",
    "styrdokument_id": "styrdokument",
    "parent_styrdokument_id": "styrdokument",
    "successor_id": "styrdokument",
}

FullIdsOption = Annotated[
    bool,
    typer.Option("--full-ids", help="Visa hela id:n (med --json visas de alltid hela)."),
]

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

    # Only named: a read shows short ids without importing the commands (and pydantic).
    from lerum_flow.cli.session import CliSession
    from lerum_flow.commands import Command


def resolve_ids(
    store: Callable[[], IdQueries], command_class: Callable[..., Command], fields: Mapping[str, Any]
) -> dict[str, Any]:
    """The command's fields with every short id replaced by the full id it names.

    The store is opened only if there is a short id to look up. What is not
    written like an id is left for the command's own validation to refuse.
    """
    resolved = dict(fields)
    model_fields: Mapping[str, FieldInfo] = getattr(command_class, "model_fields", {})
    wanted = {name: kind for name, kind in ID_FIELDS.items() if name in model_fields}
    # An avvikelse about an uppdrag refers to it by id.
    if resolved.get("subject_kind") == "uppdrag" and "subject_ref" in model_fields:
        wanted["subject_ref"] = "uppdrag"
    for name, kind in wanted.items():
        value = resolved.get(name)
        digits = hex_prefix(value) if isinstance(value, str) else None
        if isinstance(value, str) and digits is not None and len(digits) < HEX_DIGITS:
            title = model_fields[name].title or name
            resolved[name] = str(store().resolve_id(value, kind, field=title))
    return resolved


@dataclass(frozen=True)
class IdLabels:
    """How ids are shown: their shortest unique start, or whole."""

    labels: Mapping[UUID, str] = field(default_factory=dict)

    def __call__(self, record_id: UUID | None) -> str:
        if record_id is None:
            return ""
        return self.labels.get(record_id, str(record_id))


def id_labels(
    short_ids: Callable[[Iterable[UUID]], Mapping[UUID, str]], ids: Iterable[UUID | None], *, full: bool
) -> IdLabels:
    """Labels for these ids: their shortest starts unique in the whole store (from `short_ids`,
    a store's `short` or `short_ids`), or the full ids."""
    if full:
        return IdLabels()
    return IdLabels(short_ids([i for i in ids if i is not None]))


def show_full_ids(flag: bool, session: CliSession) -> bool:
    """Whole ids: asked for on the command (--full-ids), or the output is JSON."""
    return flag or session.output.as_json
