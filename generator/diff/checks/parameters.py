"""Request parameters of an operation: path-level and operation-level merged (moving one
between the two is no change), path parameters matched by their place in the template.

Beyond oasdiff: a parameter that keeps its name but changes `in` is one change
(`request-parameter-in-changed`), not a removal and an addition; a parameter removed and
another added in the same place with the same schema is a rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.diff.checks import lifecycle
from generator.diff.checks.endpoints import parse_sunset
from generator.diff.checks.schemas import SchemaWalker
from generator.diff.checks.site import SchemaSite
from generator.diff.context import Context, OpPair, Side
from generator.diff.model import Direction
from generator.yamlsource import escape

_NAMES = re.compile(r"\{([^}/]*)\}")


@dataclass(frozen=True)
class Param:
    node: dict[str, Any]
    ptr: str
    shared: bool = False  # declared on the path item, for every operation of the path

    @property
    def name(self) -> str:
        return str(self.node.get("name"))

    @property
    def location(self) -> str:
        return str(self.node.get("in"))

    @property
    def required(self) -> bool:
        return self.node.get("required") is True or self.location == "path"

    @property
    def label(self) -> str:
        return f"the {self.location} parameter `{self.name}`"

    def schema(self) -> tuple[Any, str]:
        if "schema" in self.node:
            return self.node["schema"], f"{self.ptr}/schema"
        content = self.node.get("content")
        if isinstance(content, dict) and content:
            media = next(iter(content))
            entry = content[media] if isinstance(content[media], dict) else {}
            return entry.get("schema", {}), f"{self.ptr}/content/{escape(media)}/schema"
        return {}, self.ptr


def effective_params(
    side: Side, path: str, item: dict[str, Any], op: dict[str, Any], op_ptr: str
) -> dict[tuple[str, str], Param]:
    """Effective parameters keyed by (in, name); a path parameter by its place in the path."""
    places = {name: str(i) for i, name in enumerate(_NAMES.findall(path))}
    out: dict[tuple[str, str], Param] = {}
    for owner, owner_ptr in ((item, f"/paths/{escape(path)}"), (op, op_ptr)):
        raw = owner.get("parameters")
        for i, entry in enumerate(raw if isinstance(raw, list) else []):
            node, ptr = side.follow(entry, f"{owner_ptr}/parameters/{i}")
            if not isinstance(node, dict) or "name" not in node or "in" not in node:
                continue
            param = Param(node, ptr, owner is item)
            if param.location == "path":
                key = ("path", places.get(param.name, param.name))
            elif param.location == "header":
                key = ("header", param.name.lower())
            else:
                key = (param.location, param.name)
            out[key] = param
    return out


def check_operation(ctx: Context, op: OpPair) -> None:
    before = effective_params(ctx.base, op.base_path, op.base_item, op.base, op.bptr)
    after = effective_params(ctx.rev, op.path, op.rev_item, op.rev, op.rptr)
    removed = [k for k in before if k not in after]
    added = [k for k in after if k not in before]
    for old in list(removed):
        new = _moved(ctx, before[old], after, added)
        if new is None:
            continue
        removed.remove(old)
        added.remove(new)
        was, now = before[old], after[new]
        if was.name == now.name:
            ctx.emit_op(
                "request-parameter-in-changed",
                op,
                pointer=now.ptr,
                detail=now.name,
                name=f"`{now.name}`",
                base=was.location,
                revision=now.location,
            )
        else:
            ctx.emit_op(
                "request-parameter-renamed",
                op,
                pointer=now.ptr,
                detail=f"{was.name}>{now.name}",
                base=f"`{was.name}`",
                revision=f"`{now.name}`",
                **{"in": now.location},
            )
        _compare(ctx, op, was, now)
    for key in removed:
        _removed(ctx, op, before[key])
    for key in added:
        param = after[key]
        kind = "required" if param.required else "optional"
        if param.location == "path":
            rule = "new-request-path-parameter"  # declared now; the template had it already
        elif param.shared and not any(p.shared for p in before.values()):
            rule = f"new-{kind}-request-default-parameter-to-existing-path"
        else:
            rule = f"new-{kind}-request-parameter"
        ctx.emit_op(
            rule, op, pointer=param.ptr, detail=param.name, subject=param.label, name=param.name
        )
    for key in before.keys() & after.keys():
        was, now = before[key], after[key]
        if was.name != now.name:
            ctx.emit_op(
                "request-path-parameter-renamed",
                op,
                pointer=now.ptr,
                detail=f"{was.name}>{now.name}",
                base=f"`{was.name}`",
                revision=f"`{now.name}`",
            )
        _compare(ctx, op, was, now)


def _moved(
    ctx: Context, was: Param, after: dict[tuple[str, str], Param], added: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """The added parameter that is `was` moved to another `in`, or renamed in place."""
    if was.location == "path":
        return None
    same_name = [k for k in added if after[k].name == was.name]
    if len(same_name) == 1:
        return same_name[0]
    schema = ctx.base.digest(was.schema()[0])
    renamed = [
        k
        for k in added
        if after[k].location == was.location and ctx.rev.digest(after[k].schema()[0]) == schema
    ]
    return renamed[0] if len(renamed) == 1 else None


def _removed(ctx: Context, op: OpPair, param: Param) -> None:
    kw: dict[str, Any] = {"pointer": param.ptr, "locate": op.rptr, "detail": param.name}
    kw["subject"] = param.label
    if param.node.get("deprecated") is not True:
        ctx.emit_op("request-parameter-removed", op, **kw)
        return
    raw = param.node.get("x-sunset")
    sunset = parse_sunset(raw) if raw is not None else None
    if raw is not None and sunset is None:
        ctx.emit_op("request-parameter-sunset-parse", op, value=str(raw), **kw)
    elif sunset is not None and sunset > ctx.today:
        ctx.emit_op("request-parameter-removed-before-sunset", op, date=sunset.isoformat(), **kw)
    else:
        ctx.emit_op("request-parameter-removed-with-deprecation", op, **kw)


def _compare(ctx: Context, op: OpPair, was: Param, now: Param) -> None:
    kw: dict[str, Any] = {"pointer": now.ptr, "detail": now.name, "subject": now.label}
    if was.required != now.required:
        verb = "required" if now.required else "optional"
        ctx.emit_op(f"request-parameter-became-{verb}", op, **kw)
    lifecycle.check_parameter(ctx, op, was.node, now.node, kw)
    site = SchemaSite(
        op,
        Direction.REQUEST,
        "request-header" if now.location == "header" else "request-parameter",
        now.label,
        f"parameter|{now.location}|{now.name}",
    )
    (bschema, bptr), (rschema, rptr) = was.schema(), now.schema()
    SchemaWalker(ctx, site).compare("", bschema, rschema, bptr, rptr)
