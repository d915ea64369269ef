"""OpenAPI schema -> Python annotation (as source text), for parameters, bodies and results.

Named component schemas map to `models.<Name>`, the class datamodel-code-generator makes.
"""

from __future__ import annotations

from typing import Any

from generator.openapi import ref_name

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def annotation(schema: Any, document: dict[str, Any], *, int_enums: bool = True) -> str:
    """`int_enums=False` types integer enums as `int` (FastAPI cannot parse query text
    into an integer Literal; the range is then checked by the handler)."""
    if not isinstance(schema, dict) or not schema:
        return "Any"
    name = ref_name(schema)
    if name is not None:
        return f"models.{name}"
    result = _bare(schema, document, int_enums)
    if schema.get("nullable") and result not in ("Any", "None"):
        result = f"{result} | None"
    return result


def _bare(schema: dict[str, Any], document: dict[str, Any], int_enums: bool) -> str:
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts: list[str] = []
            for sub in schema[key]:
                text = annotation(sub, document, int_enums=int_enums)
                if text not in parts:
                    parts.append(text)
            return " | ".join(parts)
    kind = schema.get("type")
    if "enum" in schema and (kind in ("string", None) or (kind == "integer" and int_enums)):
        values = ", ".join(repr(v) for v in schema["enum"] if v is not None)
        return f"Literal[{values}]"
    if kind in _PRIMITIVES:
        return _PRIMITIVES[kind]
    if kind == "array":
        return f"list[{annotation(schema.get('items'), document, int_enums=int_enums)}]"
    if kind == "object":
        return "dict[str, Any]"
    return "Any"


def default_literal(schema: Any) -> str | None:
    """The Python source of a schema default, or None when it has none."""
    if isinstance(schema, dict) and "default" in schema:
        return repr(schema["default"])
    return None
