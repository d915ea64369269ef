"""A smaller spec for the scaling table: a share of the bundled spec's operations, with the
components they reach (and nothing else), written as a one-file spec that both our
generator and the peers read."""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_NAMES = "x-emqx-model-names"


@dataclass
class Cut:
    spec: Path  # the root file, for our generator (a release file beside it)
    bundled: Path  # the same document as JSON, for the peers
    operations: int
    schemas: int


def _refs(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                section, _, name = ref[len("#/components/") :].partition("/")
                found.append((section, name.replace("~1", "/").replace("~0", "~")))
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


def operations(document: dict[str, Any]) -> int:
    return sum(1 for item in document.get("paths", {}).values() for verb in VERBS if verb in item)


def cut(document: dict[str, Any], share: float) -> dict[str, Any]:
    """Every n-th operation (n = 1/share, so each resource keeps some) and what it reaches."""
    doc = copy.deepcopy(document)
    doc.pop("x-generated", None)
    step = round(1 / share)
    index = 0
    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        kept = {}
        for key, value in item.items():
            if key in VERBS:
                if index % step == 0:
                    kept[key] = value
                index += 1
        if kept:
            paths[path] = {**{k: v for k, v in item.items() if k not in VERBS}, **kept}
    doc["paths"] = paths
    components = doc.get("components", {})
    keep: set[tuple[str, str]] = set()
    todo = _refs({k: v for k, v in doc.items() if k != "components"})
    todo += [("securitySchemes", name) for name in components.get("securitySchemes", {})]
    while todo:
        key = todo.pop()
        if key in keep or key[1] not in components.get(key[0], {}):
            continue
        keep.add(key)
        todo.extend(_refs(components[key[0]][key[1]]))
    out: dict[str, Any] = {}
    for section, entries in components.items():
        if section.startswith("x-"):
            continue
        kept_entries = {name: v for name, v in entries.items() if (section, name) in keep}
        if kept_entries:
            out[section] = kept_entries
    schemas = out.get("schemas", {})
    # The model-name table names models made from the schemas: keep a name whose schema
    # stays (an inline model's name starts with its schema's, the longest that fits).
    every = sorted(components.get("schemas", {}), key=len, reverse=True)
    names = {
        engine: chosen
        for engine, chosen in components.get(_NAMES, {}).items()
        if next((s for s in every if engine.startswith(s)), None) in schemas
    }
    if names:
        out[_NAMES] = names
    doc["components"] = out
    return doc


def write(document: dict[str, Any], share: float, folder: Path, release: Path) -> Cut:
    doc = cut(document, share) if share < 1 else document
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps({k: v for k, v in doc.items() if k != "x-generated"}, indent=1)
    spec = folder / "openapi.yaml"  # JSON is YAML: our loader reads it as its root file
    spec.write_text(text, encoding="utf-8")
    bundled = folder / "openapi.json"
    bundled.write_text(text, encoding="utf-8")
    shutil.copy(release, folder / release.name)
    return Cut(spec, bundled, operations(doc), len(doc.get("components", {}).get("schemas", {})))
