"""The schema walker: follow refs, skip equal subtrees, run the keyword checks, then
recurse into properties, items and additionalProperties, direction-aware.

Properties are compared flattened over `allOf`, so moving properties into a shared base
schema is no change. In a request, a readOnly property is never sent, so adding or
requiring one breaks nobody; in a response, a writeOnly one is never received, and the
write-only variants of the rules (INFO) apply.
"""

from __future__ import annotations

from typing import Any

from generator.diff.checks import composition, constraints, keywords, lifecycle, values
from generator.diff.checks.site import Pair, Walker, child
from generator.diff.context import Side
from generator.yamlsource import escape

Props = dict[str, tuple[Any, str]]


class SchemaWalker(Walker):
    def compare(self, prop: str, base: Any, rev: Any, bptr: str, rptr: str) -> None:
        base, bptr = self.ctx.base.follow(base, bptr)
        rev, rptr = self.ctx.rev.follow(rev, rptr)
        if not isinstance(base, dict) or not isinstance(rev, dict):
            return  # boolean schemas (3.1) and broken nodes: nothing to compare
        if (bptr, rptr) in self.stack or self.ctx.base.digest(base) == self.ctx.rev.digest(rev):
            return
        self.stack.add((bptr, rptr))
        try:
            pair = Pair(prop, base, rev, bptr, rptr)
            if not prop and self._wrapped(pair):
                return
            values.check_type(self, pair)
            values.check_enum(self, pair)
            values.check_extensible_enum(self, pair)
            values.check_default(self, pair)
            constraints.check_bounds(self, pair)
            constraints.check_pattern(self, pair)
            composition.check_members(self, pair)
            composition.check_discriminator(self, pair)
            keywords.check_keywords(self, pair)
            lifecycle.check_property(self, pair)
            self._properties(pair)
            self._items(pair)
            self._additional(pair)
        finally:
            self.stack.discard((bptr, rptr))

    def _wrapped(self, pair: Pair) -> bool:
        """A body that became `oneOf: [the old body, ...]`: one change, as oasdiff says."""
        members = pair.rev.get("oneOf")
        if "oneOf" in pair.base or not isinstance(members, list) or len(pair.rev) != 1:
            return False
        old = self.ctx.base.digest(pair.base)
        if not any(self.ctx.rev.digest(m) == old for m in members):
            return False
        self.emit(("wrapped-in-one-of",), pair)
        return True

    # properties -------------------------------------------------------------------------

    def _properties(self, pair: Pair) -> None:
        bprops, breq = flatten(self.ctx.base, pair.base, pair.bptr)
        rprops, rreq = flatten(self.ctx.rev, pair.rev, pair.rptr)
        if not bprops and not rprops:
            return
        parent = f"{pair.rptr}/properties"
        for name, (schema, ptr) in rprops.items():
            if name not in bprops:
                flags = _flags(self.ctx.rev, schema)
                required = name in rreq
                if required and _has_default(self.ctx.rev, schema):
                    self._added_with_default(child(pair.prop, name), ptr, flags)
                else:
                    self._added(child(pair.prop, name), ptr, required, flags)
        for name, (schema, ptr) in bprops.items():
            if name not in rprops:
                flags = _flags(self.ctx.base, schema)
                self._removed(child(pair.prop, name), ptr, parent, name in breq, flags)
        for name, (bschema, bptr) in bprops.items():
            if name not in rprops:
                continue
            rschema, rptr = rprops[name]
            prop = child(pair.prop, name)
            bflags = _flags(self.ctx.base, bschema)
            rflags = _flags(self.ctx.rev, rschema)
            defaulted = _has_default(self.ctx.rev, rschema)
            self._required(prop, rptr, name in breq, name in rreq, rflags, defaulted)
            self._mutability(prop, rptr, name in rreq, bflags, rflags)
            self.compare(prop, bschema, rschema, bptr, rptr)

    def _added_with_default(self, prop: str, ptr: str, flags: tuple[bool, bool]) -> None:
        if self.site.scope == "request-body" and not flags[0]:
            self.emit_id("new-required-request-property-with-default", prop, ptr, ptr)
        else:
            self._added(prop, ptr, True, flags)

    def _added(self, prop: str, ptr: str, required: bool, flags: tuple[bool, bool]) -> None:
        read_only, write_only = flags
        if self.site.scope == "request-header" and required:
            self.emit_id("new-required-request-header-property", prop, ptr, ptr)
        elif self.site.scope == "request-body":
            rule = "new-required-request-property" if required and not read_only else None
            self.emit_id(rule or "new-optional-request-property", prop, ptr, ptr)
        elif self.site.scope == "response-body":
            kind = "required" if required else "optional"
            wo = "write-only-" if write_only else ""
            self.emit_id(f"response-{kind}-{wo}property-added", prop, ptr, ptr)

    def _removed(
        self, prop: str, ptr: str, parent: str, required: bool, flags: tuple[bool, bool]
    ) -> None:
        read_only, write_only = flags
        if self.site.scope == "request-body" and not read_only:
            self.emit_id("request-property-removed", prop, ptr, parent)
        elif self.site.scope == "response-body":
            kind = "required" if required else "optional"
            wo = "write-only-" if write_only else ""
            self.emit_id(f"response-{kind}-{wo}property-removed", prop, ptr, parent)

    def _required(
        self,
        prop: str,
        ptr: str,
        before: bool,
        after: bool,
        flags: tuple[bool, bool],
        defaulted: bool = False,
    ) -> None:
        if before == after:
            return
        read_only, write_only = flags
        if self.site.scope == "request-header" and after:
            self.emit_id("request-header-property-became-required", prop, ptr, ptr)
        elif self.site.scope == "request-body" and not read_only:
            verb = "required" if after else "optional"
            with_default = "-with-default" if after and defaulted else ""
            self.emit_id(f"request-property-became-{verb}{with_default}", prop, ptr, ptr)
        elif self.site.scope == "response-body":
            wo = "write-only-" if write_only else ""
            verb = "required" if after else "optional"
            self.emit_id(f"response-{wo}property-became-{verb}", prop, ptr, ptr)

    def _mutability(
        self,
        prop: str,
        ptr: str,
        required: bool,
        before: tuple[bool, bool],
        after: tuple[bool, bool],
    ) -> None:
        if not self.site.body:
            return
        direction = "request" if self.site.request else "response"
        kind = "required" if required else "optional"
        for flag, was, now in (
            ("read-only", before[0], after[0]),
            ("write-only", before[1], after[1]),
        ):
            if was != now:
                became = flag if now else f"not-{flag}"
                self.emit_id(f"{direction}-{kind}-property-became-{became}", prop, ptr, ptr)

    # items and additionalProperties -----------------------------------------------------

    def _items(self, pair: Pair) -> None:
        base, rev = pair.get("items")
        if isinstance(base, dict) and isinstance(rev, dict):
            prop = child(pair.prop, "items")
            self.compare(prop, base, rev, f"{pair.bptr}/items", f"{pair.rptr}/items")

    def _additional(self, pair: Pair) -> None:
        missing = object()
        base = pair.base.get("additionalProperties", missing)
        rev = pair.rev.get("additionalProperties", missing)
        if base is missing and rev is missing:
            return
        closed_before, closed_after = base is False, rev is False
        if self.site.request and closed_after and not closed_before:
            self.emit_id(
                "request-additional-properties-disallowed", pair.prop, pair.rptr, pair.rptr
            )
        elif not self.site.request and closed_before and not closed_after and self.site.body:
            self.emit_id("response-additional-properties-allowed", pair.prop, pair.rptr, pair.rptr)
        if closed_before or closed_after or (base is missing and rev is missing):
            return
        bschema = base if isinstance(base, dict) else {}
        rschema = rev if isinstance(rev, dict) else {}
        prop = child(pair.prop, "additionalProperties")
        bptr = f"{pair.bptr}/additionalProperties"
        rptr = f"{pair.rptr}/additionalProperties"
        self.compare(prop, bschema, rschema, bptr, rptr)


def flatten(side: Side, schema: dict[str, Any], ptr: str, depth: int = 0) -> tuple[Props, set[str]]:
    """Properties and required names of a schema with its allOf members merged in."""
    props: Props = {}
    required: set[str] = set()
    members = schema.get("allOf")
    if isinstance(members, list) and depth < 16:
        for i, raw in enumerate(members):
            member, mptr = side.follow(raw, f"{ptr}/allOf/{i}")
            if isinstance(member, dict):
                more, req = flatten(side, member, mptr, depth + 1)
                props.update(more)
                required |= req
    own = schema.get("properties")
    if isinstance(own, dict):
        for name, value in own.items():
            props[name] = (value, f"{ptr}/properties/{escape(name)}")
    names = schema.get("required")
    if isinstance(names, list):
        required |= {n for n in names if isinstance(n, str)}
    return props, required


def _has_default(side: Side, schema: Any) -> bool:
    node, _ = side.follow(schema, "")
    return isinstance(node, dict) and "default" in node


def _flags(side: Side, schema: Any) -> tuple[bool, bool]:
    node, _ = side.follow(schema, "")
    if not isinstance(node, dict):
        return False, False
    return node.get("readOnly") is True, node.get("writeOnly") is True
