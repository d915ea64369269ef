"""Paths and operations: added, removed (with or without deprecation, before or after an
`x-sunset` date), operationId and tags (deprecating one is lifecycle.py's).

Paths are matched by their template with parameter names blanked (`/clients/{}`), so
renaming a path parameter keeps the operation (parameters.py reports the rename).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from generator.diff.context import Context, OpPair
from generator.openapi import HTTP_METHODS
from generator.yamlsource import escape

_TEMPLATE = re.compile(r"\{[^}/]*\}")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})([T ].*)?$")


def template(path: str) -> str:
    return _TEMPLATE.sub("{}", path)


def parse_sunset(value: Any) -> date | None:
    """An x-sunset value as a date; None when it is not one (the caller reports that)."""
    match = _DATE.match(str(value)) if isinstance(value, (str, date)) else None
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _paths(document: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    paths = document.get("paths")
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    if isinstance(paths, dict):
        for path, item in paths.items():
            if isinstance(item, dict):
                out.setdefault(template(path), (path, item))
    return out


def _operations(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m: item[m] for m in HTTP_METHODS if isinstance(item.get(m), dict)}


def matched_operations(ctx: Context) -> Iterator[OpPair]:
    """Report added and removed endpoints; yield the operations present in both."""
    base_paths, rev_paths = _paths(ctx.base.document), _paths(ctx.rev.document)
    for key in sorted(base_paths.keys() | rev_paths.keys()):
        if key not in rev_paths:
            base_path, item = base_paths[key]
            for method, node in _operations(item).items():
                _removed(ctx, base_path, method, node, whole_path=True, locate="/paths")
            continue
        rev_path, rev_item = rev_paths[key]
        rev_ops = _operations(rev_item)
        if key not in base_paths:
            for method in rev_ops:
                ptr = f"/paths/{escape(rev_path)}/{method}"
                ctx.emit("endpoint-added", method=method.upper(), path=rev_path, pointer=ptr)
            continue
        base_path, base_item = base_paths[key]
        base_ops = _operations(base_item)
        for method, node in base_ops.items():
            if method not in rev_ops:
                locate = f"/paths/{escape(rev_path)}"
                _removed(ctx, base_path, method, node, whole_path=False, locate=locate)
        for method, rev_node in rev_ops.items():
            if method not in base_ops:
                ptr = f"/paths/{escape(rev_path)}/{method}"
                ctx.emit("endpoint-added", method=method.upper(), path=rev_path, pointer=ptr)
                continue
            yield OpPair(
                method.upper(), rev_path, base_path, base_ops[method], rev_node, base_item, rev_item
            )


def _removed(
    ctx: Context, path: str, method: str, node: dict[str, Any], *, whole_path: bool, locate: str
) -> None:
    stem = "api-path" if whole_path else "api"
    kw: dict[str, Any] = {"method": method.upper(), "path": path, "locate": locate}
    kw["pointer"] = f"/paths/{escape(path)}/{method}"
    if node.get("deprecated") is not True:
        ctx.emit(f"{stem}-removed-without-deprecation", **kw)
        return
    raw = node.get("x-sunset")
    if raw is None:
        ctx.emit(f"{stem}-removed-with-deprecation", **kw)
        return
    sunset = parse_sunset(raw)
    if sunset is None:
        ctx.emit("api-path-sunset-parse", value=str(raw), **kw)
    elif sunset > ctx.today:
        ctx.emit(f"{stem}-removed-before-sunset", date=sunset.isoformat(), **kw)
    else:
        ctx.emit(f"{stem}-removed-with-deprecation", **kw)


def check_operation(ctx: Context, op: OpPair) -> None:
    _operation_id(ctx, op)
    _tags(ctx, op)


def _operation_id(ctx: Context, op: OpPair) -> None:
    before, after = op.base.get("operationId"), op.rev.get("operationId")
    if before == after:
        return
    ptr = f"{op.rptr}/operationId"
    if before and after:
        ctx.emit_op(
            "api-operation-id-changed", op, pointer=ptr, base=f"`{before}`", revision=f"`{after}`"
        )
    elif before:
        ctx.emit_op("api-operation-id-removed", op, base=f"`{before}`")
    else:
        ctx.emit_op("api-operation-id-added", op, pointer=ptr, revision=f"`{after}`")


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _tags(ctx: Context, op: OpPair) -> None:
    before = [t for t in _as_list(op.base.get("tags")) if isinstance(t, str)]
    after = [t for t in _as_list(op.rev.get("tags")) if isinstance(t, str)]
    for tag in after:
        if tag not in before:
            ctx.emit_op(
                "api-tag-added", op, pointer=f"{op.rptr}/tags", detail=tag, value=f"`{tag}`"
            )
    for tag in before:
        if tag not in after:
            ctx.emit_op(
                "api-tag-removed", op, pointer=f"{op.rptr}/tags", detail=tag, value=f"`{tag}`"
            )
