"""The API lifecycle, judged as oasdiff does: deprecation and `x-sunset` of operations,
parameters and properties against a deprecation period, `x-stability-level` (draft < alpha
< beta < stable; none counts as stable), and the versioning policy of `info.version`.

The period comes from the operation's stability and the options `--deprecation-days-beta`
and `--deprecation-days-stable` (Policy, 0 by default: then no sunset is asked for).
"""

from __future__ import annotations

import re
from typing import Any

from generator.diff.checks.endpoints import parse_sunset
from generator.diff.checks.site import Pair, Walker
from generator.diff.context import Context, OpPair
from generator.diff.model import Level

LEVELS = ("draft", "alpha", "beta", "stable")
_SEMVER = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:[-+][0-9A-Za-z.+-]*)?$")


def stability(node: dict[str, Any]) -> tuple[str, bool]:
    """The x-stability-level of an operation or schema ("" when unset) and whether it is
    a valid one."""
    raw = node.get("x-stability-level")
    if raw is None:
        return "", True
    return (raw, True) if raw in LEVELS else (str(raw), False)


def _rank(label: str) -> int:
    return LEVELS.index(label) if label in LEVELS else LEVELS.index("stable")


# operations ------------------------------------------------------------------------------


def check_operation(ctx: Context, op: OpPair) -> None:
    _stability(ctx, op)
    _deprecation(ctx, op)


def _stability(ctx: Context, op: OpPair) -> None:
    (before, bok), (after, rok) = stability(op.base), stability(op.rev)
    if ctx.base.digest(op.base) == ctx.rev.digest(op.rev):
        return  # as oasdiff: only the operations that changed are judged
    for ok, label, ptr in ((bok, before, op.bptr), (rok, after, op.rptr)):
        if not ok:
            at = f"{ptr}/x-stability-level"
            ctx.emit_op(
                "api-invalid-stability-level", op, pointer=at, detail=at, value=f"`{label}`"
            )
    if not (bok and rok) or _rank(before) == _rank(after):
        return
    rule = "api-stability-decreased" if _rank(after) < _rank(before) else "api-stability-increased"
    ctx.emit_op(
        rule,
        op,
        pointer=f"{op.rptr}/x-stability-level",
        base=before or "stable",
        revision=after or "stable",
    )


def _deprecation(ctx: Context, op: OpPair) -> None:
    was = op.base.get("deprecated") is True
    now = op.rev.get("deprecated") is True
    ptr = f"{op.rptr}/deprecated"
    braw, rraw = op.base.get("x-sunset"), op.rev.get("x-sunset")
    if now and not was:
        label, ok = stability(op.rev)
        if not ok:
            return  # reported as api-invalid-stability-level
        days = ctx.policy.days(label or "stable")
        if rraw is None:
            if days > 0:
                ctx.emit_op("api-deprecated-sunset-missing", op, pointer=ptr, days=str(days))
            else:
                ctx.emit_op("endpoint-deprecated", op, pointer=ptr)
        elif (sunset := parse_sunset(rraw)) is None:
            ctx.emit_op(
                "api-deprecated-sunset-parse", op, pointer=f"{op.rptr}/x-sunset", value=str(rraw)
            )
        elif (sunset - ctx.today).days < days:
            ctx.emit_op(
                "api-sunset-date-too-small",
                op,
                pointer=f"{op.rptr}/x-sunset",
                date=sunset.isoformat(),
                days=str(days),
            )
        else:
            ctx.emit_op("endpoint-deprecated-with-sunset", op, pointer=ptr, date=sunset.isoformat())
    elif was and not now:
        ctx.emit_op("endpoint-reactivated", op, pointer=op.rptr)
    elif was and now and braw is not None and braw != rraw:
        if rraw is None:
            ctx.emit_op("sunset-deleted", op, pointer=op.rptr, base=str(braw))
            return
        before, after = parse_sunset(braw), parse_sunset(rraw)
        if after is None:
            ctx.emit_op(
                "api-deprecated-sunset-parse", op, pointer=f"{op.rptr}/x-sunset", value=str(rraw)
            )
        elif before is not None and after < before:
            ctx.emit_op(
                "api-sunset-date-changed-too-small",
                op,
                pointer=f"{op.rptr}/x-sunset",
                base=before.isoformat(),
                revision=after.isoformat(),
            )


# parameters ------------------------------------------------------------------------------


