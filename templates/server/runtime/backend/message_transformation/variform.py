"""A small subset of EMQX's variform expressions, enough to run a transformation's
operations in a dry run: string, integer and float literals, variables (`topic`,
`payload.a.b`), arrays and calls of a few built-in functions.

    expr = parse("concat([topic, '/', payload.t])")
    render(expr, {"topic": "t", "payload": {"t": "x"}})  # "t/x"

A parse error is a VariformSyntaxError; a failure while rendering is a VariformError
carrying the reason as EMQX reports it (`var_unbound`, `invalid_function_reference`,
`bad_return`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(?P<punct>[()\[\],]))"
)


class VariformSyntaxError(ValueError):
    """The expression does not parse."""


class VariformError(Exception):
    """Rendering failed; `reason` is the context EMQX reports."""

    def __init__(self, reason: dict[str, Any]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Node:
    kind: str  # "str", "num", "var", "array", "call"
    value: Any = None
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    at = 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise VariformSyntaxError(f"syntax error before: {text[at:].strip()[:20]}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        at = match.end()
    return tokens


def parse(text: str) -> Node:
    """The expression `text` as a tree; VariformSyntaxError when it does not parse."""
    tokens = _tokens(text)
    node, at = _expr(tokens, 0)
    if at != len(tokens):
        raise VariformSyntaxError(f"syntax error before: {tokens[at][1]}")
    return node


def _expect(tokens: list[tuple[str, str]], at: int, punct: str) -> int:
    if at >= len(tokens) or tokens[at] != ("punct", punct):
        found = tokens[at][1] if at < len(tokens) else "end of input"
        raise VariformSyntaxError(f"syntax error before: {found}")
    return at + 1


def _items(tokens: list[tuple[str, str]], at: int, close: str) -> tuple[list[Node], int]:
    items: list[Node] = []
    if at < len(tokens) and tokens[at] == ("punct", close):
        return items, at + 1
    while True:
        node, at = _expr(tokens, at)
        items.append(node)
        if at < len(tokens) and tokens[at] == ("punct", ","):
            at += 1
            continue
        return items, _expect(tokens, at, close)


def _expr(tokens: list[tuple[str, str]], at: int) -> tuple[Node, int]:
    if at >= len(tokens):
        raise VariformSyntaxError("syntax error before: end of input")
    kind, text = tokens[at]
    if kind == "str":
        return Node("str", text[1:-1]), at + 1
    if kind == "num":
        return Node("num", float(text) if "." in text else int(text)), at + 1
    if kind == "name":
        if at + 1 < len(tokens) and tokens[at + 1] == ("punct", "("):
            args, end = _items(tokens, at + 2, ")")
            return Node("call", text, tuple(args)), end
        return Node("var", text), at + 1
    if (kind, text) == ("punct", "["):
        items, end = _items(tokens, at + 1, "]")
        return Node("array", None, tuple(items)), end
    raise VariformSyntaxError(f"syntax error before: {text}")


def as_string(value: Any) -> str:
    """EMQX's return_str: what a rendered value becomes where a string is wanted."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, float):
        return f"{value:.10f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"
    raise VariformError({"reason": "bad_return", "expected": "string", "got": value})


def _concat(*args: Any) -> str:
    parts = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
    return "".join(as_string(p) for p in parts)


def _json_decode(text: Any) -> Any:
    try:
        return json.loads(as_string(text))
    except ValueError as exc:
        raise VariformError({"reason": "invalid_json", "input": text}) from exc


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "concat": _concat,
    "str": as_string,
    "upper": lambda s: as_string(s).upper(),
    "lower": lambda s: as_string(s).lower(),
    "json_encode": lambda v: json.dumps(v, separators=(",", ":")),
    "json_decode": _json_decode,
    "is_empty": lambda v: v in (None, "", [], {}),
}


def _lookup(name: str, bindings: dict[str, Any]) -> Any:
    value: Any = bindings
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            raise VariformError({"reason": "var_unbound", "var_name": name})
        value = value[part]
    return "" if value is None else value


def evaluate(node: Node, bindings: dict[str, Any]) -> Any:
    """The value of `node` over `bindings` (not forced to a string)."""
    if node.kind in ("str", "num"):
        return node.value
    if node.kind == "var":
        return _lookup(node.value, bindings)
    if node.kind == "array":
        return [evaluate(arg, bindings) for arg in node.args]
    if node.value == "coalesce":  # an unbound variable counts as empty here
        args = node.args
        if len(args) == 1 and args[0].kind == "array":
            args = args[0].args
        for arg in args:
            try:
                value = evaluate(arg, bindings)
            except VariformError:
                continue
            if value not in (None, ""):
                return value
        return ""
    function = _FUNCTIONS.get(node.value)
    if function is None:
        raise VariformError({"reason": "invalid_function_reference", "function": node.value})
    return function(*(evaluate(arg, bindings) for arg in node.args))


def render(node: Node, bindings: dict[str, Any], *, as_text: bool = True) -> Any:
    """The rendered value: a string, or (as_text=False, for payload keys) the value."""
    value = evaluate(node, bindings)
    return as_string(value) if as_text else value
