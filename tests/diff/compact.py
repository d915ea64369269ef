"""Compact rule cases: one YAML file per rule, `tests/diff/cases/<rule-id>.yaml`.

    expected: [ERR request-property-const-added]   # the exact LEVEL id lines
    at: request-property                           # where the schema sits, see PLACES
    openapi: "3.1.0"                               # optional; 3.1.0 by default
    base: {type: string}                           # the schema there, before ...
    revision: {type: string, const: a}             # ... and after

Without `at`, `base` and `revision` are whole documents. Either way the two documents
are written out as YAML files, so changes get a file and a line like any other case.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

PLACES = (
    "request-body",
    "request-property",
    "response-body",
    "response-property",
    "request-parameter",
)
_RESPONSE = {"type": "object", "properties": {"id": {"type": "string"}}}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _document(version: str, at: str, schema: Any) -> dict[str, Any]:
    wrapped = {"type": "object", "properties": {"value": schema}}
    response = {"response-body": schema, "response-property": wrapped}.get(at, _RESPONSE)
    op: dict[str, Any] = {
        "operationId": "put_thing",
        "tags": ["Things"],
        "responses": {"200": {"description": "The thing.", "content": _json(response)}},
    }
    if at in ("request-body", "request-property"):
        body = schema if at == "request-body" else wrapped
        op["requestBody"] = {"required": True, "content": _json(body)}
    if at == "request-parameter":
        op["parameters"] = [{"name": "value", "in": "query", "schema": schema}]
    return {
        "openapi": version,
        "info": {"title": "diff case", "version": "1.0"},
        "paths": {"/things": {"put": op}},
    }


def load_case(path: Path) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """The base and revision documents of a compact case, and its expected lines."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = [str(line) for line in data["expected"]]
    at = data.get("at")
    if at is None:
        return data["base"], data["revision"], expected
    assert at in PLACES, f"{path.name}: `at` is one of {PLACES}"
    version = str(data.get("openapi", "3.1.0"))
    base = _document(version, at, copy.deepcopy(data["base"]))
    revision = _document(version, at, copy.deepcopy(data["revision"]))
    return base, revision, expected


def write_case(path: Path, folder: Path) -> tuple[Path, Path, list[str]]:
    """The case's two documents as files in `folder`, and its expected lines."""
    base, revision, expected = load_case(path)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, document in (("base.yaml", base), ("revision.yaml", revision)):
        target = folder / name
        target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        files.append(target)
    return files[0], files[1], expected
