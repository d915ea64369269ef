"""Seeded mutations of a spec: what a careless edit or a hostile file does to it.

Each mutation takes the YAML text and the parsed document and returns new YAML text;
`cases(seed, n)` yields (name, text) pairs reproducibly.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator
from typing import Any

import yaml

Mutation = Callable[[random.Random, str, Any], str]


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, doc
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from _nodes(value, (*path, i))


def _pick(rng: random.Random, doc: Any, want: Callable[[Any], bool]) -> tuple[Any, ...] | None:
    found = [p for p, node in _nodes(doc) if p and want(node)]
    return rng.choice(found) if found else None


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def drop_key(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    path = _pick(rng, doc, lambda n: isinstance(n, dict) and bool(n))
    if path is None:
        return text
    parent = doc
    for step in path:
        parent = parent[step]
    del parent[rng.choice(list(parent))]
    return _dump(doc)


def retype_value(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    path = _pick(rng, doc, lambda n: True)
    if path is None:
        return text
    _set(doc, path, rng.choice([42, "text", [], {}, None, True, 3.5, ["a", 1]]))
    return _dump(doc)


def break_ref(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    path = _pick(rng, doc, lambda n: isinstance(n, dict) and "$ref" in n)
    if path is None:
        return text
    bad = rng.choice(["#/components/schemas/Nope", "Thing", "missing.yaml#/x", "#nope", "#/", 7])
    _set(doc, (*path, "$ref"), bad)
    return _dump(doc)


def cyclic_ref(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["LoopA"] = {"$ref": "#/components/schemas/LoopB"}
    schemas["LoopB"] = {"$ref": "#/components/schemas/LoopA"}
    doc.setdefault("paths", {})["/loop"] = {"$ref": "#/paths/~1loop"}
    return _dump(doc)


def duplicate_operation_id(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    ops = [node for _, node in _nodes(doc) if isinstance(node, dict) and "operationId" in node]
    if len(ops) >= 2:
        a, b = rng.sample(ops, 2)
        b["operationId"] = a["operationId"]
    return _dump(doc)


def cut_text(rng: random.Random, text: str, doc: Any) -> str:
    return text[: rng.randrange(0, max(1, len(text)))]


def deep_nesting(rng: random.Random, text: str, doc: Any) -> str:
    depth = rng.choice([50, 400, 3000])
    deep = '{"type": "object", "properties": {"x": ' * depth + '{"type": "string"}' + "}}" * depth
    doc = copy.deepcopy(doc)
    doc.setdefault("components", {}).setdefault("schemas", {})["Deep"] = "@@DEEP@@"
    return _dump(doc).replace("'@@DEEP@@'", deep)


def huge_string(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    path = _pick(rng, doc, lambda n: isinstance(n, str))
    if path is not None:
        _set(doc, path, "x" * rng.choice([10_000, 1_000_000]))
    return _dump(doc)


def wrong_version(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    doc["openapi"] = rng.choice(["2.0", "3.1.0", 3, None, "banana"])
    return _dump(doc)


def garbage(rng: random.Random, text: str, doc: Any) -> str:
    return rng.choice(["", "- just\n- a list\n", "{{{", "\x00\x01", ": : :", "a: [1, 2\n", "42"])


def unicode_names(rng: random.Random, text: str, doc: Any) -> str:
    doc = copy.deepcopy(doc)
    path = _pick(rng, doc, lambda n: isinstance(n, dict) and "operationId" in n)
    if path is not None:
        _set(
            doc,
            (*path, "operationId"),
            rng.choice(["ünïcödé", "with space", "class", "9lives", ""]),
        )
    return _dump(doc)


MUTATIONS: dict[str, Mutation] = {
    "drop-key": drop_key,
    "retype-value": retype_value,
    "break-ref": break_ref,
    "cyclic-ref": cyclic_ref,
    "duplicate-operation-id": duplicate_operation_id,
    "cut-text": cut_text,
    "deep-nesting": deep_nesting,
    "huge-string": huge_string,
    "wrong-version": wrong_version,
    "garbage": garbage,
    "unicode-names": unicode_names,
}


def cases(text: str, seed: int, count: int) -> Iterator[tuple[str, str]]:
    doc = yaml.safe_load(text)
    rng = random.Random(seed)
    names = sorted(MUTATIONS)
    for i in range(count):
        name = names[i % len(names)]
        yield f"{name}-{i}", MUTATIONS[name](rng, text, doc)
