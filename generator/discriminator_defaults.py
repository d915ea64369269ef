"""Unions whose broker takes a body without the discriminator field.

OpenAPI 3.0's `discriminator` requires the property in every body, so a union whose broker
takes a body without it is written as an `anyOf` of its branches with the extension
`x-emqx-discriminator` instead: `propertyName` and `mapping` as a `discriminator` has them,
and `default`, what EMQX does with a body lacking the property: a value (the broker's union
selector falls back to that branch) or a list of values (a plain union of the broker,
whose members each default their discriminator: it takes the first, in that order, that
the body fits). The branches `default` may pick list the property as optional, with its
default. Validators that know only OpenAPI check such a body against the branches; the
generated code tells them apart as the broker does.

datamodel-code-generator writes such a union as a plain union; this module rewrites it (in
the models text that client and stub share) with a callable discriminator, `AbsentTag`,
which reads the property when it is there and otherwise picks the branch as the broker
does: the first listed value whose branch has every field the body holds and whose
required fields the body all has (else the first value, whose validation then says what is
missing). The client's open unions use the same `AbsentTag` (generator/clientmodels.py).
"""

from __future__ import annotations

import re
from typing import Any

from generator.openapi import ref_name

EXTENSION = "x-emqx-discriminator"

# One fit per listed value: (value, its branch's required fields, all its fields).
Fits = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

_HELPER = '''

class AbsentTag:
    """The discriminator of a union whose broker takes a body without the `key` field:
    the value of the field when it is there, else the first of `fits` (value, required
    fields, all fields) whose branch the body fits, else the first value."""

    def __init__(self, key: str, fits: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> None:
        self.key = key
        self.fits = fits
        self.__name__ = f"absent_tag_{key}"  # pydantic names its validator after this

    def absent_value(self, value: Any) -> str:
        given = set(value) if isinstance(value, dict) else set()
        for tag, required, known in self.fits:
            if given <= set(known) and set(required) <= given:
                return tag
        return self.fits[0][0]

    def __call__(self, value: Any) -> str | None:
        if isinstance(value, dict):
            if self.key not in value or value[self.key] is None:
                return self.absent_value(value)
            raw = value[self.key]
        else:
            raw = getattr(value, self.key, None)
            raw = getattr(raw, "value", raw)
        return raw if isinstance(raw, str) else None

    def __repr__(self) -> str:
        return f"AbsentTag({self.key!r}, {[fit[0] for fit in self.fits]!r})"
'''
TAG_IMPORT = "from pydantic import Discriminator, Tag\n"


def discriminator_of(schema: Any) -> dict[str, Any] | None:
    """A union's discriminator (`propertyName`, `mapping`), whichever way it is written."""
    if not isinstance(schema, dict):
        return None
    found = schema.get("discriminator") or schema.get(EXTENSION)
    return found if isinstance(found, dict) else None


def defaulted_unions(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The union schemas whose discriminator may be absent, by name."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    return {
        name: schema
        for name, schema in schemas.items()
        if isinstance(schema, dict) and isinstance(schema.get(EXTENSION), dict)
    }


def _defaults(extension: dict[str, Any]) -> list[Any]:
    listed = extension.get("default")
    return [listed] if isinstance(listed, str) else list(listed or [])


def fits(schema: dict[str, Any], schemas: dict[str, Any]) -> Fits:
    """The fits of a marked union, in the order the broker tries its branches."""
    extension = schema[EXTENSION]
    key = extension["propertyName"]
    mapping = extension.get("mapping") or {}
    out = []
    for value in _defaults(extension):
        branch = schemas.get(ref_name({"$ref": mapping[value]}) or "") or {}
        required = tuple(str(f) for f in branch.get("required") or () if f != key)
        known = tuple(str(f) for f in branch.get("properties") or {})
        out.append((str(value), required, known))
    return tuple(out)


