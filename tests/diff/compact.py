"""Compact rule cases: one YAML file per rule, `tests/diff/cases/<rule-id>.yaml`.

    expected: [ERR request-property-const-added]   # the exact LEVEL id lines
    at: request-property                           # where the schema sits, see PLACES
    openapi: "3.1.0"                               # optional; 3.1.0 by default
    policy: {stable_days: 30}                      # optional: the deprecation Policy
    media: application/xml                         # optional: the body's media type
                                                   # ([base, revision] when it changes)
    base: {type: string}                           # the schema there, before ...
    revision: {type: string, const: a}             # ... and after

With `at: document`, `base` and `revision` are merged into the document of a query
parameter `value` (mappings key by key, lists item by item). Without `at` they are whole
documents. Either way the two documents are written out as YAML files, so changes get a
file and a line like any other case.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from generator.diff.model import Policy

PLACES = (
    "request-body",
    "request-property",
    "response-body",
    "response-property",
    "request-parameter",
    "document",
)
_RESPONSE = {"type": "object", "properties": {"id": {"type": "string"}}}


def _json(schema: Any, media: str = "application/json") -> dict[str, Any]:
    return {media: {"schema": schema}}


def _document(
    version: str, at: str, schema: Any, media: str = "application/json"
) -> dict[str, Any]:
    wrapped = {"type": "object", "properties": {"value": schema}}
    response = {"response-body": schema, "response-property": wrapped}.get(at, _RESPONSE)
    answer_media = media if at.startswith("response") else "application/json"
    op: dict[str, Any] = {
        "operationId": "put_thing",
        "tags": ["Things"],
        "responses": {
            "200": {"description": "The thing.", "content": _json(response, answer_media)}
        },
    }
    if at in ("request-body", "request-property"):
        body = schema if at == "request-body" else wrapped
        op["requestBody"] = {"required": True, "content": _json(body, media)}
    if at == "request-parameter":
        op["parameters"] = [{"name": "value", "in": "query", "schema": schema}]
    return {
        "openapi": version,
        "info": {"title": "diff case", "version": "1.0"},
        "paths": {"/things": {"put": op}},
    }


def _merge(into: Any, extra: Any) -> Any:
    if isinstance(into, dict) and isinstance(extra, dict):
        out = dict(into)
        for key, value in extra.items():
            out[key] = _merge(into[key], value) if key in into else value
        return out
    if isinstance(into, list) and isinstance(extra, list):
        return [_merge(a, b) for a, b in zip(into, extra, strict=False)] + extra[len(into) :]
    return extra


def _side(data: dict[str, Any], key: str) -> dict[str, Any]:
    at = data.get("at")
    if at is None:
        side: dict[str, Any] = data[key]
        return side
    version = str(data.get("openapi", "3.1.0"))
    if at == "document":
        skeleton = _document(version, "request-parameter", {"type": "string"})
        merged: dict[str, Any] = _merge(skeleton, copy.deepcopy(data[key]))
        return merged
    media = data.get("media", "application/json")
    if isinstance(media, list):
        media = media[0 if key == "base" else 1]
    return _document(version, at, copy.deepcopy(data[key]), str(media))


def load_case(path: Path) -> tuple[dict[str, Any], dict[str, Any], list[str], Policy]:
    """The base and revision documents of a compact case, its expected lines and policy."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = [str(line) for line in data["expected"]]
    assert data.get("at") in (None, *PLACES), f"{path.name}: `at` is one of {PLACES}"
    policy = Policy(**data.get("policy", {}))
    return _side(data, "base"), _side(data, "revision"), expected, policy


def write_case(path: Path, folder: Path) -> tuple[Path, Path, list[str], Policy]:
    """The case's two documents as files in `folder`, its expected lines and policy."""
    base, revision, expected, policy = load_case(path)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, document in (("base.yaml", base), ("revision.yaml", revision)):
        target = folder / name
        target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        files.append(target)
    return files[0], files[1], expected, policy
