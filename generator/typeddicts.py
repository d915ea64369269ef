"""The client's `params` module: a TypedDict for every component schema, written here.

A request body may be given as a plain dict; typed as one of these TypedDicts, mypy checks
its keys and value types (a misspelt key is a type error), while the runtime validates it
into the matching model before sending. Enums are `Literal`s here, so that a plain string
type-checks. Each component schema becomes one definition of the same name as its model:

- an object schema, a TypedDict listing its properties (sorted), a key the schema does not
  require wrapped in `NotRequired`; keys that are not Python names (`as`, `dropped.other`)
  use the functional form `TypedDict("Name", {...})`; `additionalProperties: false` makes
  it `closed=True`; an object with no properties but a true/false additionalProperties
  is an empty TypedDict;
- any other schema, a type alias (`Name: TypeAlias = ...`);
- an allOf of object schemas (the v1 bridges) lists its parts' keys and its own (which
  win), since a TypedDict cannot narrow a key it inherits.

Within a type: a `$ref` is the referenced name, an enum a `Literal`, oneOf/anyOf a union,
an array `list[...]`, an object without properties `dict[str, ...]` (of its
additionalProperties schema, `Any` if none), a binary string `bytes`, `nullable` adds
`| None`. An unnamed object becomes a TypedDict named after its owner and the property
(the property in singular for an array's items, `Datum` for `data`; an allOf, after the
property alone), numbered if the name is taken; the constrained items of a constrained
array become an alias named so too (as the models module names them). The definitions
follow the schemas' sorted names, an unnamed one before its owner, except that one naming
another comes after it (in sweeps, as datamodel-code-generator ordered them): an alias or
a functional TypedDict is evaluated at import, so what it names must exist.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import Any

_DOC = '''"""TypedDicts of the request bodies (and every other schema), for dict bodies mypy checks.

client.banned.create_banned(body={"as": "clientid", "who": "c1"})  # body: params.BannedCreate
"""
'''

_IMPORTS = """from __future__ import annotations

from typing import Any, Literal, NotRequired, TypeAlias

from typing_extensions import TypedDict
"""

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and bool(
        schema.get("properties") or schema.get("type") == "object"
    )


def _merged(schema: dict[str, Any], resolve: Any) -> dict[str, Any]:
    """`schema`'s allOf parts as one object (`resolve` gives a part's object): the parts'
    properties and required fields, then its own (which win)."""
    props: dict[str, Any] = {}
    required: list[str] = []
    for part in schema["allOf"]:
        flat = resolve(part)
        props.update(flat.get("properties") or {})
        required += [r for r in flat.get("required") or [] if r not in required]
    props.update(schema.get("properties") or {})
    required += [r for r in schema.get("required") or [] if r not in required]
    rest = {k: v for k, v in schema.items() if k not in ("allOf", "properties", "required")}
    return {**rest, "type": "object", "properties": props, "required": required}


def _composed(name: str, schemas: dict[str, Any], done: dict[str, Any]) -> Any:
    """A component composed with allOf from object schemas (the enterprise v1 bridges) as
    one object."""
    if name in done:
        return done[name]
    schema = schemas[name]
    parts = schema.get("allOf") if isinstance(schema, dict) else None
    done[name] = schema  # as it is, should it be part of itself

    def resolve(part: Any) -> Any:
        ref = part.get("$ref", "") if isinstance(part, dict) else ""
        name = ref.removeprefix("#/components/schemas/")
        return _composed(name, schemas, done) if name in schemas else part

    if parts and (_is_object(schema) or _all_objects(parts, resolve)):
        done[name] = _merged(schema, resolve)
    return done[name]


def _all_objects(parts: list[Any], resolve: Any) -> bool:
    """Whether an allOf of several parts joins objects only (then it is one object)."""
    return len(parts) > 1 and all(_is_object(resolve(part)) for part in parts)


def flat_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """The component schemas, sorted by name, every allOf object composition flattened."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    done: dict[str, Any] = {}
    return {name: _composed(name, schemas, done) for name in sorted(schemas)}


