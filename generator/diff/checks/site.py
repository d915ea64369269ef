"""Where a schema sits (request body, response, parameter, header) and the walker's emit.

A schema check names only a suffix ("max-length-decreased"); the site turns it into the
rule id of that place: `request-body-*` at the top of a request body, `request-property-*`
below it, `response-body-*` / `response-property-*`, `request-parameter-*` and
`request-parameter-property-*`, `response-header-*`. Where oasdiff has no rule for a
combination, the sibling prefix is tried, then nothing is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.diff.context import Context, OpPair
from generator.diff.model import Direction
from generator.diff.rules import exists

_NESTED = {
    "request-body": "request-property",
    "response-body": "response-property",
    "request-parameter": "request-parameter-property",
    "request-header": "request-header-property",
    "response-header": "response-header",
}
_SIBLING = {
    "request-body": "request-property",
    "request-property": "request-body",
    "response-body": "response-property",
    "response-property": "response-body",
    "request-parameter-property": "request-parameter",
    "request-header": "request-parameter",
    "request-header-property": "request-parameter-property",
}
_OVERRIDES = {("response-body", "enum-value-removed"): "response-mediatype-enum-value-removed"}


@dataclass(frozen=True)
class SchemaSite:
    op: OpPair
    direction: Direction
    scope: str  # one of the keys of _NESTED
    where: str  # "the response 200 (application/json)"
    key: str  # stable words for fingerprints: "response|200|application/json"

    @property
    def request(self) -> bool:
        return self.direction is Direction.REQUEST

    @property
    def body(self) -> bool:
        return self.scope in ("request-body", "response-body")

    @property
    def loose(self) -> bool:
        """Values travel as text, so a swap of one concrete type for another is not
        enforced on the wire: a response header, or a body of a media type not JSON."""
        if self.scope == "response-header":
            return True
        if not self.body:
            return False
        media = self.key.rsplit("|", 1)[-1].split(";")[0].strip().lower()
        return not (media == "application/json" or media.endswith("+json"))

    def subject(self, prop: str) -> str:
        return f"`{prop}` of {self.where}" if prop else self.where

    def rule_id(self, suffixes: Sequence[str], prop: str) -> str | None:
        prefix = _NESTED[self.scope] if prop else self.scope
        for suffix in suffixes:
            candidates = [_OVERRIDES.get((prefix, suffix), f"{prefix}-{suffix}")]
            if prefix in _SIBLING:
                candidates.append(f"{_SIBLING[prefix]}-{suffix}")
            for candidate in candidates:
                if exists(candidate):
                    return candidate
        return None


@dataclass(frozen=True)
class Pair:
    """The same schema position in both documents, refs followed."""

    prop: str
    base: dict[str, Any]
    rev: dict[str, Any]
    bptr: str
    rptr: str

    def get(self, key: str) -> tuple[Any, Any]:
        return self.base.get(key), self.rev.get(key)


class Walker:
    """Emits schema changes for one site; `compare` (in schemas.py) walks the tree."""

    def __init__(self, ctx: Context, site: SchemaSite) -> None:
        self.ctx = ctx
        self.site = site
        self.stack: set[tuple[str, str]] = set()

    def compare(self, prop: str, base: Any, rev: Any, bptr: str, rptr: str) -> None:
        raise NotImplementedError

    def emit(
        self,
        suffixes: Sequence[str],
        pair: Pair,
        *,
        detail: str = "",
        removed: bool = False,
        **fields: Any,
    ) -> None:
        rule_id = self._variant(suffixes, pair) or self.site.rule_id(suffixes, pair.prop)
        if rule_id is not None:
            pointer = pair.bptr if removed else pair.rptr
            self.emit_id(rule_id, pair.prop, pointer, pair.rptr, detail=detail, **fields)

    def _variant(self, suffixes: Sequence[str], pair: Pair) -> str | None:
        """The rule of a property clients never send (read-only, in a request) or never
        receive (write-only, in a response), where oasdiff has one."""
        if not pair.prop:
            return None
        if self.site.scope == "request-body" and pair.rev.get("readOnly") is True:
            stem = "request-read-only-property"
        elif self.site.scope == "response-body" and pair.rev.get("writeOnly") is True:
            stem = "response-write-only-property"
        else:
            return None
        return next((f"{stem}-{s}" for s in suffixes if exists(f"{stem}-{s}")), None)

    def emit_id(
        self, rule_id: str, prop: str, pointer: str, locate: str, *, detail: str = "", **fields: Any
    ) -> None:
        op = self.site.op
        self.ctx.emit(
            rule_id,
            method=op.method,
            path=op.path,
            pointer=pointer,
            locate=locate,
            key=f"{self.site.key}|{prop}",
            detail=detail,
            subject=self.site.subject(prop),
            **fields,
        )


def child(prop: str, name: str) -> str:
    return f"{prop}/{name}" if prop else name
