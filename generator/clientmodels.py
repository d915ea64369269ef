"""The client's copy of the models module: a tolerant reader's models.

From the text datamodel-code-generator writes (shared with the stub), the client's copy
- makes every string enum open (`models.open_enums`);
- bases every model on the runtime's `EmqxModel`, which keeps unknown fields in
  `model_extra`;
- opens every discriminated union an answer can hold: the union lists a fallback model,
  `<Union>Other`, carrying the discriminator as a plain string, and its discriminator is
  an `OpenTag` (the runtime's `_model`), which maps each value of the spec's
  `discriminator.mapping` (and of `x-emqx-discriminator-aliases`) to its member.
  Validation never picks the fallback; the tolerant reader does, for a value the spec
  does not list. A union whose discriminator may be absent (`x-emqx-discriminator`) keeps
  the `AbsentTag` of the shared text (generator/discriminator_defaults.py) for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.discriminator_defaults import (
    EXTENSION,
    TAG_IMPORT,
    absent_tag,
    alias_span,
    discriminator_of,
)
from generator.models import open_enums
from generator.openapi import component_refs, ref_name

_IMPORTS = "from pydantic import AwareDatetime, BaseModel,"
_RUNTIME = "from ._model import OTHER, EmqxModel, FreeformModel, OtherModel, Tag, open_tag\n"
_CLASS = re.compile(r"^class (\w+)\(EmqxModel\):\n", re.MULTILINE)
_FREEFORM = re.compile(
    r"^    model_config = ConfigDict\(\n        extra=['\"]allow['\"],", re.MULTILINE
)


def client_models(text: str, document: dict[str, Any]) -> str:
    text = open_enums(text)
    text = _freeform(re.sub(r"\(BaseModel\):", "(EmqxModel):", text))
    first_class = text.index("\nclass ")
    # the shared text imports pydantic's Tag itself when it has an `AbsentTag` union
    runtime = _RUNTIME.replace(" Tag,", "") if TAG_IMPORT in text else _RUNTIME
    text = text[:first_class] + "\n" + runtime + text[first_class:]
    schemas = document.get("components", {}).get("schemas", {})
    for name in sorted(response_unions(document)):
        text = _open_union(text, name, schemas[name], schemas)
    return text


def _freeform(text: str) -> str:
    """Models whose schema has `additionalProperties` are based on FreeformModel."""
    parts: list[str] = []
    last = 0
    for match in _CLASS.finditer(text):
        end = re.search(r"^\S", text[match.end() :], re.MULTILINE)
        body = text[match.end() : match.end() + end.start()] if end else text[match.end() :]
        if _FREEFORM.search(body):
            parts.append(text[last : match.start()])
            parts.append(f"class {match.group(1)}(FreeformModel):\n")
            last = match.end()
    return "".join(parts) + text[last:]


def response_unions(document: dict[str, Any]) -> set[str]:
    """The discriminated union schemas an answer (a 2xx body) can hold, at any depth."""
    schemas = document.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    todo = [name for name in _refs(_success_bodies(document))]
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return {n for n in seen if discriminator_of(schemas[n]) is not None}


def _success_bodies(document: dict[str, Any]) -> Iterator[Any]:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if str(status).startswith("2") and isinstance(response, dict):
                    yield response.get("content", {})


def _refs(node: Any) -> Iterator[str]:
    return (name for section, name in component_refs(node) if section == "schemas")


def _open_union(text: str, name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    start, end = alias_span(text, name)
    discriminator = discriminator_of(schema) or {}
    key = discriminator["propertyName"]
    members = [ref_name(branch) for branch in schema.get("oneOf") or schema["anyOf"]]
    mapping = discriminator.get("mapping", {})
    tags = {value: ref_name({"$ref": ref}) for value, ref in mapping.items()}
    for alias, value in schema.get("x-emqx-discriminator-aliases", {}).items():
        tags[alias] = tags[value]
    other = f"{name}Other"
    # a union whose broker takes a body without the discriminator: the same pick as the stub's
    absent = f", absent={absent_tag(schema, schemas)}" if EXTENSION in schema else ""
    choices = "\n        | ".join(f'Annotated[{m}, Tag("{m}")]' for m in members)
    tag_map = ", ".join(f'"{value}": "{tag}"' for value, tag in tags.items())
    block = (
        f"class {other}(OtherModel):\n"
        f'    """A `{name}` of a `{key}` this client does not list (a newer or an\n'
        f"    enterprise broker's): the tolerant reader's fallback, with every field of the\n"
        f'    answer (`model_extra`)."""\n\n'
        f"    {key}: str\n\n\n"
        f"{name} = TypeAliasType(\n"
        f'    "{name}",\n'
        f"    Annotated[\n"
        f"        {choices}\n"
        f"        | Annotated[{other}, Tag(OTHER)],\n"
        f'        open_tag("{key}", {{{tag_map}}}{absent}),\n'
        f"    ],\n"
        f")"
    )
    return text[:start] + block + text[end:]
