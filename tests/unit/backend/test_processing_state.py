"""Schema validations and message transformations straight on their state (no HTTP):
EMQX's reorder check and the registry lookups their schema checks make."""

from __future__ import annotations

import pytest
from emqx_server_stub.backend.common.processing import (
    Processing,
    ReorderError,
    find,
    reordered,
)
from emqx_server_stub.backend.schema_registry.state import SchemaRecord, SchemaRegistryState


def _items(*names: str) -> list[Processing]:
    return [Processing({"name": name}) for name in names]


def test_reordered_follows_the_order_given() -> None:
    items = _items("a", "b", "c")
    assert [i.name for i in reordered(items, ["c", "a", "b"])] == ["c", "a", "b"]
    assert find(items, "b") == 1
    assert find(items, "z") is None


def test_reorder_lists_unknown_left_out_and_repeated_names() -> None:
    with pytest.raises(ReorderError) as bad:
        reordered(_items("a", "b", "c"), ["b", "b", "x", "a"])
    assert bad.value.body() == {
        "code": "BAD_REQUEST",
        "message": "Bad request",
        "not_found": ["x"],
        "not_reordered": ["c"],
        "duplicated": ["b"],
    }


def test_schema_exists_knows_protobuf_message_types() -> None:
    registry = SchemaRegistryState()
    registry.schemas["pb"] = SchemaRecord("protobuf", "message  Person {\n string n = 1; }")
    registry.schemas["av"] = SchemaRecord("avro", '{"type":"string"}')
    assert registry.schema_exists("pb")
    assert registry.schema_exists("pb", ["Person"])
    assert not registry.schema_exists("pb", ["Other"])
    assert not registry.schema_exists("pb", ["Pers"])
    assert not registry.schema_exists("av", ["Person"])
    assert not registry.schema_exists("nope")