@dataclass
class Definition:
    """One top-level definition: a TypedDict (`fields`, name -> type) or an alias (`alias`)."""

    name: str
    fields: dict[str, str] | None = None
    alias: str = ""
    closed: bool = False
    refs: set[str] = field(default_factory=set)

    @property
    def functional(self) -> bool:
        return self.fields is not None and any(
            not key.isidentifier() or keyword.iskeyword(key) for key in self.fields
        )


def _literal(value: Any) -> str:
    """A value as Python source (ruff then gives strings double quotes)."""
    return repr(value)


_CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "multipleOf",
)
_ARRAY_CONSTRAINTS = ("minItems", "maxItems", "uniqueItems")


def _constrained_scalar(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") in _SCALARS
        and "enum" not in schema
        and any(k in schema for k in _CONSTRAINTS)
    )


@dataclass(frozen=True)
class _Scope:
    """Where an unnamed schema sits: its owner's name and the property's part of the name
    (in singular within an array). An unnamed object is `<owner><part>`; an unnamed allOf,
    `<part>` alone (as datamodel-code-generator names them)."""

    owner: str
    part: str
    item: bool = False

    def items(self) -> _Scope:
        """The scope of an array's items: the part in singular, once."""
        return self if self.item else _Scope(self.owner, _singular(self.part), True)


class _Writer:
    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.definitions: dict[str, Definition] = {}
        self.inline: list[Definition] = []

    def type_of(self, schema: Any, owner: Definition, scope: _Scope) -> str:
        """The type expression of `schema`; `scope` names an unnamed object in it."""
        if not isinstance(schema, dict):
            return "Any"
        text = self._bare(schema, owner, scope)
        if schema.get("nullable") and text != "Any":
            text = f"{text} | None"
        return text

    def _bare(self, schema: dict[str, Any], owner: Definition, scope: _Scope) -> str:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._named(ref.rsplit("/", 1)[-1], owner)
        if "enum" in schema:
            return "Literal[" + ", ".join(_literal(v) for v in schema["enum"]) + "]"
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return _union(self.type_of(s, owner, scope) for s in schema[key])
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1 and not _is_object(schema):
            return self._bare(parts[0], owner, scope)
        if isinstance(parts, list) and parts:
            merged = _merged(schema, self._resolve)
            return self._nested(merged, owner, _Scope("", scope.part, scope.item))
        kind = schema.get("type")
        if kind == "string" and schema.get("format") == "binary":
            return "bytes"
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "array":
            items = schema.get("items")
            inner = scope.items()
            constrained = any(k in schema for k in _ARRAY_CONSTRAINTS)
            if isinstance(items, dict) and constrained and _constrained_scalar(items):
                return f"list[{self._alias(items, owner, inner)}]"
            return f"list[{self.type_of(items, owner, inner)}]"
        if schema.get("properties"):
            return self._nested(schema, owner, scope)
        if kind == "object":
            extra = schema.get("additionalProperties")
            value = self.type_of(extra, owner, scope) if isinstance(extra, dict) else "Any"
            return f"dict[str, {value}]"
        return "Any"

    def _resolve(self, part: Any) -> Any:
        ref = part.get("$ref", "") if isinstance(part, dict) else ""
        name = ref.removeprefix("#/components/schemas/")
        return self.schemas[name] if name in self.schemas else part

    @staticmethod
    def _named(name: str, owner: Definition) -> str:
        owner.refs.add(name)
        return name

    def _free(self, scope: _Scope) -> str:
        """An unused name for an unnamed schema in `scope` (numbered if taken)."""
        base = name = scope.owner + scope.part
        number = 0
        while name in self.schemas or name in self.definitions:
            number += 1
            name = f"{base}{number}"
        return name

    def _alias(self, schema: dict[str, Any], owner: Definition, scope: _Scope) -> str:
        """A named alias of `schema`: the constrained items of a constrained array, which
        the models module names too."""
        alias = Definition(self._free(scope))
        self.definitions[alias.name] = alias
        alias.alias = self.type_of(schema, alias, scope)
        self.inline.append(alias)
        return self._named(alias.name, owner)

    def _nested(self, schema: dict[str, Any], owner: Definition, scope: _Scope) -> str:
        nested = self.typeddict(self._free(scope), schema)
        self.inline.append(nested)
        return self._named(nested.name, owner)

    def typeddict(self, name: str, schema: dict[str, Any]) -> Definition:
        closed = schema.get("additionalProperties") is False
        definition = Definition(name, fields={}, closed=closed)
        self.definitions[name] = definition
        required = set(schema.get("required") or [])
        assert definition.fields is not None
        for key in sorted(schema.get("properties") or {}):
            text = self.type_of(schema["properties"][key], definition, _Scope(name, _camel(key)))
            definition.fields[key] = text if key in required else f"NotRequired[{text}]"
        return definition

    def component(self, name: str, schema: Any) -> Definition:
        if isinstance(schema, dict) and (
            schema.get("properties")
            or (
                schema.get("type") == "object"
                and isinstance(schema.get("additionalProperties"), bool)
            )
        ):
            return self.typeddict(name, schema)
        definition = Definition(name)
        self.definitions[name] = definition
        definition.alias = self.type_of(schema, definition, _Scope(name, name))
        return definition


