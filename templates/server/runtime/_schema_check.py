"""A request body's spec schema compiled once into plain Python checks: the quick answer
to "is this body valid?" that the stub asks on every request with a JSON body.

The answer is `True` only when the body is valid for `OAS30Validator` (openapi-schema-
validator, without a format checker) too. `False` means "not shown valid": the caller
then asks that validator, which decides and words the error. So a keyword compiled here
must never be looser than the validator's; a keyword not compiled here (`not`,
`multipleOf`, `uniqueItems`, `patternProperties`, ECMA regular expressions) makes its
schema answer `False`, and the validator decides. The data comes from `json.loads`: str,
int, float, bool, None, list and dict only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openapi_schema_validator._regex import has_ecma_regex

Check = Callable[[Any], bool]

# keywords OAS30Validator checks that are not compiled: a schema holding one answers False
_NOT_COMPILED = frozenset({"not", "multipleOf", "uniqueItems", "patternProperties"})
_SCALARS = (str, int, float, bool, type(None))


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _enum_equal(one: Any, two: Any) -> bool:
    """jsonschema's equality for two scalars: a bool equals only itself (not 1 or 0)."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, bool) or isinstance(two, bool):
        return False
    return bool(one == two)


def _all_of(checks: list[Check]) -> Check:
    return lambda value: all(check(value) for check in checks)


def _any_of(checks: list[Check]) -> Check:
    return lambda value: any(check(value) for check in checks)


@dataclass
class Compiled:
    """A schema's check; `exact` when `False` from it also means invalid (needed to count
    the valid branches of a `oneOf`)."""

    check: Check
    exact: bool


