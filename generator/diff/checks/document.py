"""Document-level changes: webhooks (OpenAPI 3.1), component schemas removed, the
document's own security requirements, and the OAuth flows of security schemes.

Security is judged per operation on its effective requirements (security.py); the rules
here only say what changed in the document's default, as oasdiff does (INFO).
"""

from __future__ import annotations

from typing import Any

from generator.diff.context import Context
from generator.yamlsource import escape


def _section(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    node: Any = document
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def check_spec(ctx: Context) -> None:
    _webhooks(ctx)
    _schemas(ctx)
    _global_security(ctx)
    _oauth(ctx)


def _webhooks(ctx: Context) -> None:
    before = _section(ctx.base.document, "webhooks")
    after = _section(ctx.rev.document, "webhooks")
    for name in sorted(after.keys() - before.keys()):
        ctx.emit("webhook-added", pointer=f"/webhooks/{escape(name)}", name=name)
    for name in sorted(before.keys() - after.keys()):
        ptr = f"/webhooks/{escape(name)}"
        ctx.emit("webhook-removed", pointer=ptr, locate="/webhooks", name=name)


def _schemas(ctx: Context) -> None:
    before = _section(ctx.base.document, "components", "schemas")
    after = _section(ctx.rev.document, "components", "schemas")
    for name in sorted(before.keys() - after.keys()):
        ptr = f"/components/schemas/{escape(name)}"
        ctx.emit("api-schema-removed", pointer=ptr, locate="/components/schemas", name=name)


def _requirements(document: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """The document's security requirements by their scheme names ("a + b"), with the
    scopes of each scheme."""
    raw = document.get("security")
    out: dict[str, dict[str, list[str]]] = {}
    for requirement in raw if isinstance(raw, list) else []:
        if isinstance(requirement, dict):
            scopes = {
                str(k): [s for s in v if isinstance(s, str)] if isinstance(v, list) else []
                for k, v in requirement.items()
            }
            out[" + ".join(sorted(scopes))] = scopes
    return out


def _global_security(ctx: Context) -> None:
    before, after = _requirements(ctx.base.document), _requirements(ctx.rev.document)
    for key in sorted(after.keys() - before.keys()):
        ctx.emit("api-global-security-added", pointer="/security", detail=key, value=f"`{key}`")
    for key in sorted(before.keys() - after.keys()):
        ctx.emit("api-global-security-removed", pointer="/security", detail=key, value=f"`{key}`")
    for key in sorted(before.keys() & after.keys()):
        for scheme, now in after[key].items():
            was = before[key].get(scheme, [])
            for scope in now:
                if scope not in was:
                    ctx.emit(
                        "api-global-security-scope-added",
                        pointer="/security",
                        detail=f"{scheme}|{scope}",
                        name=scheme,
                        value=f"`{scope}`",
                    )
            for scope in was:
                if scope not in now:
                    ctx.emit(
                        "api-global-security-scope-removed",
                        pointer="/security",
                        detail=f"{scheme}|{scope}",
                        name=scheme,
                        value=f"`{scope}`",
                    )


_URLS = (
    ("authorizationUrl", "api-security-component-oauth-url-changed"),
    ("tokenUrl", "api-security-component-oauth-token-url-changed"),
)


def _oauth(ctx: Context) -> None:
    before = _section(ctx.base.document, "components", "securitySchemes")
    after = _section(ctx.rev.document, "components", "securitySchemes")
    for name in sorted(before.keys() & after.keys()):
        was = _section(ctx.base.follow(before[name], "")[0], "flows")
        now = _section(ctx.rev.follow(after[name], "")[0], "flows")
        for flow in sorted(was.keys() & now.keys()):
            bflow, rflow = was[flow], now[flow]
            if not isinstance(bflow, dict) or not isinstance(rflow, dict):
                continue
            ptr = f"/components/securitySchemes/{escape(name)}/flows/{escape(flow)}"
            kw: dict[str, Any] = {"name": name, "flow": flow}
            for key, rule in _URLS:
                if bflow.get(key) != rflow.get(key):
                    ctx.emit(
                        rule,
                        pointer=f"{ptr}/{key}",
                        base=f"`{bflow.get(key)}`",
                        revision=f"`{rflow.get(key)}`",
                        **kw,
                    )
            _scopes(ctx, ptr, _section(bflow, "scopes"), _section(rflow, "scopes"), kw)


def _scopes(
    ctx: Context, ptr: str, was: dict[str, Any], now: dict[str, Any], kw: dict[str, Any]
) -> None:
    for scope in sorted(now.keys() - was.keys()):
        ctx.emit(
            "api-security-component-oauth-scope-added",
            pointer=f"{ptr}/scopes",
            detail=scope,
            value=f"`{scope}`",
            **kw,
        )
    for scope in sorted(was.keys() - now.keys()):
        ctx.emit(
            "api-security-component-oauth-scope-removed",
            pointer=f"{ptr}/scopes",
            detail=scope,
            value=f"`{scope}`",
            **kw,
        )
    for scope in sorted(was.keys() & now.keys()):
        if was[scope] != now[scope]:
            ctx.emit(
                "api-security-component-oauth-scope-changed",
                pointer=f"{ptr}/scopes/{escape(scope)}",
                detail=scope,
                value=f"`{scope}`",
                **kw,
            )
