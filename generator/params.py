"""The client's `params` module: a TypedDict for every component schema.

A request body may be given as a plain dict; typed as one of these TypedDicts, mypy checks
its keys and value types (a misspelt key is a type error), while the runtime validates it
into the matching model before sending. Enums are `Literal`s here, so that a plain string
type-checks. datamodel-code-generator writes the module (the engine of `models` too), so
the names match the models' names.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from datamodel_code_generator import DataModelType, InputFileType, PythonVersion, generate

_DOC = '''"""TypedDicts of the request bodies (and every other schema), for dict bodies mypy checks.

    client.banned.create_banned(body={"as": "clientid", "who": "c1"})  # body: params.BannedCreate
"""
'''


def _composed(name: str, schemas: dict[str, Any], done: dict[str, Any]) -> Any:
    """A component composed with allOf from object schemas (the enterprise v1 bridges) as
    one object: its parts' properties and required fields, then its own (which win)."""
    if name in done:
        return done[name]
    schema = schemas[name]
    parts = schema.get("allOf") if isinstance(schema, dict) else None
    if not parts or not (schema.get("properties") or schema.get("type") == "object"):
        done[name] = schema
        return schema
    props: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        ref = part.get("$ref", "") if isinstance(part, dict) else ""
        flat = _composed(ref.rsplit("/", 1)[-1], schemas, done) if ref else part
        props.update(flat.get("properties") or {})
        required += [r for r in flat.get("required") or [] if r not in required]
    props.update(schema.get("properties") or {})
    required += [r for r in schema.get("required") or [] if r not in required]
    rest = {k: v for k, v in schema.items() if k not in ("allOf", "properties", "required")}
    done[name] = {**rest, "type": "object", "properties": props, "required": required}
    return done[name]


def _flat_compositions(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every allOf object composition flattened: a TypedDict cannot
    narrow a key it inherits (a v1 bridge's `resource_opts` is wider than its connector's),
    so these TypedDicts list every key themselves instead of inheriting."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    done: dict[str, Any] = {}
    flat = {name: _composed(name, schemas, done) for name in schemas}
    return {**document, "components": {**(document.get("components") or {}), "schemas": flat}}


def render_params(document: dict[str, Any], header: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = generate(
            json.dumps(_flat_compositions(document), sort_keys=True),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.TypingTypedDict,
            target_python_version=PythonVersion.PY_311,
            use_standard_collections=True,
            use_union_operator=True,
            disable_timestamp=True,
            parent_scoped_naming=True,
            strict_nullable=True,
            use_type_alias=True,
            use_double_quotes=True,
            formatters=[],
            custom_file_header=f"# {header}",
        )
    assert isinstance(text, str)
    # PEP 728's `extra_items` (a schema's additionalProperties): mypy does not know it yet,
    # and a TypedDict without it still takes the listed keys.
    text = re.sub(r",\s*extra_items=[^,)\n]+(?=\))", "", text)
    first_line, rest = text.split("\n", 1)
    return f"{first_line}\n{_DOC}{rest}"
