"""What code written against the generated client touches, read off the view model.

The generator renders `client.<resource>.<method>(*, keyword: Type, ...) -> Return` from
the view model's Operation (its tag module, python name, parameters, body and success
annotation) and one Pydantic model per component schema. This module takes exactly those
names and types, plus the JSON pointer each comes from (so a change to that node can be
told apart from a change elsewhere), and nothing the client never shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.diff.checks.endpoints import template
from generator.diff.checks.parameters import effective_params
from generator.diff.checks.schemas import flatten
from generator.diff.context import Side
from generator.openapi import RawOperation, client_method_names, iter_operations
from generator.viewmodel.build import operation_view as view_operation
from generator.viewmodel.model import Operation
from generator.viewmodel.types import annotation
from generator.yamlsource import escape

_LITERAL = re.compile(r"Literal\[([^\]]*)\]")
# What the view model's builders raise on input the generator's validation would refuse.
_REFUSED = (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError)


def shape(text: str) -> frozenset[str]:
    """The members of a type annotation's top-level union, enum literals read as their base
    type: a value added to or dropped from an enum is no change of the Python type (the
    client's enums are open), a member added to a union is."""

    def base(found: re.Match[str]) -> str:
        return "str" if found.group(1).lstrip()[:1] in ("'", '"') else "int"

    return frozenset(p.strip() for p in _LITERAL.sub(base, text).split(" | ") if p.strip())


@dataclass(frozen=True)
class Keyword:
    """One keyword argument of a client method."""

    name: str
    annotation: str
    required: bool
    pointer: str


@dataclass(frozen=True)
class Method:
    call: str  # client.banned.list_banned
    keywords: dict[str, Keyword]
    returns: str
    pointer: str  # the operation
    returns_at: tuple[str, ...]  # the 2xx responses and the schemas they name


@dataclass(frozen=True)
class Field:
    name: str
    annotation: str
    required: bool
    pointer: str


@dataclass(frozen=True)
class Model:
    name: str
    fields: dict[str, Field]
    pointer: str
    read: bool  # reached from a response: code reads its fields
    built: bool  # reached from a request body: code constructs it


@dataclass(frozen=True)
class Surface:
    methods: dict[tuple[str, str], tuple[str, Method]]  # (METHOD, path template) -> (path, m)
    models: dict[str, Model]


def _operations(document: dict[str, Any]) -> list[RawOperation]:
    return list(iter_operations(document)) if isinstance(document.get("paths"), dict) else []


def surface(side: Side) -> Surface:
    doc = side.document
    methods: dict[tuple[str, str], tuple[str, Method]] = {}
    try:
        names = client_method_names(doc)
    except _REFUSED:
        names = {}  # clashing names: the generator refuses the spec; no method is named
    for raw in _operations(doc):
        try:
            view = view_operation(doc, raw, names)
        except _REFUSED:
            continue  # an operation the generator would refuse has no client method
        key = (raw.method.upper(), template(raw.path))
        methods[key] = (raw.path, _method(side, raw.path, raw.method, raw.path_item, view))
    return Surface(methods, _models(side))


def _method(side: Side, path: str, verb: str, item: dict[str, Any], view: Operation) -> Method:
    op_ptr = f"/paths/{escape(path)}/{verb}"
    params = effective_params(side, path, item, item[verb], op_ptr)
    where = {(p.location, p.name): p.ptr for p in params.values()}
    keywords = {
        p.python_name: Keyword(
            p.python_name, p.annotation, p.required, where.get((p.location, p.name), op_ptr)
        )
        for p in view.parameters
    }
    body_ptr = f"{op_ptr}/requestBody"
    if view.body is not None and view.body.kind == "multipart":
        for f in view.body.fields:
            ann = "FileInput" if f.is_file else f.annotation
            keywords[f.python_name] = Keyword(f.python_name, ann, f.required, body_ptr)
    elif view.body is not None:
        required = view.body.required and view.upload is None
        keywords["body"] = Keyword("body", view.body.annotation, required, body_ptr)
    responses = item[verb].get("responses")
    returns_at: list[str] = []
    for status, response in responses.items() if isinstance(responses, dict) else ():
        if str(status).startswith("2"):
            returns_at.append(f"{op_ptr}/responses/{escape(str(status))}")
            returns_at += _named_schemas(side, response, returns_at[-1])
    call = f"client.{view.tag_module}.{view.client_call}"
    return Method(call, keywords, view.success.client_annotation, op_ptr, tuple(returns_at))


def _named_schemas(side: Side, response: Any, ptr: str) -> list[str]:
    """The pointers of the schemas a response's bodies refer to (findings are reported at
    the schema a ref leads to)."""
    node, _ = side.follow(response, ptr)
    content = node.get("content") if isinstance(node, dict) else None
    out = []
    for media, entry in content.items() if isinstance(content, dict) else ():
        if isinstance(entry, dict) and "schema" in entry:
            _, target = side.follow(entry["schema"], f"{ptr}/content/{escape(media)}/schema")
            out.append(target)
    return out


def _models(side: Side) -> dict[str, Model]:
    doc = side.document
    schemas = (doc.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return {}
    read, built = _reached(side)
    out = {}
    for name, schema in schemas.items():
        ptr = f"/components/schemas/{escape(name)}"
        node, _ = side.follow(schema, ptr)
        if not isinstance(node, dict):
            continue
        props, required = flatten(side, node, ptr)
        try:
            fields = {
                wire: Field(wire, annotation(value, doc), wire in required, vptr)
                for wire, (value, vptr) in props.items()
            }
        except _REFUSED:
            continue  # a schema the generator would refuse has no model
        used = name in read or name in built
        out[name] = Model(name, fields, ptr, name in read or not used, name in built or not used)
    return out


def _reached(side: Side) -> tuple[set[str], set[str]]:
    """Names of the component schemas reached from responses, and from request bodies."""
    operations = _operations(side.document)
    built = _collect(side, [raw.node.get("requestBody") for raw in operations])
    read = _collect(side, [raw.node.get("responses") for raw in operations])
    return read, built


def _collect(side: Side, roots: list[Any]) -> set[str]:
    """The component schemas reached from `roots`, each component walked once."""
    names: set[str] = set()
    stack = list(roots)
    seen: set[str] = set()
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                if ref in seen:
                    continue
                seen.add(ref)
                if ref.startswith("#/components/schemas/"):
                    names.add(ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~"))
                stack.append(side.follow(current, "")[0])
            else:
                stack.extend(current.values())
    return names
