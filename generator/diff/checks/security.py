"""Security: the requirements each operation is served under (its own `security`, or the
document's), and the security schemes themselves.

The requirement list is a set of alternatives; a client satisfies one of them. Removing an
alternative refuses the clients that used it (ERR); adding one, or removing a scope, refuses
nobody. A public operation that starts to require credentials breaks every anonymous
caller; the reverse breaks nobody.
"""

from __future__ import annotations

from typing import Any

from generator.diff.context import Context, OpPair
from generator.yamlsource import escape


def _alternatives(document: dict[str, Any], op: dict[str, Any]) -> dict[str, list[str]]:
    """{"basicAuth": scopes, "a + b": scopes, "": []} for the operation's effective security."""
    raw = op.get("security", document.get("security"))
    out: dict[str, list[str]] = {}
    for requirement in raw if isinstance(raw, list) else []:
        if isinstance(requirement, dict):
            name = " + ".join(sorted(requirement))
            scopes: list[str] = []
            for value in requirement.values():
                scopes.extend(
                    s for s in (value if isinstance(value, list) else []) if isinstance(s, str)
                )
            out[name] = scopes
    return out


def _public(alternatives: dict[str, list[str]]) -> bool:
    return not alternatives or "" in alternatives


def _pointer(op: OpPair) -> str:
    return f"{op.rptr}/security" if "security" in op.rev else "/security"


def check_operation(ctx: Context, op: OpPair) -> None:
    before = _alternatives(ctx.base.document, op.base)
    after = _alternatives(ctx.rev.document, op.rev)
    if before == after:
        return
    ptr = _pointer(op)
    if _public(before) and not _public(after):
        ctx.emit_op("api-public-endpoint-secured", op, pointer=ptr, value=_names(after))
        return
    if not _public(before) and _public(after):
        ctx.emit_op("api-endpoint-made-public", op, pointer=ptr, value=_names(before))
        return
    for name in after.keys() - before.keys() - {""}:
        ctx.emit_op("api-security-added", op, pointer=ptr, detail=name, value=f"`{name}`")
    for name in before.keys() - after.keys() - {""}:
        ctx.emit_op("api-security-removed", op, pointer=ptr, detail=name, value=f"`{name}`")
    for name in sorted(before.keys() & after.keys()):
        for scope in sorted(set(after[name]) - set(before[name])):
            ctx.emit_op(
                "api-security-scope-added",
                op,
                pointer=ptr,
                detail=f"{name}:{scope}",
                value=f"`{name}`",
                scope=f"`{scope}`",
            )
        for scope in sorted(set(before[name]) - set(after[name])):
            ctx.emit_op(
                "api-security-scope-removed",
                op,
                pointer=ptr,
                detail=f"{name}:{scope}",
                value=f"`{name}`",
                scope=f"`{scope}`",
            )


def _names(alternatives: dict[str, list[str]]) -> str:
    return " or ".join(f"`{n}`" for n in sorted(alternatives) if n)


def _schemes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    comps = document.get("components")
    schemes = comps.get("securitySchemes") if isinstance(comps, dict) else None
    if not isinstance(schemes, dict):
        return {}
    return {k: v for k, v in schemes.items() if isinstance(v, dict)}


def _kind(scheme: dict[str, Any]) -> str:
    kind = str(scheme.get("type", ""))
    if kind == "http" and scheme.get("scheme"):
        kind += f"/{str(scheme['scheme']).lower()}"
    if kind == "apiKey" and scheme.get("in"):
        kind += f"/{scheme['in']}"
    return kind


def check_spec(ctx: Context) -> None:
    before = _schemes(ctx.base.document)
    after = {k: ctx.rev.follow(v, "")[0] for k, v in _schemes(ctx.rev.document).items()}
    before = {k: ctx.base.follow(v, "")[0] for k, v in before.items()}
    for name in sorted(after.keys() - before.keys()):
        ptr = f"/components/securitySchemes/{escape(name)}"
        ctx.emit("api-security-component-added", pointer=ptr, name=f"`{name}`")
    for name in sorted(before.keys() - after.keys()):
        ptr = f"/components/securitySchemes/{escape(name)}"
        ctx.emit(
            "api-security-component-removed",
            pointer=ptr,
            locate="/components/securitySchemes",
            name=f"`{name}`",
        )
    for name in sorted(before.keys() & after.keys()):
        was, now = _kind(before[name]), _kind(after[name])
        if was != now:
            ptr = f"/components/securitySchemes/{escape(name)}"
            ctx.emit(
                "api-security-component-type-changed",
                pointer=ptr,
                name=f"`{name}`",
                base=f"`{was}`",
                revision=f"`{now}`",
            )
