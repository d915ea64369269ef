"""What every check works with: the two documents, the matched operations, and `emit`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.diff.model import Change, Policy, fingerprint
from generator.diff.rules import exists, rule
from generator.loader import LoadedSpec
from generator.yamlsource import escape, split_pointer

# Keys that describe a schema without constraining it: a change there is no API change.
ANNOTATIONS = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "$comment"}
)

# Extensions that change what the API promises: compared like any keyword.
SEMANTIC_X = frozenset({"x-sunset", "x-stability-level", "x-extensible-enum"})

# Keys whose value maps user-chosen names to things: a property may be called "title".
NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "mapping"}
    | {"headers", "content", "responses", "encoding", "links", "callbacks", "variables"}
)


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Side:
    """One of the two documents: `$ref` following with the pointer of the target, and a
    content digest that ignores annotations and component names (so renames compare equal)."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.document = spec.document
        self._digests: dict[int, tuple[Any, str]] = {}
        self._targets: dict[str, tuple[Any, str]] = {}

    def follow(self, node: Any, pointer: str) -> tuple[Any, str]:
        """The node a `$ref` chain ends at, and its pointer (the input when not a ref)."""
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node, pointer
            ref = node["$ref"]
            if ref not in self._targets:
                self._targets[ref] = self._resolve(ref)
            node, pointer = self._targets[ref]
        return {}, pointer

    def _resolve(self, ref: str) -> tuple[Any, str]:
        if not ref.startswith("#"):
            return {}, ""
        target: Any = self.document
        for token in split_pointer(ref[1:]):
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                return {}, ""
        return target, ref[1:]

    def digest(self, node: Any) -> str:
        """A hash of the node's content with refs replaced by their targets; equal content
        under another name or in another file gives the same digest."""
        return self._digest(node, (), False)[0]

    def _digest(self, node: Any, stack: tuple[str, ...], names: bool) -> tuple[str, bool]:
        """Merkle style: a node's digest is made of its children's, each computed once. The
        flag says a cycle was cut below, which makes the result depend on the path taken,
        so it is not cached."""
        if not isinstance(node, (dict, list)):
            return _leaf(node), False
        cached = None if names else self._digests.get(id(node))
        if cached is not None and cached[0] is node:
            return cached[1], False
        cyclic = False
        if isinstance(node, list):
            parts = []
            for item in node:
                text, inner = self._digest(item, stack, False)
                parts.append(text)
                cyclic = cyclic or inner
            text = "[" + ",".join(parts) + "]"
        elif isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in stack:
                return f"<cycle {len(stack) - stack.index(ref)}>", True
            target, _ = self.follow(node, "")
            text, cyclic = self._digest(target, (*stack, ref), False)
        else:
            parts = []
            for key in sorted(node):
                if not names and (
                    key in ANNOTATIONS or (key.startswith("x-") and key not in SEMANTIC_X)
                ):
                    continue
                text, inner = self._digest(node[key], stack, not names and key in NAME_MAPS)
                parts.append(f"{len(key)}:{key}={text}")
                cyclic = cyclic or inner
            text = "{" + ",".join(parts) + "}"
        if len(text) > 40:
            text = hashlib.sha1(text.encode()).hexdigest()
        if not cyclic and not names:
            self._digests[id(node)] = (node, text)
        return text, cyclic

    def same(self, other: Side, a: Any, b: Any) -> bool:
        return self.digest(a) == other.digest(b)


def _leaf(value: Any) -> str:
    if isinstance(value, str):
        return f"s{len(value)}:{value}"
    if value is None or isinstance(value, bool):
        return repr(value)
    return f"n{value!r}"


@dataclass(frozen=True)
class OpPair:
    """One operation present in both documents (matched by path template and method)."""

    method: str
    path: str
    base_path: str
    base: dict[str, Any]
    rev: dict[str, Any]
    base_item: dict[str, Any]
    rev_item: dict[str, Any]

    @property
    def bptr(self) -> str:
        return f"/paths/{escape(self.base_path)}/{self.method.lower()}"

    @property
    def rptr(self) -> str:
        return f"/paths/{escape(self.path)}/{self.method.lower()}"


@dataclass
class Context:
    base: Side
    rev: Side
    today: date
    policy: Policy = field(default_factory=Policy)
    changes: list[Change] = field(default_factory=list)
    _seen: set[tuple[str, ...]] = field(default_factory=set)

    def emit(
        self,
        rule_id: str,
        *,
        method: str = "",
        path: str = "",
        pointer: str,
        locate: str | None = None,
        key: str = "",
        detail: str = "",
        **fields: Any,
    ) -> None:
        """Record one change. `pointer` names the node (in the revision, or in the base for
        what was removed); `locate` is the revision pointer whose file:line is reported."""
        if not exists(rule_id):
            return
        dedupe = (rule_id, method, path, pointer, detail)
        if dedupe in self._seen:
            return
        self._seen.add(dedupe)
        found = rule(rule_id)
        values = _Fields(fields)
        self.changes.append(
            Change(
                id=rule_id,
                level=found.level,
                direction=found.direction,
                method=method,
                path=path,
                pointer=pointer,
                message=found.message.format_map(values),
                fingerprint=fingerprint(rule_id, method, path, key or pointer, detail),
                location=self.rev.spec.source_map.locate(pointer if locate is None else locate),
                why=found.why.format_map(values),
            )
        )

    def emit_op(self, rule_id: str, op: OpPair, *, pointer: str = "", **kw: Any) -> None:
        self.emit(rule_id, method=op.method, path=op.path, pointer=pointer or op.rptr, **kw)

    def result(self) -> list[Change]:
        return sorted(self.changes, key=Change.sort_key)


def show(value: Any) -> str:
    """A value as it reads in a message: JSON, so strings are quoted and null is null."""
    if value is None:
        return "unset"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
