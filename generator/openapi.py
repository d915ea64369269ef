"""Small accessors over a bundled OpenAPI 3.0 document (plain dicts)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator import naming
from generator.yamlsource import escape, split_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class RawOperation:
    path: str
    method: str
    node: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def pointer(self) -> str:
        return f"/paths/{escape(self.path)}/{self.method}"

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def iter_operations(document: dict[str, Any]) -> Iterator[RawOperation]:
    paths = document.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                yield RawOperation(path, method, node, item)


def ref_name(node: Any) -> str | None:
    """`Client` for `{"$ref": "#/components/schemas/Client"}`, else None."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def component_refs(node: Any) -> Iterator[tuple[str, str]]:
    """(section, name) of every `#/components/<section>/<name>` ref below `node` (a
    document part, a list, or an iterator of parts); example and default values are data,
    and not searched."""
    todo: list[Any] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                parts = split_pointer(ref[1:])
                if len(parts) == 3:
                    yield parts[1], parts[2]
            todo.extend(v for k, v in item.items() if k not in _DATA_KEYS)
        elif isinstance(item, list | tuple) or hasattr(item, "__next__"):
            todo.extend(item)


_DATA_KEYS = frozenset({"example", "examples", "default"})


def deref(document: dict[str, Any], node: Any, limit: int = 32) -> Any:
    """Follow local `$ref`s until a non-ref node (or give up after `limit` hops)."""
    for _ in range(limit):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref = node["$ref"]
        if not ref.startswith("#"):
            return {}
        target: Any = document
        for token in split_pointer(ref[1:]):
            if isinstance(target, dict) and token in target:
                target = target[token]
            else:
                return {}
        node = target
    return node


def operation_parameters(document: dict[str, Any], op: RawOperation) -> list[dict[str, Any]]:
    """Path-level parameters merged with operation-level ones (the latter win), dereferenced."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in list(op.path_item.get("parameters") or []) + list(op.node.get("parameters") or []):
        param = deref(document, raw)
        if isinstance(param, dict) and "name" in param and "in" in param:
            merged[(str(param["in"]), str(param["name"]))] = param
    return list(merged.values())


def is_public(document: dict[str, Any], op: RawOperation) -> bool:
    """No credentials needed: no security, or `{}` among the alternatives (optional auth,
    such as the Prometheus endpoints when their basic auth is off)."""
    security = op.node.get("security", document.get("security"))
    return not security or any(not requirement for requirement in security)


EDITION_KEY = "x-emqx-edition"
ENTERPRISE = "enterprise"


def is_enterprise(node: Any) -> bool:
    """Marked `x-emqx-edition: enterprise`: only EMQX's enterprise build has it (an
    operation, a branch of a union or a property)."""
    return isinstance(node, dict) and node.get(EDITION_KEY) == ENTERPRISE


def error_code_schema(document: dict[str, Any]) -> dict[str, Any] | None:
    schema = (document.get("components") or {}).get("schemas", {}).get("ErrorCode")
    return schema if isinstance(schema, dict) else None


def operation_tag(node: dict[str, Any]) -> str:
    """The one tag of an operation (the resource of its client method)."""
    tags = node.get("tags") or ["Default"]
    return str(tags[0])


def client_method_names(document: dict[str, Any]) -> dict[str, naming.MethodName]:
    """operationId -> naming.MethodName for every operation of the document: its client
    method, from the rule in generator/naming.py and the spec's `x-emqx-method`s. Raises
    naming.NamingError when two operations of a resource would share a name."""
    nouns = {
        str(t.get("name")): tuple(str(n) for n in t.get(naming.NOUNS_KEY) or ())
        for t in document.get("tags") or []
        if isinstance(t, dict)
    }
    by_tag: dict[str, list[tuple[str, str | None]]] = {}
    for raw in iter_operations(document):
        op_id = raw.node.get("operationId")
        if isinstance(op_id, str):
            override = raw.node.get(naming.METHOD_KEY)
            by_tag.setdefault(operation_tag(raw.node), []).append(
                (op_id, None if override is None else str(override))
            )
    names: dict[str, naming.MethodName] = {}
    for tag, ops in by_tag.items():
        names.update(naming.client_methods(tag, ops, nouns.get(tag, ())))
    return names