def _union(types: Any) -> str:
    seen: list[str] = []
    for text in types:
        for part in _split_union(text):
            if part not in seen:
                seen.append(part)
    return " | ".join(seen)


def _split_union(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _camel(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.replace(".", "_").split("_"))


def _singular(name: str) -> str:
    if name.endswith("Data"):
        return name[:-4] + "Datum"
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name + "Item"


def _ordered(definitions: list[Definition]) -> list[Definition]:
    """Definitions in order: a sweep places each one whose names are placed (or itself),
    and defers the others to the next sweep; a cycle places the rest as they are."""
    placed: set[str] = set()
    out: list[Definition] = []
    pending = list(definitions)
    while pending:
        waiting: list[Definition] = []
        for item in pending:
            if any(r not in placed and r != item.name for r in item.refs):
                waiting.append(item)
                continue
            out.append(item)
            placed.add(item.name)
        if len(waiting) == len(pending):  # a cycle: place the rest as they are
            out += waiting
            break
        pending = waiting
    return out


def _render(definition: Definition) -> str:
    name = definition.name
    if definition.fields is None:
        return f"{name}: TypeAlias = {definition.alias}\n"
    base = "TypedDict, closed=True" if definition.closed else "TypedDict"
    if not definition.fields:
        return f"class {name}({base}):\n    pass\n"
    if definition.functional:
        body = "".join(f"        {_literal(k)}: {v},\n" for k, v in definition.fields.items())
        closed = "    closed=True,\n" if definition.closed else ""
        return f"{name} = TypedDict(\n    {_literal(name)},\n    {{\n{body}    }},\n{closed})\n"
    body = "".join(f"    {k}: {v}\n" for k, v in definition.fields.items())
    return f"class {name}({base}):\n{body}"


def render_typeddicts(document: dict[str, Any], header: str) -> str:
    """The text of the `params` module for `document` (before ruff formats it)."""
    schemas = flat_schemas(document)
    writer = _Writer(schemas)
    definitions: list[Definition] = []
    for name, schema in schemas.items():
        writer.inline = []
        top = writer.component(name, schema)
        definitions += [*writer.inline, top]
    body = "\n\n".join(_render(d) for d in _ordered(definitions))
    return f"# {header}\n{_DOC}\n{_IMPORTS}\n\n{body}"