def check_parameter(
    ctx: Context, op: OpPair, was: dict[str, Any], now: dict[str, Any], kw: dict[str, Any]
) -> None:
    """Deprecation of one parameter present on both sides; `kw` names it for emit."""
    was_dep, now_dep = was.get("deprecated") is True, now.get("deprecated") is True
    braw, rraw = was.get("x-sunset"), now.get("x-sunset")
    if was_dep and not now_dep:
        ctx.emit_op("request-parameter-reactivated", op, **kw)
    elif now_dep and not was_dep:
        label, ok = stability(op.rev)
        days = ctx.policy.days(label or "stable") if ok else 0
        sunset = parse_sunset(rraw) if rraw is not None else None
        if rraw is None and days > 0:
            ctx.emit_op("request-parameter-deprecated-sunset-missing", op, days=str(days), **kw)
        elif sunset is not None and (sunset - ctx.today).days < days:
            ctx.emit_op(
                "request-parameter-sunset-date-too-small",
                op,
                date=sunset.isoformat(),
                days=str(days),
                **kw,
            )
        else:
            ctx.emit_op("request-parameter-deprecated", op, **kw)
    elif was_dep and now_dep and braw is not None and braw != rraw:
        if rraw is None:
            ctx.emit_op("request-parameter-sunset-deleted", op, base=str(braw), **kw)
            return
        before, after = parse_sunset(braw), parse_sunset(rraw)
        if before is not None and after is not None and after < before:
            ctx.emit_op(
                "request-parameter-sunset-date-changed-too-small",
                op,
                base=before.isoformat(),
                revision=after.isoformat(),
                **kw,
            )


# properties ------------------------------------------------------------------------------


def check_property(w: Walker, pair: Pair) -> None:
    """Deprecation and stability of a request or response body property."""
    if not pair.prop or w.site.scope not in ("request-body", "response-body"):
        return
    was, now = pair.base.get("deprecated") is True, pair.rev.get("deprecated") is True
    if was and not now:
        w.emit(("reactivated",), pair)
    elif now and not was:
        label, ok = stability(w.site.op.rev)
        days = w.ctx.policy.days(label or "stable") if ok else 0
        raw = pair.rev.get("x-sunset")
        sunset = parse_sunset(raw) if raw is not None else None
        if raw is None:
            if days > 0:
                w.emit(("deprecated-sunset-missing",), pair, days=str(days))
            else:
                w.emit(("deprecated",), pair)
        elif sunset is None:
            w.emit(("deprecated-sunset-invalid",), pair, value=str(raw))
        elif (sunset - w.ctx.today).days < days:
            w.emit(("sunset-date-too-small",), pair, date=sunset.isoformat(), days=str(days))
        else:
            w.emit(("deprecated-with-sunset",), pair, date=sunset.isoformat())
    (before, bok), (after, rok) = stability(pair.base), stability(pair.rev)
    if bok and rok and _rank(before) != _rank(after):
        verb = "decreased" if _rank(after) < _rank(before) else "increased"
        w.emit((f"stability-{verb}",), pair, base=before or "stable", revision=after or "stable")


# the versioning policy -------------------------------------------------------------------


def check_version(ctx: Context) -> None:
    """With a breaking change, info.version must be bumped (a semantic version's major,
    or its minor below 1.0.0); said once for the document, like oasdiff."""
    if not any(c.level is Level.ERR for c in ctx.changes):
        return
    binfo, rinfo = ctx.base.document.get("info"), ctx.rev.document.get("info")
    before = binfo.get("version") if isinstance(binfo, dict) else None
    after = rinfo.get("version") if isinstance(rinfo, dict) else None
    bsem = _SEMVER.match(before) if isinstance(before, str) else None
    rsem = _SEMVER.match(after) if isinstance(after, str) else None
    if bsem is None or rsem is None:
        return
    old = tuple(int(bsem.group(i)) for i in (1, 2, 3))
    new = tuple(int(rsem.group(i)) for i in (1, 2, 3))
    kw: dict[str, Any] = {"pointer": "/info/version", "base": before, "revision": after}
    if before == after:
        ctx.emit("api-version-not-bumped", **kw)
    elif new <= old:
        ctx.emit("api-version-decreased", **kw)
    elif not (new[1] > old[1] if old[0] == 0 and new[0] == 0 else new[0] > old[0]):
        ctx.emit("api-major-version-not-bumped", **kw)
