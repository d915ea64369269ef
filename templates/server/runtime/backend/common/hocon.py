"""A small HOCON reader and writer, enough for the configuration text of `/configs`.

The writer prints nested objects as `key { ... }` blocks with keys sorted, as the broker
does. The reader takes the common subset of HOCON: objects with `=`, `:` or a bare `{`,
dotted key paths, arrays, quoted and triple-quoted strings, unquoted values (numbers,
booleans, null, and text such as `30s`), comments with `#` or `//`, and separators that
are commas or newlines. Duplicate object keys merge; substitutions are kept as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
_STOP = set('{}[],:="\n') | {"#"}


class HoconError(ValueError):
    """The text is not HOCON this reader understands; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"{message} (line {line})")
        self.reason = message
        self.line = line


# -- writing ------------------------------------------------------------------------------


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def _value(value: Any, indent: int) -> str:
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{\n" + _fields(value, indent + 1) + "  " * indent + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, indent) for v in value) + "]"
    return _scalar(value)


def _fields(obj: Mapping[str, Any], indent: int) -> str:
    pad = "  " * indent
    out = []
    for key in sorted(obj):
        value = obj[key]
        sep = " " if isinstance(value, Mapping) else " = "
        out.append(f"{pad}{_key(key)}{sep}{_value(value, indent)}\n")
    return "".join(out)


def dumps(config: Mapping[str, Any]) -> str:
    """HOCON text of a configuration: one block per root, keys sorted."""
    return _fields(config, 0)


# -- reading ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    @property
    def line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def fail(self, message: str) -> HoconError:
        return HoconError(message, self.line)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, newlines: bool = True) -> None:
        """Skip blanks and comments (and newlines unless told not to)."""
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\n" and not newlines:
                return
            if ch.isspace():
                self.pos += 1
            elif ch == "#" or self.text.startswith("//", self.pos):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def separator(self) -> None:
        """After a field or element: a comma and/or newlines."""
        self.skip(newlines=False)
        if self.peek() == ",":
            self.pos += 1
        self.skip()

    def quoted(self) -> str:
        if self.text.startswith('"""', self.pos):
            end = self.text.find('"""', self.pos + 3)
            if end < 0:
                raise self.fail("unterminated triple-quoted string")
            value = self.text[self.pos + 3 : end]
            self.pos = end + 3
            return value
        decoder = json.JSONDecoder()
        try:
            value, end = decoder.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise self.fail("bad quoted string") from exc
        self.pos = end
        return str(value)

    def unquoted(self, stop: set[str]) -> str:
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in stop or self.text.startswith("//", self.pos):
                break
            self.pos += 1
        return self.text[start : self.pos].strip()

    def key_path(self) -> list[str]:
        parts: list[str] = []
        while True:
            if self.peek() == '"':
                parts.append(self.quoted())
            else:
                raw = self.unquoted(_STOP | {".", " ", "\t"})
                if not raw:
                    raise self.fail("expected a key")
                parts.append(raw)
            if self.peek() == ".":
                self.pos += 1
                continue
            return parts

    def obj(self, closing: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.skip()
        while True:
            ch = self.peek()
            if ch == closing:
                if closing:
                    self.pos += 1
                return result
            if not ch:
                raise self.fail("expected '}'")
            path = self.key_path()
            self.skip(newlines=False)
            ch = self.peek()
            if ch in ("=", ":"):
                self.pos += 1
                self.skip()
                value = self.value()
            elif ch == "{":
                value = self.value()
            else:
                raise self.fail(f"expected '=', ':' or '{{' after key {'.'.join(path)!r}")
            _put(result, path, value)
            self.separator()

    def array(self) -> list[Any]:
        items: list[Any] = []
        self.skip()
        while self.peek() != "]":
            if not self.peek():
                raise self.fail("expected ']'")
            items.append(self.value())
            self.separator()
        self.pos += 1
        return items

    def value(self) -> Any:
        ch = self.peek()
        if ch == "{":
            self.pos += 1
            return self.obj("}")
        if ch == "[":
            self.pos += 1
            return self.array()
        if ch == '"':
            return self.quoted()
        raw = self.unquoted(_STOP - {":"} | {","})
        if not raw:
            raise self.fail("expected a value")
        return _convert(raw)


def _convert(raw: str) -> Any:
    if raw in ("true", "false"):
        return raw == "true"
    if raw == "null":
        return None
    if _NUMBER.match(raw):
        number = float(raw)
        return (
            int(raw)
            if number.is_integer() and "." not in raw and "e" not in raw.lower()
            else number
        )
    return raw


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    last = path[-1]
    if isinstance(value, dict) and isinstance(target.get(last), dict):
        target[last] = deep_merge(target[last], value)
    else:
        target[last] = value


def deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """`update` over `base`, objects merged key by key, anything else replaced."""
    out = dict(base)
    for key, value in update.items():
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            out[key] = deep_merge(old, value)
        else:
            out[key] = value
    return out


def loads(text: str) -> dict[str, Any]:
    """The object a HOCON text describes. Raises HoconError."""
    reader = _Reader(text)
    reader.skip()
    if reader.peek() == "{":
        reader.pos += 1
        result = reader.obj("}")
        reader.skip()
        if reader.peek():
            raise reader.fail("text after the closing '}'")
        return result
    return reader.obj("")
