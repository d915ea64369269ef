"""Every name the generated code uses is computed here, once."""

from __future__ import annotations

import ast
import builtins
import functools
import keyword
import re
from dataclasses import dataclass
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


# ---------------------------------------------------------------------------------------
# Client method names.
#
# A tag is a resource (`client.clients`); an operation's method on it is its operationId
# without the resource's name (`list_clients` -> `clients.list`). Operations of a tag that
# share an object with a collection of its own (`list_authenticator_users`,
# `get_authenticator_user`, ...) form a sub-resource (`authentication.users.list`). The
# spec can name more phrases that mean the resource (`x-emqx-resource-nouns` on a tag) and
# can give one operation its name (`x-emqx-method: kick_bulk` or `users.import`).

METHOD_KEY = "x-emqx-method"
METHOD_REASON_KEY = "x-emqx-method-reason"
NOUNS_KEY = "x-emqx-resource-nouns"

_GROUP_MIN = 3  # operations sharing an object before they become a sub-resource
_GROUP_ANCHORS = ("list", "get")  # a sub-resource has a collection or item read of its own


class NamingError(ValueError):
    """Two operations of a resource would get one name, or an override is malformed."""

    def __init__(self, message: str, operation_id: str) -> None:
        super().__init__(message)
        self.operation_id = operation_id


@dataclass(frozen=True)
class MethodName:
    group: str  # the sub-resource attribute (`users`), "" for a method of the resource itself
    method: str  # the Python method name (`list`)

    @property
    def call(self) -> str:
        """`users.list`, or `list`: what follows `client.<resource>.`."""
        return f"{self.group}.{self.method}" if self.group else self.method


def singular(word: str) -> str:
    """`users` -> `user`, `registries` -> `registry`, `addresses` -> `address`; words that
    end in `ss`, `us` or `is` (`status`, `analysis`) are left alone."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key(parts: list[str]) -> tuple[str, ...]:
    return tuple(singular(w) for w in parts)


def resource_phrases(tag: str, nouns: list[str] | tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The phrases that name a resource, singular: its tag's words and the spec's nouns."""
    phrases = [_key(words(tag))] + [_key(words(n)) for n in nouns]
    return sorted({p for p in phrases if p}, key=len, reverse=True)


def repeats_resource(name: str, phrases: list[tuple[str, ...]]) -> bool:
    """Whether a method name (or a dotted call) holds one of the resource's phrases."""
    key = _key(words(name.replace(".", "_")))
    return any(key[i : i + len(p)] == p for p in phrases for i in range(len(key) - len(p) + 1))


def _strip(parts: list[str], phrases: list[tuple[str, ...]]) -> list[str]:
    """The words with every occurrence of a resource phrase taken out."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        for p in phrases:
            if _key(parts[i : i + len(p)]) == p:
                i += len(p)
                break
        else:
            out.append(parts[i])
            i += 1
    return out


def _group_of(obj: list[str], objects: list[tuple[str, list[str]]], total: int) -> int:
    """How many leading words of `obj` name its sub-resource (0: none). The shortest prefix
    that at least _GROUP_MIN operations (not all of the resource's) start with, and that one
    of them lists or reads as a whole, wins."""
    for k in range(1, len(obj) + 1):
        prefix = _key(obj[:k])
        members = [(verb, o) for verb, o in objects if _key(o[:k]) == prefix]
        anchored = any(verb in _GROUP_ANCHORS and _key(o) == prefix for verb, o in members)
        if anchored and _GROUP_MIN <= len(members) < total:
            return k
    return 0


def client_methods(
    tag: str,
    operations: list[tuple[str, str | None]],
    nouns: list[str] | tuple[str, ...] = (),
) -> dict[str, MethodName]:
    """The client name of every operation of one tag: `(operationId, x-emqx-method or
    None)` pairs in, `operationId -> MethodName` out. Raises NamingError on a clash."""
    phrases = resource_phrases(tag, nouns)
    split: dict[str, tuple[str, list[str]]] = {}
    for op_id, _ in operations:
        parts = words(op_id)
        split[op_id] = (parts[0], _strip(parts[1:], phrases)) if parts else ("x", [])
    objects = list(split.values())
    names: dict[str, MethodName] = {}
    for op_id, override in operations:
        if override is not None:
            names[op_id] = _override(op_id, override)
            continue
        verb, obj = split[op_id]
        k = _group_of(obj, objects, len(operations)) if obj else 0
        if k:
            plural = any(
                len(o) >= k and _key(o[:k]) == _key(obj[:k]) and singular(o[k - 1]) != o[k - 1]
                for _, o in objects
            )
            head = [*obj[: k - 1], obj[k - 1] if not plural else _plural(obj[k - 1])]
            names[op_id] = MethodName("_".join(head), identifier("_".join([verb, *obj[k:]])))
        else:
            names[op_id] = MethodName("", identifier("_".join([verb, *obj])))
    _check_clashes(names)
    return names


def _plural(word: str) -> str:
    if word != singular(word):
        return word
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


_DOTTED = re.compile(r"^(?:([a-z][a-z0-9_]*)\.)?([a-z][a-z0-9_]*)$")


def _override(op_id: str, value: str) -> MethodName:
    match = _DOTTED.match(value) if isinstance(value, str) else None
    if match is None:
        raise NamingError(
            f"{METHOD_KEY} {value!r} of {op_id} must be `method` or `sub_resource.method` "
            "in snake_case",
            op_id,
        )
    return MethodName(match.group(1) or "", identifier(match.group(2)))


def _check_clashes(names: dict[str, MethodName]) -> None:
    seen: dict[str, str] = {}
    groups = {n.group for n in names.values() if n.group}
    for op_id, name in sorted(names.items()):
        if name.call in seen:
            raise NamingError(
                f"{op_id} and {seen[name.call]} would both be `{name.call}`; give one an "
                f"{METHOD_KEY}",
                op_id,
            )
        seen[name.call] = op_id
        if not name.group and name.method in groups:
            raise NamingError(
                f"{op_id}'s method `{name.method}` is also a sub-resource of its resource; "
                f"give it an {METHOD_KEY}",
                op_id,
            )
