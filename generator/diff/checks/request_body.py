"""The request body: added, removed, made required; its media types; their schemas."""

from __future__ import annotations

from typing import Any

from generator.diff.checks.schemas import SchemaWalker
from generator.diff.checks.site import SchemaSite
from generator.diff.context import Context, OpPair
from generator.diff.model import Direction
from generator.yamlsource import escape


def content(node: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Media type (lower case) -> media type object."""
    raw = node.get("content")
    if not isinstance(raw, dict):
        return {}
    return {str(k).lower(): v for k, v in raw.items() if isinstance(v, dict)}


def media_key(node: dict[str, Any], media: str) -> str:
    """The media type as written in the document (content keys keep their case)."""
    raw = node.get("content")
    for key in raw if isinstance(raw, dict) else {}:
        if str(key).lower() == media:
            return escape(str(key))
    return escape(media)


def check_operation(ctx: Context, op: OpPair) -> None:
    braw, rraw = op.base.get("requestBody"), op.rev.get("requestBody")
    if braw is None and rraw is None:
        return
    base, bptr = ctx.base.follow(braw, f"{op.bptr}/requestBody")
    rev, rptr = ctx.rev.follow(rraw, f"{op.rptr}/requestBody")
    if braw is None or not isinstance(base, dict):
        required = isinstance(rev, dict) and rev.get("required") is True
        rule = "request-body-added-required" if required else "request-body-added-optional"
        ctx.emit_op(rule, op, pointer=rptr)
        return
    if rraw is None or not isinstance(rev, dict):
        ctx.emit_op("request-body-removed", op, pointer=bptr, locate=op.rptr)
        return
    was, now = base.get("required") is True, rev.get("required") is True
    if was != now:
        verb = "required" if now else "optional"
        ctx.emit_op(f"request-body-became-{verb}", op, pointer=rptr)
    bcontent, rcontent = content(base), content(rev)
    for media in rcontent.keys() - bcontent.keys():
        ptr = f"{rptr}/content/{media_key(rev, media)}"
        ctx.emit_op("request-body-media-type-added", op, pointer=ptr, detail=media, media=media)
    for media in bcontent.keys() - rcontent.keys():
        ptr = f"{bptr}/content/{media_key(base, media)}"
        ctx.emit_op(
            "request-body-media-type-removed",
            op,
            pointer=ptr,
            locate=f"{rptr}/content",
            detail=media,
            media=media,
        )
    for media in sorted(bcontent.keys() & rcontent.keys()):
        bmedia = f"{bptr}/content/{media_key(base, media)}"
        rmedia = f"{rptr}/content/{media_key(rev, media)}"
        bschema, rschema = bcontent[media].get("schema"), rcontent[media].get("schema")
        if bschema is None and rschema is not None:
            ctx.emit_op(
                "request-body-media-type-schema-added",
                op,
                pointer=f"{rmedia}/schema",
                detail=media,
                media=media,
            )
        elif bschema is not None and rschema is None:
            ctx.emit_op(
                "request-body-media-type-schema-removed",
                op,
                pointer=f"{bmedia}/schema",
                locate=rmedia,
                detail=media,
                media=media,
            )
        elif bschema is not None:
            where = f"the request body ({media})"
            site = SchemaSite(op, Direction.REQUEST, "request-body", where, f"request|{media}")
            walker = SchemaWalker(ctx, site)
            walker.compare("", bschema, rschema, f"{bmedia}/schema", f"{rmedia}/schema")
