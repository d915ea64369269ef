"""Each pydantic model's JSON schema matches its component schema in the spec."""

from __future__ import annotations

import enum
from typing import Any

import pytest
from pydantic import BaseModel, RootModel, TypeAdapter

from generator.openapi import deref


def spec_types(schema: Any, doc: dict[str, Any]) -> set[str]:
    schema = deref(doc, schema)
    if not isinstance(schema, dict):
        return {"any"}
    out: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            out |= spec_types(sub, doc)
    if schema.get("type"):
        out.add(schema["type"])
    elif "enum" in schema:
        out |= {_kind(v) for v in schema["enum"]}
    if schema.get("nullable"):
        out.add("null")
    return out or {"any"}


def model_types(schema: Any, defs: dict[str, Any]) -> set[str]:
    if not isinstance(schema, dict):
        return {"any"}
    if "$ref" in schema:
        return model_types(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    out: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            out |= model_types(sub, defs)
    kind = schema.get("type")
    out |= set(kind) if isinstance(kind, list) else ({kind} if kind else set())
    if "enum" in schema and not kind:
        out |= {_kind(v) for v in schema["enum"]}
    if "const" in schema and not kind:
        out.add(_kind(schema["const"]))
    return out or {"any"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {str: "string", bool: "boolean", int: "integer", float: "number"}.get(
        type(value), "object"
    )


def spec_enum(schema: Any, doc: dict[str, Any]) -> list[Any] | None:
    schema = deref(doc, schema)
    if isinstance(schema, dict) and "enum" in schema:
        return sorted(schema["enum"], key=str)
    subs = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    for sub in subs if isinstance(schema, dict) else []:
        found = spec_enum(sub, doc)
        if found is not None:
            return found
    return None


def model_enum(schema: Any, defs: dict[str, Any]) -> list[Any] | None:
    if isinstance(schema, dict) and "$ref" in schema:
        return model_enum(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if isinstance(schema, dict) and "enum" in schema:
        return sorted(schema["enum"], key=str)
    if isinstance(schema, dict) and "const" in schema:
        return [schema["const"]]
    for sub in (schema or {}).get("anyOf", []) if isinstance(schema, dict) else []:
        found = model_enum(sub, defs)
        if found is not None:
            return found
    return None


def composed(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """An object schema built with allOf (the enterprise v1 bridges) as one object: the
    properties and required fields of its parts, then its own (which win)."""
    if not schema.get("allOf") or not (schema.get("properties") or schema.get("type") == "object"):
        return schema
    props: dict[str, Any] = {}
    required: list[str] = []
    for part in schema["allOf"]:
        flat = composed(deref(doc, part), doc)
        props.update(flat.get("properties", {}))
        required += flat.get("required", [])
    props.update(schema.get("properties", {}))
    required += schema.get("required", [])
    rest = {k: v for k, v in schema.items() if k != "allOf"}
    return {**rest, "properties": props, "required": sorted(set(required))}


def components(bundled: dict[str, Any]) -> list[str]:
    return sorted(bundled["components"]["schemas"])


@pytest.mark.parametrize("package", ["emqx_client", "emqx_server_stub"])
def test_every_component_has_a_model(bundled: dict[str, Any], package: str) -> None:
    models = __import__(f"{package}.models", fromlist=["x"])
    missing = [name for name in components(bundled) if not hasattr(models, name)]
    assert missing == []


def _compare(name: str, spec: dict[str, Any], model: Any, doc: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if isinstance(model, type) and issubclass(model, enum.Enum):
        values = sorted((m.value for m in model), key=str)
        if values != sorted(spec.get("enum", []), key=str):
            problems.append(f"{name}: enum {values} != {spec.get('enum')}")
        return problems
    if not isinstance(model, type) or issubclass(model, RootModel):
        schema = TypeAdapter(model).json_schema()
        got = model_types(schema, schema.get("$defs", {}))
        if got - {"null"} != spec_types(spec, doc) - {"null"}:
            problems.append(f"{name}: types {got} != {spec_types(spec, doc)}")
        return problems
    assert isinstance(model, type) and issubclass(model, BaseModel), name
    js = model.model_json_schema(by_alias=True)
    defs = js.get("$defs", {})
    props = spec.get("properties", {})
    if set(js.get("properties", {})) != set(props):
        problems.append(f"{name}: properties {sorted(js.get('properties', {}))} != {sorted(props)}")
    if set(js.get("required", [])) != set(spec.get("required", [])):
        problems.append(
            f"{name}: required {sorted(js.get('required', []))} != {sorted(spec.get('required', []))}"
        )
    for prop, prop_schema in props.items():
        mine = js.get("properties", {}).get(prop)
        if mine is None:
            continue
        want = spec_types(prop_schema, doc)
        got = model_types(mine, defs)
        if "any" not in want and got - {"null"} != want - {"null"}:
            problems.append(f"{name}.{prop}: types {sorted(got)} != {sorted(want)}")
        if "null" in want and "null" not in got:
            problems.append(f"{name}.{prop}: nullable in the spec, not in the model")
        if spec_enum(prop_schema, doc) != model_enum(mine, defs):
            problems.append(
                f"{name}.{prop}: enum {model_enum(mine, defs)} != {spec_enum(prop_schema, doc)}"
            )
    return problems


def test_models_match_their_component_schemas(bundled: dict[str, Any]) -> None:
    from emqx_server_stub import models

    problems: list[str] = []
    for name in components(bundled):
        spec = composed(deref(bundled, bundled["components"]["schemas"][name]), bundled)
        problems += _compare(name, spec, getattr(models, name), bundled)
    assert problems == []


def test_client_enums_keep_unknown_values() -> None:
    from emqx_client import models

    code = models.ErrorCode("A_CODE_FROM_A_NEWER_BROKER")
    assert code == "A_CODE_FROM_A_NEWER_BROKER"
    assert models.ErrorCode("NOT_FOUND") is models.ErrorCode.NOT_FOUND


def test_stub_enums_refuse_unknown_values() -> None:
    from emqx_server_stub import models

    with pytest.raises(ValueError):
        models.ErrorCode("A_CODE_FROM_A_NEWER_BROKER")
