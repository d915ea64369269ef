"""YAML with the line of every node, as plain Python data.

PyYAML's composer keeps a mark on every node; we build dicts and lists ourselves from the
node tree so that each JSON pointer gets its line, duplicate keys are caught (PyYAML keeps
the last one silently), mapping keys are always strings (`200:` is a status, not an int)
and timestamps stay strings (a date in an example is JSON text, not a datetime).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Finding, Location, error

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"


def escape(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [unescape(t) for t in pointer.lstrip("/").split("/")]


@dataclass
class YamlDocument:
    """One parsed file: its data and the 1-based line of every JSON pointer in it."""

    name: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def location(self, pointer: str) -> Location:
        while pointer not in self.lines and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return Location(self.name, self.lines.get(pointer, 0))


# The contexts whose mark is where the mistake is: a quote, a bracket or a key opened
# there was never closed. Other contexts (a block mapping, a block node) name the start
# of the enclosing structure, which may be far above the mistake at the problem mark.
_OPENED_AT_CONTEXT = ("while scanning", "while parsing a flow")


def _at(name: str, mark: Any) -> str:
    return f"{name}:{mark.line + 1}:{mark.column + 1}"


def _syntax_finding(exc: yaml.MarkedYAMLError, name: str) -> Finding:
    """The finding for PyYAML's error: both its marks in the message, `file:line:column`
    each, and the line of the mistake as the location (the context's for an unclosed
    quote, bracket or key, else the problem's)."""
    parts = []
    if exc.context:
        parts.append(
            f"{exc.context} (at {_at(name, exc.context_mark)})" if exc.context_mark else exc.context
        )
    if exc.problem:
        parts.append(
            f"{exc.problem} (at {_at(name, exc.problem_mark)})" if exc.problem_mark else exc.problem
        )
    opened = exc.context is not None and exc.context.startswith(_OPENED_AT_CONTEXT)
    marks = (exc.context_mark, exc.problem_mark) if opened else (exc.problem_mark, exc.context_mark)
    mark = next((m for m in marks if m is not None), None)
    line = mark.line + 1 if mark is not None else 0
    message = ": ".join(parts) or "invalid YAML"
    return error("yaml-syntax", f"YAML syntax error: {message}", Location(name, line))


def parse_yaml(text: str, name: str) -> tuple[YamlDocument | None, list[Finding]]:
    """Parse one YAML text. On a syntax error, returns no document and a located finding."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        return None, [
            error("nesting-too-deep", "the document nests too deeply to be read", Location(name, 0))
        ]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_finding(exc, name)]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors (bad bytes)
        return None, [error("yaml-syntax", f"YAML error: {exc}", Location(name, 0))]
    doc = YamlDocument(name, None)
    findings: list[Finding] = []
    if node is not None:
        try:
            doc.data = _Builder(doc, findings).build(node, "")
        except RecursionError:
            where = Location(name, node.start_mark.line + 1)
            return None, [
                error("nesting-too-deep", "the document nests too deeply to be read", where)
            ]
    return doc, findings


class _Builder:
    def __init__(self, doc: YamlDocument, findings: list[Finding]) -> None:
        self._doc = doc
        self._findings = findings
        self._constructor = _Loader("")

    def build(self, node: yaml.Node, pointer: str) -> Any:
        self._doc.lines[pointer] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(self._scalar(key_node))
                child = f"{pointer}/{escape(key)}"
                if key in out:
                    where = Location(self._doc.name, key_node.start_mark.line + 1)
                    self._findings.append(
                        error("yaml-duplicate-key", f"duplicate key {key!r}", where, child)
                    )
                out[key] = self.build(value_node, child)
                self._doc.lines[child] = key_node.start_mark.line + 1  # point at the key
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            where = Location(self._doc.name, node.start_mark.line + 1)
            self._findings.append(error("yaml-complex-key", "mapping keys must be scalars", where))
            return "?"
        if node.tag == _STR or node.tag == _TIMESTAMP:
            return node.value  # what the constructor would make of a string, without it
        return self._constructor.construct_object(node)
