"""The governance transcoder decodes exactly what the library's JSON transcoder decodes, faster."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from hypothesis import given
from hypothesis import strategies as st

from lerum_flow.persistence import DateAsISO, GovernanceTranscoder, uuid_from_hex


def library_transcoder() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr(), DateAsISO()):
        transcoder.register(transcoding)
    return transcoder


def governance_transcoder() -> GovernanceTranscoder:
    transcoder = GovernanceTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
        transcoder.register(transcoding)
    return transcoder


LIBRARY = library_transcoder()
OURS = governance_transcoder()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(),
    st.uuids(),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=2))])),
    st.decimals(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (a UUID is not its hex string)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@given(st.dictionaries(st.text(max_size=12), values, max_size=8))
def test_decodes_what_the_library_encoded_as_the_library_decodes_it(state: dict[str, Any]) -> None:
    encoded = LIBRARY.encode(state)
    assert same(OURS.decode(encoded), LIBRARY.decode(encoded))


@given(values)
def test_a_value_that_is_not_an_object_decodes_as_in_the_library(value: Any) -> None:
    encoded = LIBRARY.encode(value)
    assert same(OURS.decode(encoded), LIBRARY.decode(encoded))


def test_encoding_is_the_library_s_byte_for_byte() -> None:
    state = {"id": uuid4(), "on": date(2027, 6, 30), "at": datetime(2027, 6, 30, 10, tzinfo=UTC), "n": [1]}
    assert OURS.encode(state) == LIBRARY.encode(state)


def test_an_object_shaped_like_a_typed_value_but_not_one_stays_an_object() -> None:
    for odd in (
        {"_type_": "uuid_hex"},
        {"_type_": "uuid_hex", "_data_": "x", "more": 1},
        {"_data_": 1, "x": 2},
    ):
        encoded = LIBRARY.encode({"field": odd, "nested": [odd]})
        assert OURS.decode(encoded) == LIBRARY.decode(encoded) == {"field": odd, "nested": [odd]}


def test_a_typed_value_holding_typed_values_is_decoded_inside_out() -> None:
    encoded = b'{"field":{"_type_":"decimal_str","_data_":{"_type_":"decimal_str","_data_":"2.5"}}}'
    assert same(OURS.decode(encoded), LIBRARY.decode(encoded))
    assert OURS.decode(encoded) == {"field": Decimal("2.5")}


def test_an_unregistered_type_is_refused_naming_it() -> None:
    encoded = b'{"field":{"_type_":"no_such_type","_data_":"1"}}'
    with pytest.raises(TranscodingNotRegisteredError, match="no_such_type"):
        OURS.decode(encoded)
    with pytest.raises(TranscodingNotRegisteredError, match="no_such_type"):
        LIBRARY.decode(encoded)


def test_uuid_from_hex_equals_uuid_and_behaves_as_one() -> None:
    for _ in range(100):
        original = uuid4()
        fast = uuid_from_hex(original.hex)
        assert fast == original
        assert hash(fast) == hash(original)
        assert str(fast) == str(original)
        assert fast.version == 4
        assert {fast: 1}[original] == 1
    assert uuid_from_hex("12345678-1234-5678-1234-567812345678") == UUID(
        "12345678-1234-5678-1234-567812345678"
    )
    # Odd spellings UUID itself accepts or refuses: the same answer, the same error.
    for odd in ("z" * 32, "0x" + "1" * 30, "+" + "1" * 31, "1_" * 16, " " + "1" * 31, "١" * 32):
        try:
            expected: UUID | str = UUID(odd)
        except ValueError as error:
            expected = str(error)
        try:
            got: UUID | str = uuid_from_hex(odd)
        except ValueError as error:
            got = str(error)
        assert got == expected
