"""The names of the generated models and of their enum members.

datamodel-code-generator names the schemas it meets inline after their parent and property
(`BannedCreate.until` -> `BannedCreateUntil`), then numbers the clashes (`BannedCreateUntil1`,
`BannedCreateUntil2`), doubles a name when a property repeats its schema's name
(`AuthnStatusStatus`) and names the members of a non-string enum after their type
(`INTEGER_0`, `BOOLEAN_FALSE`). The project chooses instead:

- enum members (`name_enum_members`, before the engine runs): a schema's own
  `x-enum-varnames` wins; a boolean enum's members are `TRUE`/`FALSE`; an integer enum's are
  its property's name and the value (`qos: [0, 1, 2]` -> `QOS_0`, `QOS_1`, `QOS_2`);
- model names (`model_renames`, after it): the spec's table `components.x-emqx-model-names`
  (engine name -> chosen name) wins; else a one-value enum is named after its value
  (`BannedCreateUntil2` holding `infinity` -> `BannedCreateUntilInfinity`); else a doubled
  name loses its repetition when that name is free (`ClientAuthzActionActionType` ->
  `ClientAuthzActionType`).

`poor_model_name` and `type_named_member` say what a good name is not; the test over the
generated models holds every name to them.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from generator import naming

MODEL_NAMES_KEY = "x-emqx-model-names"
ENUM_NAMES_KEY = "x-enum-varnames"
MAX_MODEL_NAME = 45

_DEFINED = re.compile(r"^(?:class (\w+)\(|(\w+) = TypeAliasType\()", re.MULTILINE)
_ENUM = re.compile(r"^class (\w+)\((?:\w*Enum)\):\n((?:    .*\n|\n)*?)(?=^\S)", re.MULTILINE)
_MEMBER = re.compile(r"^    ([A-Z_][A-Z0-9_]*) = (.+)$", re.MULTILINE)
_TYPE_NAMED = re.compile(r"^(?:INTEGER|NUMBER|STRING|BOOLEAN|FLOAT|NULL)_")
_PART = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")


# --- what a poor name is -------------------------------------------------------------


def _parts(name: str) -> list[str]:
    return _PART.findall(name)


def _doubled_at(parts: list[str]) -> tuple[int, int] | None:
    """The first (start, length) where a run of words repeats right after itself."""
    for size in range(len(parts) // 2, 0, -1):
        for start in range(len(parts) - 2 * size + 1):
            if parts[start : start + size] == parts[start + size : start + 2 * size]:
                return start, size
    return None


def poor_model_name(name: str, defined: frozenset[str] | set[str]) -> str | None:
    """Why a model name is poor ("doubled", "number-suffixed", "too long"), or None.
    Number-suffixed: it ends in digits and the name without them is also a model
    (the engine's way of telling clashing names apart; `AuthnHashPbkdf2` is fine)."""
    stem = name.rstrip("0123456789")
    if _doubled_at(_parts(stem)) is not None:
        return "doubled"
    if stem != name and stem in defined:
        return "number-suffixed"
    if len(name) > MAX_MODEL_NAME:
        return f"longer than {MAX_MODEL_NAME} characters"
    return None


def type_named_member(member: str) -> bool:
    """Whether an enum member is named after its value's type (`INTEGER_0`, `BOOLEAN_TRUE`)."""
    return _TYPE_NAMED.match(member) is not None


def defined_models(text: str) -> list[str]:
    """The classes and type aliases a models module defines, in order."""
    return [a or b for a, b in _DEFINED.findall(text)]


def enum_members(text: str) -> dict[str, list[tuple[str, str]]]:
    """Enum class -> [(member, value source)] of a models module."""
    return {m.group(1): _MEMBER.findall(m.group(2)) for m in _ENUM.finditer(text)}


# --- enum members, given to the engine ------------------------------------------------


def name_enum_members(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document in which every boolean or integer enum names its members."""
    doc = copy.deepcopy(document)
    for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items():
        _walk(schema, str(name))
    return doc


def _walk(node: Any, context: str) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, context)
        return
    if not isinstance(node, dict):
        return
    values = node.get("enum")
    if isinstance(values, list) and ENUM_NAMES_KEY not in node:
        names = _member_names(values, context)
        if names is not None:
            node[ENUM_NAMES_KEY] = names
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for prop, sub in value.items():
                _walk(sub, str(prop))
        elif key not in ("example", "examples", "default", "enum", ENUM_NAMES_KEY):
            _walk(value, context)


def _member_names(values: list[Any], context: str) -> list[str] | None:
    if values and all(isinstance(v, bool) for v in values):
        return [str(v).upper() for v in values]
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        stem = naming.snake(context).upper()
        return [f"{stem}_{v}".replace("-", "MINUS_") for v in values]
    return None


# --- model names, after the engine ----------------------------------------------------


def model_renames(text: str, document: dict[str, Any]) -> dict[str, str]:
    """Engine name -> chosen name for every model of the module that needs another."""
    defined = set(defined_models(text))
    table = (document.get("components") or {}).get(MODEL_NAMES_KEY) or {}
    unknown = sorted(set(table) - defined)
    if unknown:
        raise ValueError(
            f"components.{MODEL_NAMES_KEY} renames models the generator does not write: "
            f"{', '.join(unknown)}"
        )
    enums = enum_members(text)
    renames: dict[str, str] = {}
    for name in sorted(defined):
        if name in table:
            renames[name] = str(table[name])
        elif poor_model_name(name, defined) is not None:
            better = _by_rule(name, enums.get(name), defined)
            if better is not None:
                renames[name] = better
    taken = (defined - set(renames)) | set()
    for old, new in sorted(renames.items()):
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", new) or new in taken:
            raise ValueError(
                f"model {old} cannot be renamed to {new!r}: "
                + ("not a class name" if new not in taken else "that name is taken")
            )
        taken.add(new)
    return renames


def _by_rule(name: str, members: list[tuple[str, str]] | None, defined: set[str]) -> str | None:
    parts = _parts(name.rstrip("0123456789"))
    doubled = _doubled_at(parts)
    if doubled is not None:
        start, size = doubled
        parts = parts[: start + size] + parts[start + 2 * size :]
    base = "".join(parts)
    if members is not None and len(members) == 1:
        value = members[0][1].strip().strip("\"'")
        candidate = base + naming.pascal(value)
    else:
        candidate = base
    if candidate in defined or poor_model_name(candidate, defined - {name}) is not None:
        return None
    return candidate


def apply_renames(text: str, renames: dict[str, str]) -> str:
    """The module with every renamed model's name replaced, as a whole word."""
    if not renames:
        return text
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, renames), key=len, reverse=True)) + r")\b"
    )
    return pattern.sub(lambda m: renames[m.group(1)], text)