def check(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(schema, problem) for each wrong mark: not an `anyOf` of exactly the mapped
    branches, a default the mapping lacks, or a branch it may pick that still requires
    the property or gives it no default."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    problems: list[tuple[str, str]] = []
    for name, schema in defaulted_unions(document).items():
        extension = schema[EXTENSION]
        key = extension.get("propertyName")
        mapping = extension.get("mapping") or {}
        if "discriminator" in schema or "oneOf" in schema or not key:
            problems.append(
                (name, f"{EXTENSION} needs `anyOf`, a `propertyName`, no `discriminator`")
            )
            continue
        members = {ref_name(branch) for branch in schema.get("anyOf") or ()}
        if members != {ref_name({"$ref": ref}) for ref in mapping.values()}:
            problems.append((name, f"{EXTENSION}: the mapping must name each branch of `anyOf`"))
        values = _defaults(extension)
        if not values:
            problems.append((name, f"{EXTENSION}: `default` must be a value or a list of values"))
        for value in values:
            if value not in mapping:
                problems.append((name, f"{EXTENSION}: default {value!r} is not in the mapping"))
                continue
            branch_name = ref_name({"$ref": mapping[value]}) or ""
            branch = schemas.get(branch_name) or {}
            prop = (branch.get("properties") or {}).get(key) or {}
            if key in (branch.get("required") or ()):
                problems.append((branch_name, f"`{key}` may be left out ({name}): not required"))
            if prop.get("default") != value:
                problems.append((branch_name, f"`{key}` needs `default: {value}` ({name})"))
    return problems


def alias_span(text: str, name: str) -> tuple[int, int]:
    """Where the `name = TypeAliasType(...)` block of the models text is."""
    start = re.search(rf"^{name} = TypeAliasType\(", text, re.MULTILINE)
    if start is None:
        raise ValueError(f"the models module has no union alias {name}")
    line_end = text.index("\n", start.start())
    if text[start.start() : line_end].endswith(")"):
        return start.start(), line_end
    return start.start(), text.index("\n)\n", start.start()) + 2


def absent_tag(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    """The source of the `AbsentTag` of a marked union."""
    key = schema[EXTENSION]["propertyName"]
    return f"AbsentTag({key!r}, {fits(schema, schemas)!r})"


def _optional_tag(text: str, model: str, key: str, value: str) -> str:
    """The branch model `model` with its discriminator field a `Literal` of `value` that
    defaults to it (datamodel-code-generator writes an optional one-value enum as an enum
    class; the field keeps the `Literal` every discriminator field of the models has)."""
    start = re.search(rf"^class {model}\(", text, re.MULTILINE)
    if start is None:
        raise ValueError(f"the models module has no model {model}")
    body_start = text.index("\n", start.end()) + 1
    after = re.search(r"^\S", text[body_start:], re.MULTILINE)
    end = body_start + after.start() if after else len(text)
    field = re.compile(rf"^    {key}: (\w+)?.*$", re.MULTILINE)
    old = field.search(text, start.start(), end)
    body, count = field.subn(
        f'    {key}: Literal["{value}"] = "{value}"', text[start.start() : end]
    )
    if old is None or count != 1:
        raise ValueError(f"{model}: expected one `{key}` field")
    text = text[: start.start()] + body + text[end:]
    return _without_unused_class(text, old.group(1) or "")


def _without_unused_class(text: str, name: str) -> str:
    """The text without the class `name` (the enum the field had) if nothing uses it."""
    if not name or len(re.findall(rf"\b{name}\b", text)) != 1:
        return text
    start = re.search(rf"^class {name}\(", text, re.MULTILINE)
    if start is None:
        return text
    body_start = text.index("\n", start.end()) + 1
    after = re.search(r"^\S", text[body_start:], re.MULTILINE)
    end = body_start + after.start() if after else len(text)
    return text[: start.start()] + text[end:]


def apply(text: str, document: dict[str, Any]) -> str:
    """The models text with every marked union discriminated by an `AbsentTag`."""
    marked = defaulted_unions(document)
    if not marked:
        return text
    schemas = (document.get("components") or {}).get("schemas") or {}
    for name in sorted(marked):
        schema = marked[name]
        mapping = schema[EXTENSION].get("mapping") or {}
        values = {ref_name({"$ref": ref}): value for value, ref in mapping.items()}
        members = [ref_name(branch) for branch in schema["anyOf"]]
        choices = "\n        | ".join(f'Annotated[{m}, Tag("{values[m]}")]' for m in members)
        block = (
            f"{name} = TypeAliasType(\n"
            f'    "{name}",\n'
            f"    Annotated[\n"
            f"        {choices},\n"
            f"        Discriminator({absent_tag(schema, schemas)}),\n"
            f"    ],\n"
            f")"
        )
        start, end = alias_span(text, name)
        text = text[:start] + block + text[end:]
        key = schema[EXTENSION]["propertyName"]
        for value, _required, _known in fits(schema, schemas):
            text = _optional_tag(text, ref_name({"$ref": mapping[value]}) or "", key, value)
    first_class = text.index("\nclass ")
    return text[:first_class] + "\n" + TAG_IMPORT + _HELPER + text[first_class:]
