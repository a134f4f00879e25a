"""How governance events become bytes and back: the library's JSON format, decoded faster.

Kept in one module so that a later change of encoding touches one file.

A field added to events after events were stored (`process`, `correction`; a budget
decision's `budget_year` and `budget_kind`, the document type it was taken as; the day
a decision about a later day was taken, `decided_on`) is left
out of the stored state while it is unset, so an event without it is stored
byte for byte as before the field existed, and read back with its default.

Encoding is the library's own (`JSONTranscoder`), byte for byte: stored events,
command ids derived from content and the auditors' digests all depend on
those bytes. Decoding reads the same format with orjson and turns the
library's `{"_type_": ..., "_data_": ...}` objects back into values in one
walk; it is what every load, rebuild, as-of replay and verification spends
most of its time on (profiled with `lerum-flow bench`: the library's decoder,
a Python object hook per JSON object, was two thirds of decoding an event).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID, SafeUUID

import orjson
from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    TranscodingNotRegisteredError,
)

# Imported for its effect: it defines every stored topic, so that whoever decodes the log
# (the views' rebuild in its own process too) can read every event.
import lerum_flow.domain.records  # noqa: F401

Decoder = Callable[[Any], Any]

# Looked up once: an Enum member's attribute access and the builtins' lookups
# were a third of uuid_from_hex's time.
_UNKNOWN_SAFETY = SafeUUID.unknown
_new_object = object.__new__
_set_attribute = object.__setattr__


# The transcodings whose stored text `stored_as_text` gives, as their `name`s are stored.
TIME_ISO = "datetime_iso"
DATE_ISO = "date_iso"
ID_HEX = "uuid_hex"


class DateAsISO(Transcoding):
    """Calendar dates (decided_on, due, valid_from) as ISO 8601 strings."""

    type = date
    name = DATE_ISO

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def uuid_from_hex(data: str) -> UUID:
    """`UUID(data)` for the 32 hex digits the library writes, without UUID's string parsing.

    UUID's constructor accepts many spellings and was the largest single cost of
    decoding (several per event); the library's encoding has exactly one.
    """
    # Exactly what UUID accepts in 32 characters: ASCII hex digits, no "0x", sign or "_",
    # which int() alone would let through. Anything else gets UUID's own checks and message.
    if len(data) != 32 or not (data.isascii() and data.isalnum()) or data[1] in "xX":
        return UUID(data)
    try:
        number = int(data, 16)
    except ValueError:
        return UUID(data)
    value = _new_object(UUID)
    _set_attribute(value, "int", number)
    _set_attribute(value, "is_safe", _UNKNOWN_SAFETY)
    return value


def stored_as_text(data: bytes, typed: Sequence[str]) -> dict[str, Any]:
    """An event's stored state with each typed value (an id, a date, a time) of the fields named
    `typed` as the text a view stores it in: an id as `str(UUID)` spells it, a date's and a time's
    `isoformat()` (what a rebuild reading the JSON itself takes, `handler_fold`). Only those fields
    are looked at: most of an event's fields are plain text."""
    fields: dict[str, Any] = orjson.loads(data)
    for name in typed:
        value = fields.get(name)
        if value is None:
            continue
        kind = value.get("_type_") if type(value) is dict else None
        if kind == ID_HEX:
            fields[name] = dashed(value["_data_"])
        elif kind in _ISO_TEXT:
            fields[name] = value["_data_"]
        else:
            raise ValueError(f"{name}: stored as {kind}, not an id, a date or a time")
    return fields


_ISO_TEXT = frozenset((DATE_ISO, TIME_ISO))


def dashed(hex_digits: str) -> str:
    """An id's 32 hex digits as `str(UUID(...))` spells it."""
    h = hex_digits
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class GovernanceTranscoder(JSONTranscoder):
    """The library's JSON transcoder with dates registered and a faster decoder."""

    def __init__(self) -> None:
        super().__init__()
        self._decoders: dict[str, Decoder] = {}
        self.register(DateAsISO())

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._decoders[transcoding.name] = uuid_from_hex if transcoding.name == ID_HEX else transcoding.decode

    def decode(self, data: bytes) -> Any:
        decoded = orjson.loads(data)
        if type(decoded) is not dict or ("_type_" in decoded and len(decoded) == 2):
            return self._value(decoded)
        # Inlined for the top level, where an event's fields are: most are plain values,
        # the rest mostly ids, times and dates (a typed object holding a plain string).
        decoders = self._decoders
        for name, value in decoded.items():
            kind = type(value)
            if kind is dict:
                if len(value) == 2 and type(value.get("_data_")) is str and value.get("_type_") in decoders:
                    decoded[name] = decoders[value["_type_"]](value["_data_"])
                else:
                    decoded[name] = self._value(value)
            elif kind is list:
                decoded[name] = self._value(value)
        return decoded

    def _value(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                data = value["_data_"]
                # As the library's object hook: what a typed value holds is decoded first.
                return self._typed(value["_type_"], self._value(data) if type(data) in (dict, list) else data)
            return {name: self._value(item) for name, item in value.items()}
        if kind is list:
            return [self._value(item) for item in value]
        return value

    def _typed(self, name: str, data: Any) -> Any:
        try:
            decoder = self._decoders[name]
        except KeyError:
            raise TranscodingNotRegisteredError(
                f"Data serialized with name '{name}' is not deserializable. "
                "Please register a custom transcoding for this type."
            ) from None
        return decoder(data)


# Added to every event later, with a default of None (see the module's docstring).
LATER_FIELDS = (
    "process",
    "correction",
    "budget_year",
    "budget_kind",
    "document_type",
    "report_digest",
    "decided_on",
)


class GovernanceMapper(Mapper[UUID]):
    """The library's mapper, storing an unset later field (LATER_FIELDS) not at all."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = vars(domain_event)
        unset = [name for name in LATER_FIELDS if name in state and state[name] is None]
        if not unset:
            return super().to_stored_event(domain_event)
        # The library's own encoding, of the same event without them.
        trimmed = _new_object(type(domain_event))
        trimmed.__dict__.update((name, value) for name, value in state.items() if name not in unset)
        return super().to_stored_event(trimmed)


def governance_transcoder(application: Application[Any]) -> GovernanceTranscoder:
    """The transcoder of an application on the governance store, with the library's
    transcodings (ids, times, decimals) registered through its usual hook."""
    transcoder = GovernanceTranscoder()
    application.register_transcodings(transcoder)
    return transcoder
