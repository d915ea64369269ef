"""Checking a schema's source the way the broker does before it stores it: it builds a
serializer from the source and refuses the schema when that fails.

The stub does not build serializers: an Avro or JSON source must be JSON text (Avro:
an object with `type`, a type name or a union array; JSON Schema: an object or a
boolean); a Protobuf source must declare at least one `message`."""

from __future__ import annotations

import json
import re

_MESSAGE = re.compile(r"\bmessage\s+[A-Za-z_][A-Za-z0-9_]*\s*\{")


def source_problem(kind: str, source: str) -> str | None:
    """Why the broker would refuse `source` for a schema of type `kind`, or None."""
    if kind == "protobuf":
        return None if _MESSAGE.search(source) else "invalid protobuf schema: no message"
    try:
        parsed = json.loads(source)
    except ValueError:
        return f"invalid {kind} schema: source is not JSON"
    if kind == "avro":
        if isinstance(parsed, dict) and "type" in parsed:
            return None
        if isinstance(parsed, (str, list)):
            return None
        return "invalid avro schema: no type"
    if isinstance(parsed, (dict, bool)):
        return None
    return "invalid json schema: not an object"
