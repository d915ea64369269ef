"""Valid answers for every JSON response of the spec, built from its examples and schemas,
and the client's decoding of them (default and strict) without a network."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Answer:
    """One operation's 2xx JSON answer: the client's result type and a valid body."""

    operation: str
    method: str
    path: str
    annotation: str
    body: Any


def _resolve(schema: Any, document: dict[str, Any]) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def instance(schema: Any, document: dict[str, Any], depth: int = 0) -> Any:
    """A value of `schema`: its example when it has one, else the smallest value that
    holds every required field."""
    schema = _resolve(schema, document)
    if not isinstance(schema, dict) or depth > 12:
        return None
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return instance(schema[key][0], document, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = instance(part, document, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), None)
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            name: instance(props.get(name, {}), document, depth + 1)
            for name in schema.get("required", [])
        }
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [instance(schema.get("items", {}), document, depth + 1) for _ in range(count)]
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2024-05-01T12:00:00Z"
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return float(schema.get("minimum", 0))
    if kind == "boolean":
        return True
    return None


def answers() -> list[Answer]:
    """Every operation with a JSON 2xx answer whose client result is typed."""
    from generator.loader import load
    from generator.viewmodel import build_view

    spec, _ = load(ROOT / "spec" / "openapi.yaml")
    assert spec is not None
    document = spec.document
    found = []
    for tag in build_view(spec).tags:
        for op in tag.operations:
            annotation = op.success.client_json_annotation
            if not annotation or annotation == "Any":
                continue
            response = document["paths"][op.path][op.method.lower()]["responses"]
            content = _resolve(response[str(op.success.status)], document).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            body = instance(schema, document)
            found.append(Answer(op.operation_id, op.method, op.path, annotation, body))
    return found


def result_type(annotation: str) -> Any:
    from emqx_client import models

    return eval(annotation, {"models": models, "Any": Any, "Literal": Literal})


def decode(answer: Answer, body: Any, *, strict: bool) -> Any:
    """The client's decoding of `body` as this operation's 2xx answer."""
    from emqx_client._base_client import adapter, parse_response

    request = httpx.Request(answer.method, f"http://emqx.invalid/api/v5{answer.path}")
    response = httpx.Response(
        200,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        request=request,
    )
    made = adapter(result_type(answer.annotation))
    return parse_response(response, made, strict=strict, method=answer.method, route=answer.path)