class SchemaCompiler:
    """Compiles schemas of one spec, each `$ref` target once."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self._refs: dict[str, Compiled] = {}
        self._pending: dict[str, list[Check]] = {}  # refs being compiled (a cycle)
        self._ecma = has_ecma_regex()

    def compile(self, schema: Any) -> Compiled:
        if schema is True or (isinstance(schema, dict) and not schema):
            return Compiled(_always, True)
        if not isinstance(schema, dict) or _NOT_COMPILED & schema.keys():
            return Compiled(_never, False)
        if isinstance(schema.get("id"), str):  # a base URI change: refs below resolve elsewhere
            return Compiled(_never, False)
        return self._node(schema)

    def ref(self, ref: Any) -> Compiled:
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return Compiled(_never, False)
        if ref in self._refs:
            return self._refs[ref]
        if ref in self._pending:
            # a cycle: call the target once it is compiled; not counted as exact
            later = self._pending[ref]
            return Compiled(lambda v: later[0](v), False)
        target: Any = self.spec
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and key in target:
                target = target[key]
            elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
                target = target[int(key)]
            else:
                return Compiled(_never, False)
        cell: list[Check] = [_never]
        self._pending[ref] = cell
        try:
            compiled = self.compile(target)
        finally:
            del self._pending[ref]
        cell[0] = compiled.check
        self._refs[ref] = compiled
        return compiled

    def _node(self, schema: dict[str, Any]) -> Compiled:
        parts: list[Compiled] = []
        if "$ref" in schema:
            parts.append(self.ref(schema["$ref"]))
        type_check = self._type(schema)
        if type_check is not None:
            parts.append(type_check)
        if "enum" in schema:
            parts.append(self._enum(schema["enum"]))
        for build in (self._object, self._string, self._number, self._array):
            found = build(schema)
            if found is not None:
                parts.append(found)
        parts.extend(self._combinators(schema))
        checks = [p.check for p in parts]
        exact = all(p.exact for p in parts)
        if not checks:
            return Compiled(_always, exact)
        if len(checks) == 1:
            return Compiled(checks[0], exact)
        if len(checks) == 2:
            first, second = checks
            return Compiled(lambda v: first(v) and second(v), exact)
        return Compiled(_all_of(checks), exact)

    def _type(self, schema: dict[str, Any]) -> Compiled | None:
        if "type" not in schema:
            return None
        test = _TYPES.get(schema["type"]) if isinstance(schema["type"], str) else None
        if test is None:
            return Compiled(_never, False)
        nullable = schema.get("nullable") is True

        def check(value: Any) -> bool:
            if value is None:
                return nullable
            return test(value)

        return Compiled(check, True)

    def _enum(self, values: Any) -> Compiled:
        if not isinstance(values, list) or not all(isinstance(v, _SCALARS) for v in values):
            return Compiled(_never, False)
        if all(isinstance(v, str) for v in values):
            texts = frozenset(values)
            return Compiled(lambda v: isinstance(v, str) and v in texts, True)

        def check(value: Any) -> bool:
            return any(_enum_equal(value, v) for v in values)

        return Compiled(check, True)

    def _object(self, schema: dict[str, Any]) -> Compiled | None:
        properties = schema.get("properties")
        required = schema.get("required")
        additional = schema.get("additionalProperties", True)
        min_props = schema.get("minProperties")
        max_props = schema.get("maxProperties")
        if (
            properties is None
            and required is None
            and additional is True
            and min_props is None
            and max_props is None
        ):
            return None
        if not isinstance(properties or {}, dict) or not isinstance(required or [], list):
            return Compiled(_never, False)
        properties = properties or {}
        exact = True
        props: dict[str, Check] = {}
        for name, sub in properties.items():
            compiled = self.compile(sub)
            props[name] = compiled.check
            exact = exact and compiled.exact
        # as OAS30Validator: a required property marked readOnly or writeOnly may be left out
        needed = tuple(
            name
            for name in required or []
            if not (
                isinstance(properties.get(name), dict)
                and properties[name]
                and (
                    properties[name].get("readOnly", False)
                    or properties[name].get("writeOnly", False)
                )
            )
        )
        extra: Check | None
        if additional is True or additional == {}:
            extra = None
        elif additional is False:
            extra = _never
        elif isinstance(additional, dict):
            compiled = self.compile(additional)
            extra, exact = compiled.check, exact and compiled.exact
        else:  # OAS30Validator ignores any other value
            extra = None
        low = min_props if isinstance(min_props, int) else None
        high = max_props if isinstance(max_props, int) else None

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name in needed:
                if name not in value:
                    return False
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                return False
            for key, item in value.items():
                sub = props.get(key)
                if sub is not None:
                    if not sub(item):
                        return False
                elif extra is not None and not extra(item):
                    return False
            return True

        return Compiled(check, exact)

    def _string(self, schema: dict[str, Any]) -> Compiled | None:
        low, high, pattern = schema.get("minLength"), schema.get("maxLength"), schema.get("pattern")
        if low is None and high is None and pattern is None:
            return None
        compiled: re.Pattern[str] | None = None
        if pattern is not None:
            if self._ecma or not isinstance(pattern, str):
                return Compiled(_never, False)
            try:
                compiled = re.compile(pattern)
            except re.error:
                return Compiled(_never, False)
        search = compiled.search if compiled is not None else None

        def check(value: Any) -> bool:
            if not isinstance(value, str):
                return True
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                return False
            return search is None or search(value) is not None

        return Compiled(check, True)

    def _number(self, schema: dict[str, Any]) -> Compiled | None:
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is None and high is None:
            return None
        if not all(b is None or _is_number(b) for b in (low, high)):
            return Compiled(_never, False)
        low_open = bool(schema.get("exclusiveMinimum", False))
        high_open = bool(schema.get("exclusiveMaximum", False))

        def check(value: Any) -> bool:
            if not _is_number(value):
                return True
            if low is not None and (value <= low if low_open else value < low):
                return False
            return not (high is not None and (value >= high if high_open else value > high))

        return Compiled(check, True)

    def _array(self, schema: dict[str, Any]) -> Compiled | None:
        items, low, high = schema.get("items"), schema.get("minItems"), schema.get("maxItems")
        if items is None and low is None and high is None:
            return None
        exact = True
        each: Check | None = None
        if isinstance(items, dict):
            compiled = self.compile(items)
            each, exact = compiled.check, compiled.exact
        elif items is not None:  # a list of schemas is not OpenAPI 3.0
            return Compiled(_never, False)

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                return False
            return each is None or all(each(item) for item in value)

        return Compiled(check, exact)

    def _combinators(self, schema: dict[str, Any]) -> list[Compiled]:
        present = [k for k in ("allOf", "anyOf", "oneOf") if k in schema]
        if not present:
            return []
        if "discriminator" in schema:
            # OAS30Validator answers each of them by the discriminator alone
            return [self._discriminated(schema["discriminator"])]
        out = []
        for keyword in present:
            branches = schema[keyword]
            if not isinstance(branches, list) or not branches:
                out.append(Compiled(_never, False))
                continue
            compiled = [self.compile(b) for b in branches]
            checks = [c.check for c in compiled]
            exact = all(c.exact for c in compiled)
            if keyword == "allOf":
                out.append(Compiled(_all_of(checks), exact))
            elif keyword == "anyOf":
                out.append(Compiled(_any_of(checks), exact))
            else:
                out.append(Compiled(self._one_of(compiled), exact))
        return out

    @staticmethod
    def _one_of(branches: list[Compiled]) -> Check:
        """Exactly one branch valid; shown only when every other branch is known invalid
        (exact), else left to the validator."""

        def check(value: Any) -> bool:
            valid = [b for b in branches if b.check(value)]
            if len(valid) != 1:
                return False
            return all(b.exact for b in branches if b is not valid[0])

        return check

    def _discriminated(self, discriminator: Any) -> Compiled:
        if not isinstance(discriminator, dict) or not isinstance(
            discriminator.get("propertyName"), str
        ):
            return Compiled(_never, False)
        name = discriminator["propertyName"]
        mapping = discriminator.get("mapping") or {}
        if not isinstance(mapping, dict):
            return Compiled(_never, False)
        targets: dict[str, Check] = {}

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return False
            tag = value.get(name)
            if not tag or not isinstance(tag, str):
                return False
            target = targets.get(tag)
            if target is None:
                target = targets[tag] = self.ref(
                    mapping.get(tag) or f"#/components/schemas/{tag}"
                ).check
            return target(value)

        return Compiled(check, False)
