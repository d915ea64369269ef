"""Responses: statuses, media types, body schemas and headers."""

from __future__ import annotations

from typing import Any

from generator.diff.checks.request_body import content, media_key
from generator.diff.checks.schemas import SchemaWalker
from generator.diff.checks.site import SchemaSite
from generator.diff.context import Context, OpPair
from generator.diff.model import Direction
from generator.yamlsource import escape


def _statuses(op: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Status (upper case, "2XX" style kept) -> (key as written, response)."""
    raw = op.get("responses")
    if not isinstance(raw, dict):
        return {}
    return {str(k).upper(): (str(k), v) for k, v in raw.items()}


def check_operation(ctx: Context, op: OpPair) -> None:
    before, after = _statuses(op.base), _statuses(op.rev)
    for status in sorted(after.keys() - before.keys()):
        kind = "success" if status.startswith("2") else "non-success"
        ptr = f"{op.rptr}/responses/{escape(after[status][0])}"
        ctx.emit_op(f"response-{kind}-status-added", op, pointer=ptr, detail=status, status=status)
    for status in sorted(before.keys() - after.keys()):
        kind = "success" if status.startswith("2") else "non-success"
        ctx.emit_op(
            f"response-{kind}-status-removed",
            op,
            pointer=f"{op.bptr}/responses/{escape(before[status][0])}",
            locate=f"{op.rptr}/responses",
            detail=status,
            status=status,
        )
    for status in sorted(before.keys() & after.keys()):
        bkey, braw = before[status]
        rkey, rraw = after[status]
        base, bptr = ctx.base.follow(braw, f"{op.bptr}/responses/{escape(bkey)}")
        rev, rptr = ctx.rev.follow(rraw, f"{op.rptr}/responses/{escape(rkey)}")
        if isinstance(base, dict) and isinstance(rev, dict):
            if ctx.base.digest(base) != ctx.rev.digest(rev):
                _media(ctx, op, status, base, rev, bptr, rptr)
                _headers(ctx, op, status, base, rev, bptr, rptr)


def _media(
    ctx: Context,
    op: OpPair,
    status: str,
    base: dict[str, Any],
    rev: dict[str, Any],
    bptr: str,
    rptr: str,
) -> None:
    bcontent, rcontent = content(base), content(rev)
    kw: dict[str, Any] = {"status": status}
    renamed = _renamed(bcontent.keys() - rcontent.keys(), rcontent.keys() - bcontent.keys())
    for was, now, rule in renamed:
        rmedia = f"{rptr}/content/{media_key(rev, now)}"
        ctx.emit_op(
            rule, op, pointer=rmedia, detail=f"{status} {was}>{now}", base=was, revision=now, **kw
        )
        bschema, rschema = bcontent[was].get("schema"), rcontent[now].get("schema")
        if bschema is not None and rschema is not None:
            site = SchemaSite(
                op,
                Direction.RESPONSE,
                "response-body",
                f"the response {status} ({now})",
                f"response|{status}|{now}",
            )
            bmedia = f"{bptr}/content/{media_key(base, was)}"
            SchemaWalker(ctx, site).compare(
                "", bschema, rschema, f"{bmedia}/schema", f"{rmedia}/schema"
            )
        bcontent = {k: v for k, v in bcontent.items() if k != was}
        rcontent = {k: v for k, v in rcontent.items() if k != now}
    for media in sorted(rcontent.keys() - bcontent.keys()):
        ptr = f"{rptr}/content/{media_key(rev, media)}"
        ctx.emit_op(
            "response-media-type-added",
            op,
            pointer=ptr,
            detail=f"{status} {media}",
            media=media,
            **kw,
        )
    for media in sorted(bcontent.keys() - rcontent.keys()):
        ctx.emit_op(
            "response-media-type-removed",
            op,
            pointer=f"{bptr}/content/{media_key(base, media)}",
            locate=f"{rptr}/content" if rcontent else rptr,
            detail=f"{status} {media}",
            media=media,
            **kw,
        )
    for media in sorted(bcontent.keys() & rcontent.keys()):
        bmedia = f"{bptr}/content/{media_key(base, media)}"
        rmedia = f"{rptr}/content/{media_key(rev, media)}"
        bschema, rschema = bcontent[media].get("schema"), rcontent[media].get("schema")
        detail = f"{status} {media}"
        if bschema is None and rschema is not None:
            ptr = f"{rmedia}/schema"
            ctx.emit_op(
                "response-body-media-type-schema-added",
                op,
                pointer=ptr,
                detail=detail,
                media=media,
                **kw,
            )
        elif bschema is not None and rschema is None:
            ctx.emit_op(
                "response-body-media-type-schema-removed",
                op,
                pointer=f"{bmedia}/schema",
                locate=rmedia,
                detail=detail,
                media=media,
                **kw,
            )
        elif bschema is not None:
            where = f"the response {status} ({media})"
            key = f"response|{status}|{media}"
            site = SchemaSite(op, Direction.RESPONSE, "response-body", where, key)
            SchemaWalker(ctx, site).compare(
                "", bschema, rschema, f"{bmedia}/schema", f"{rmedia}/schema"
            )


def _header_map(ctx_side: Any, node: dict[str, Any], ptr: str) -> dict[str, tuple[str, Any, str]]:
    raw = node.get("headers")
    out: dict[str, tuple[str, Any, str]] = {}
    for name, value in raw.items() if isinstance(raw, dict) else ():
        header, hptr = ctx_side.follow(value, f"{ptr}/headers/{escape(str(name))}")
        if isinstance(header, dict):
            out[str(name).lower()] = (str(name), header, hptr)
    return out


def _headers(
    ctx: Context,
    op: OpPair,
    status: str,
    base: dict[str, Any],
    rev: dict[str, Any],
    bptr: str,
    rptr: str,
) -> None:
    before = _header_map(ctx.base, base, bptr)
    after = _header_map(ctx.rev, rev, rptr)
    for key in sorted(after.keys() - before.keys()):
        name, _, ptr = after[key]
        ctx.emit_op(
            "response-header-added",
            op,
            pointer=ptr,
            detail=f"{status} {key}",
            name=f"`{name}`",
            status=status,
        )
    for key in sorted(before.keys() - after.keys()):
        name, header, ptr = before[key]
        rule = "required" if header.get("required") is True else "optional"
        ctx.emit_op(
            f"{rule}-response-header-removed",
            op,
            pointer=ptr,
            locate=f"{rptr}/headers" if after else rptr,
            detail=f"{status} {key}",
            name=f"`{name}`",
            status=status,
        )
    for key in sorted(before.keys() & after.keys()):
        _, was, wptr = before[key]
        name, now, nptr = after[key]
        if was.get("required") is True and now.get("required") is not True:
            ctx.emit_op(
                "response-header-became-optional",
                op,
                pointer=nptr,
                detail=f"{status} {key}",
                name=f"`{name}`",
                status=status,
            )
        where = f"the header `{name}` of the response {status}"
        site = SchemaSite(
            op, Direction.RESPONSE, "response-header", where, f"header|{status}|{key}"
        )
        bschema, rschema = was.get("schema", {}), now.get("schema", {})
        SchemaWalker(ctx, site).compare("", bschema, rschema, f"{wptr}/schema", f"{nptr}/schema")


def _parts(media: str) -> tuple[str, str, str]:
    name, _, params = media.partition(";")
    kind, _, sub = name.strip().lower().partition("/")
    return kind, sub, params.strip()


def _renamed(removed: set[str], added: set[str]) -> list[tuple[str, str, str]]:
    """Media types renamed, as oasdiff matches them: the same type with other parameters
    (changed), or a wildcard that covers the old one (generalized) or is covered by the
    new one (specialized). Each removed type matches at most one added type."""
    out: list[tuple[str, str, str]] = []
    free = sorted(added)
    for was in sorted(removed):
        bkind, bsub, bparams = _parts(was)
        for now in free:
            rkind, rsub, rparams = _parts(now)
            if (bkind, bsub) == (rkind, rsub) and bparams != rparams:
                rule = "response-media-type-name-changed"
            elif rkind == "*" or (rkind == bkind and rsub == "*" and bsub != "*"):
                rule = "response-media-type-name-generalized"
            elif bkind == "*" or (bkind == rkind and bsub == "*" and rsub != "*"):
                rule = "response-media-type-name-specialized"
            else:
                continue
            out.append((was, now, rule))
            free.remove(now)
            break
    return out
