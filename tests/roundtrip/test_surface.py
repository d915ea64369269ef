"""Round trip: the generated client and stub expose exactly the spec's operations (the
stub as the enterprise build; as the open-source build, all but the enterprise ones)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from generator.naming import tag_class, tag_module
from generator.openapi import (
    client_method_names,
    is_enterprise,
    iter_operations,
    operation_parameters,
)
from generator.viewmodel.model import pascal_words


def spec_operations(bundled: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    """operationId -> (tag, method, path)."""
    return {
        op.node["operationId"]: (op.node["tags"][0], op.method.upper(), op.path)
        for op in iter_operations(bundled)
    }


def public_methods(cls: type) -> set[str]:
    return {
        name for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")
    }


def test_client_has_one_method_per_operation_and_nothing_else(bundled: dict[str, Any]) -> None:
    """Each operation is one method, on its resource or on one of its sub-resources
    (`client.authentication.users.list`), named by generator/naming.py."""
    import importlib

    from emqx_client import resources

    names = client_method_names(bundled)
    expected: dict[str, dict[str, set[str]]] = {}
    for op_id, (tag, _, _) in spec_operations(bundled).items():
        name = names[op_id]
        expected.setdefault(tag, {}).setdefault(name.group, set()).add(name.method)
    found_tags = {name for name in resources.__all__ if not name.startswith("Async")}
    assert found_tags == {tag_class(t) for t in expected}
    for tag, groups in expected.items():
        module = importlib.import_module(f"emqx_client.resources.{tag_module(tag)}")
        for prefix in ("", "Async"):
            cls = getattr(resources, prefix + tag_class(tag))
            assert public_methods(cls) == groups.get("", set())
            for group, methods in groups.items():
                if group:
                    sub = getattr(module, prefix + tag_class(tag) + pascal_words(group))
                    assert cls.__annotations__[group] == sub.__name__
                    assert public_methods(sub) == methods


def test_client_attributes_follow_tags(bundled: dict[str, Any]) -> None:
    from emqx_client import AsyncClient, Client

    tags = {tag for tag, _, _ in spec_operations(bundled).values()}
    client = Client(base_url="http://127.0.0.1:1/api/v5")
    aclient = AsyncClient(base_url="http://127.0.0.1:1/api/v5")
    for tag in tags:
        assert type(getattr(client, tag_module(tag))).__name__ == tag_class(tag)
        assert type(getattr(aclient, tag_module(tag))).__name__ == "Async" + tag_class(tag)
    client.close()


def _routes(openapi: dict[str, Any]) -> dict[str, tuple[str, str]]:
    routes: dict[str, tuple[str, str]] = {}
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            assert operation["operationId"] not in routes, operation["operationId"]
            routes[operation["operationId"]] = (method.upper(), path.removeprefix("/api/v5"))
    return routes


def test_stub_has_one_route_per_operation_and_nothing_else(
    bundled: dict[str, Any], stub_openapi: dict[str, Any]
) -> None:
    expected = {
        op_id: (method, path) for op_id, (_, method, path) in spec_operations(bundled).items()
    }
    assert _routes(stub_openapi) == expected


def test_the_open_source_stub_leaves_out_the_enterprise_operations(
    bundled: dict[str, Any],
) -> None:
    enterprise = {
        op.node["operationId"] for op in iter_operations(bundled) if is_enterprise(op.node)
    }
    assert len(enterprise) >= 29
    expected = {
        op_id: (method, path)
        for op_id, (_, method, path) in spec_operations(bundled).items()
        if op_id not in enterprise
    }
    assert _routes(_openapi("ce")) == expected


def _openapi(edition: str) -> dict[str, Any]:
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key="k", secret_key="s", edition=edition)
    openapi: dict[str, Any] = create_app(backend.handlers()).openapi()
    return openapi


@pytest.fixture(scope="module")
def stub_openapi() -> dict[str, Any]:
    return _openapi("ee")


def _types(schema: Any, components: dict[str, Any]) -> set[str]:
    """The JSON types a schema admits (refs followed, `null` for nullable), or {"any"}."""
    if not isinstance(schema, dict):
        return {"any"}
    if "$ref" in schema:
        return _types(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    out: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            out |= _types(sub, components)
    kind = schema.get("type")
    if isinstance(kind, list):
        out |= set(kind)
    elif kind:
        out.add(kind)
    if "enum" in schema and not kind:
        out |= {
            "string" if isinstance(v, str) else "integer" for v in schema["enum"] if v is not None
        }
    if "const" in schema:
        out.add("string" if isinstance(schema["const"], str) else "integer")
    if schema.get("nullable"):
        out.add("null")
    return out or {"any"}


def _params(
    op: dict[str, Any], components: dict[str, Any], params: dict[str, Any]
) -> dict[tuple[str, str], Any]:
    found = {}
    for param in op.get("parameters", []):
        if "$ref" in param:
            param = params[param["$ref"].rsplit("/", 1)[-1]]
        found[(param["in"], param["name"])] = (
            bool(param.get("required", False)),
            _types(param.get("schema"), components) - {"null"},
        )
    return found


def _body_ref(op: dict[str, Any], components: dict[str, Any]) -> str | None:
    """What a request body is: its named schema for JSON, its field names for a multipart
    form (FastAPI names that schema itself), its media type for text and files."""
    content = (op.get("requestBody") or {}).get("content") or {}
    if not content:
        return None
    if len(content) > 1:  # JSON or an upload: the stub declares both media types
        return "media:" + ",".join(sorted(content))
    media, value = next(iter(content.items()))
    schema = value.get("schema") or {}
    if media.startswith("multipart/"):
        resolved = components[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
        return "form:" + ",".join(sorted(resolved.get("properties", {})))
    if "json" not in media:
        return f"media:{media}"
    schema = schema.get("items", schema) if schema.get("type") == "array" else schema
    refs = [s for s in schema.get("anyOf", []) if "$ref" in s]  # an optional body: X | None
    schema = refs[0] if len(refs) == 1 else schema
    return str(schema.get("$ref", "inline")).rsplit("/", 1)[-1]


def test_stub_openapi_matches_the_spec(
    bundled: dict[str, Any], stub_openapi: dict[str, Any]
) -> None:
    spec_components = bundled["components"]["schemas"]
    stub_components = stub_openapi.get("components", {}).get("schemas", {})
    spec_params = bundled["components"].get("parameters", {})
    mismatches = []
    for op in iter_operations(bundled):
        label = f"{op.method.upper()} {op.path}"
        mine = stub_openapi["paths"]["/api/v5" + op.path][op.method]
        merged = {"parameters": operation_parameters(bundled, op)}
        spec_p = _params(merged, spec_components, spec_params)
        stub_p = _params(mine, stub_components, {})
        if {k: v[0] for k, v in spec_p.items()} != {k: v[0] for k, v in stub_p.items()}:
            mismatches.append((label, "parameters", sorted(spec_p), sorted(stub_p)))
        for key, (_, types) in spec_p.items():
            if key in stub_p and not (stub_p[key][1] >= types or "any" in stub_p[key][1]):
                if not (key[1] == "fields"):  # a comma-separated list is a string on the wire
                    mismatches.append((label, key, types, stub_p[key][1]))
        if _body_ref(op.node, spec_components) != _body_ref(mine, stub_components):
            mismatches.append(
                (
                    label,
                    "body",
                    _body_ref(op.node, spec_components),
                    _body_ref(mine, stub_components),
                )
            )
        if set(op.node["responses"]) != set(mine["responses"]):
            mismatches.append(
                (label, "statuses", sorted(op.node["responses"]), sorted(mine["responses"]))
            )
    assert mismatches == []
