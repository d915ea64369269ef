"""Every name the generated code uses is computed here, once."""

from __future__ import annotations

import ast
import builtins
import functools
import keyword
import re
from pathlib import Path

_WORD = re.compile(r"[A-Za-z0-9]+")
_RESERVED = set(keyword.kwlist) | {
    "self",
    "cls",
    "body",
    "options",
    "timeout",
    "extra_headers",
    "async",
}


# Protocol and product names written in mixed case that are one word each (`LwM2M
# Gateways` -> `lwm2m_gateways`, not `lw_m2_m_gateways`).
_ONE_WORD = re.compile(r"LwM2M|CoAP|ExHook|ExProto|MQTT-SN")


def words(text: str) -> list[str]:
    """Split `API Keys`, `api_key`, `apiKey`, `clean-start` into lower-case words."""
    text = _ONE_WORD.sub(lambda m: m.group(0).replace("-", "").capitalize(), text)
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [w.lower() for w in _WORD.findall(spaced)]


def snake(text: str) -> str:
    name = "_".join(words(text)) or "x"
    if name[0].isdigit():
        name = f"n_{name}"
    return name


def pascal(text: str) -> str:
    name = "".join(w.capitalize() for w in words(text)) or "X"
    if name[0].isdigit():
        name = f"N{name}"
    return name


def identifier(text: str) -> str:
    """A Python identifier for a parameter or attribute; keywords get a trailing underscore."""
    name = snake(text)
    return f"{name}_" if name in _RESERVED else name


def tag_module(tag: str) -> str:
    """`API Keys` -> `api_keys`: the resource module, router module and client attribute."""
    return snake(tag)


def tag_class(tag: str) -> str:
    """`API Keys` -> `ApiKeys`: resource and handler class stems."""
    return pascal(tag)


def error_class(code: str) -> str:
    """`CLIENTID_NOT_FOUND` -> `ClientidNotFoundError`; a name Python already has
    (`NOT_IMPLEMENTED` -> NotImplementedError) gets an `Emqx` prefix."""
    stem = pascal(code)
    name = stem if stem.endswith("Error") else f"{stem}Error"
    return f"Emqx{name}" if hasattr(builtins, name) else name


def error_helper(code: str) -> str:
    """`CLIENTID_NOT_FOUND` -> `clientid_not_found`: the stub's error helper function."""
    return identifier(code)


# The status -> exception table is written once, in the client runtime (STATUS_ERRORS in
# templates/client/runtime/_exceptions.py); the generated error classes read it from there.
_RUNTIME_EXCEPTIONS = (
    Path(__file__).resolve().parent.parent / "templates" / "client" / "runtime" / "_exceptions.py"
)


@functools.cache
def _runtime_exceptions() -> tuple[dict[int, str], frozenset[str]]:
    """The runtime's STATUS_ERRORS (status -> class name) and every class it defines."""
    tree = ast.parse(_RUNTIME_EXCEPTIONS.read_text(encoding="utf-8"))
    table: dict[int, str] = {}
    classes = frozenset(node.name for node in tree.body if isinstance(node, ast.ClassDef))
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "STATUS_ERRORS"
            and isinstance(node.value, ast.Dict)
        ):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, int):
                    if isinstance(value, ast.Name):
                        table[key.value] = value.id
    if not table:
        raise RuntimeError(f"no STATUS_ERRORS table in {_RUNTIME_EXCEPTIONS}")
    return table, classes


def runtime_error_classes() -> frozenset[str]:
    """The exception classes the client runtime defines (a generated class never shadows one)."""
    return _runtime_exceptions()[1]


def status_error_class(status: int) -> str:
    """The client exception class for an HTTP status, as the runtime's status_error_class."""
    table = _runtime_exceptions()[0]
    if status in table:
        return table[status]
    return "InternalServerError" if status >= 500 else "APIStatusError"
