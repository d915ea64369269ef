"""A bundled JSON spec read at the speed of `json.loads`, with line numbers found on demand.

The general loader composes every file as YAML to know the line of every node; for one
self-contained JSON document (a bundled spec, such as generated/openapi.json) that is most
of the time a diff takes. Here the document is parsed by `json.loads`, and a line is only
looked up for the few nodes a change is reported at: in pretty-printed JSON a member of
depth n starts a line indented n steps, so it is found with `str.find` inside its parent's
span. Anything else (refs to other files or to a node outside components, a layout not
recognised) goes back to the general loader, so the result is always the same document.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from generator.diagnostics import Location
from generator.loader import LoadedSpec, SourceMap
from generator.yamlsource import split_pointer

_REF = re.compile(r'"\$ref"\s*:\s*("(?:[^"\\]|\\.)*")')
_LOCAL_COMPONENT = re.compile(r"^#/components/[^/]+/[^/]+$")
_INDENT = re.compile(r"\{\n( +)\S")


def read_json(path: Path, name: str) -> LoadedSpec | None:
    """The spec of a self-contained JSON file, or None when the general loader must read it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.lstrip().startswith("{"):
        return None
    refs = [json.loads(found.group(1)) for found in _REF.finditer(text)]
    if len(refs) != text.count('"$ref"') or not all(_LOCAL_COMPONENT.match(r) for r in refs):
        return None  # a ref the loader hoists, inlines or reports
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if not isinstance(document, dict) or not all(_resolves(document, r) for r in set(refs)):
        return None
    lines = JsonLines.of(text, name)
    if lines is None:
        return None
    return LoadedSpec(document, lines, (name,))


def _resolves(document: dict[str, Any], ref: str) -> bool:
    _, section, name = split_pointer(ref[1:])
    components = document.get("components")
    entries = components.get(section) if isinstance(components, dict) else None
    return isinstance(entries, dict) and name in entries


class JsonLines(SourceMap):
    """The line of a JSON pointer in pretty-printed (or one-line) JSON text, looked up
    when asked and remembered."""

    def __init__(self, text: str, name: str, step: int) -> None:
        super().__init__({})
        self.text = text
        self.name = name
        self.step = step
        self._newlines = [m.start() for m in re.finditer("\n", text)] if step else []
        self._spans: dict[str, tuple[int, int] | None] = {"": (text.index("{"), len(text))}
        self._keys: dict[int, dict[str, int]] = {}

    @classmethod
    def of(cls, text: str, name: str) -> JsonLines | None:
        head = text.lstrip()
        if "\n" not in head.rstrip():
            return cls(text, name, 0)  # one line: every node is on line 1
        indent = _INDENT.match(head)
        return cls(text, name, len(indent.group(1))) if indent else None

    def renamed(self, name: str) -> JsonLines:
        other = JsonLines(self.text, name, self.step)
        other._spans, other._keys = self._spans, self._keys
        return other

    def locate(self, pointer: str) -> Location | None:
        while True:
            span = self._span(pointer)
            if span is not None:
                return Location(self.name, bisect.bisect_left(self._newlines, span[0]) + 1)
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]

    def _span(self, pointer: str) -> tuple[int, int] | None:
        if pointer in self._spans:
            return self._spans[pointer]
        parent, _, token = pointer.rpartition("/")
        outer = self._span(parent)
        span = None if outer is None else self._child(outer, parent.count("/") + 1, token)
        self._spans[pointer] = span
        return span

    def _child(self, outer: tuple[int, int], depth: int, token: str) -> tuple[int, int] | None:
        if not self.step:
            return outer
        start, end = outer
        pad = "\n" + " " * (self.step * depth)
        opener = self.text[start : self.text.find("\n", start)].rstrip()[-1:]
        if opener == "[" and token.isdigit():
            at = _nth(_item_line(self.step * depth), self.text, start, end, int(token))
        elif opener == "{":
            (key,) = split_pointer("/" + token)
            at = self._members(start, end, self.step * depth).get(key, -1)
        else:
            return None
        if at < 0:
            return None
        at += 1
        closes = [self.text.find(pad + close, at, end) for close in "}]"]
        return at, min((c for c in closes if c >= 0), default=end)

    def _members(self, start: int, end: int, width: int) -> dict[str, int]:
        """The keys of the object spanning [start, end) and where their lines start: one
        pass over the object, kept for the next key looked up in it."""
        found = self._keys.get(start)
        if found is None:
            found = {}
            for match in _key_line(width).finditer(self.text, start, end):
                found.setdefault(json.loads(match.group(1)), match.start())
            self._keys[start] = found
        return found


@cache
def _key_line(width: int) -> re.Pattern[str]:
    return re.compile(r"\n {" + str(width) + r'}("(?:[^"\\]|\\.)*"):')


@cache
def _item_line(width: int) -> re.Pattern[str]:
    return re.compile(r"\n {" + str(width) + r"}(?=[^ \]}])")


def _nth(pattern: re.Pattern[str], text: str, start: int, end: int, index: int) -> int:
    for i, found in enumerate(pattern.finditer(text, start, end)):
        if i == index:
            return found.start()
    return -1
