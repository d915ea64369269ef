"""What the client sends as a JSON body: checked against the spec before it is sent.

A mapping (a plain dict or one of the TypedDicts of `params`) is validated into the
operation's model; a field the spec does not list, or a value of the wrong type, raises
RequestValidationError naming the field (and, for an unknown one, the fields allowed
there). A model instance is sent as it is, by its wire names.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, SecretBytes, SecretStr, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python

from ._exceptions import RequestValidationError
from ._model import FreeformModel


@functools.cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _revealed(value: Any) -> Any:
    """A Python dump with each secret (a `format: password` field) as its text: pydantic's
    JSON dump would send its mask, `**********`, instead."""
    if isinstance(value, SecretStr | SecretBytes):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {k: _revealed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_revealed(v) for v in value]
    return value


def _wire(dumped: Any) -> Any:
    return to_jsonable_python(_revealed(dumped))


def dump_body(body: Any, model: Any, operation: str = "") -> Any:
    """JSON for a body: only the fields the caller set, by their wire names, secrets in
    clear (what the caller wrote is what EMQX must receive)."""
    if isinstance(body, BaseModel):
        return _wire(body.model_dump(mode="python", by_alias=True, exclude_unset=True))
    if isinstance(body, Mapping) and model is not None:
        try:
            parsed = _adapter(model).validate_python(dict(body))
        except ValidationError as exc:
            problems = _unknown_keys(body, model) + summarize(exc)
            raise RequestValidationError(operation, problems) from None
        unknown = [
            f"{where}: not a field of the spec (allowed: {', '.join(allowed)})"
            for where, allowed in unknown_fields(parsed)
        ]
        if unknown:
            raise RequestValidationError(operation, unknown)
        return _wire(
            _adapter(model).dump_python(parsed, mode="python", by_alias=True, exclude_unset=True)
        )
    if isinstance(body, Sequence) and not isinstance(body, str | bytes):
        return [dump_body(item, model, operation) for item in body]
    return body


def merge_extra_body(json: Any, extra_body: Mapping[str, Any] | None, operation: str) -> Any:
    """The body with `extra_body`'s fields added (they win); an object body only."""
    if not extra_body:
        return json
    if json is None:
        return dict(extra_body)
    if isinstance(json, dict):
        return {**json, **extra_body}
    raise RequestValidationError(operation, ["extra_body: the body is not a JSON object"])


def _unknown_keys(body: Mapping[str, Any], model: Any) -> list[str]:
    """The top-level keys of a dict its model does not list, when validation failed before
    they could be found (a misspelt required key: `bindd` beside `bind: Field required`).
    For a discriminated union, the member its discriminator names."""
    chosen = _member(body, model)
    if chosen is None or issubclass(chosen, FreeformModel):
        return []
    fields = chosen.model_fields
    allowed = sorted(info.alias or name for name, info in fields.items())
    known = set(allowed) | set(fields)
    return [
        f"{key}: not a field of the spec (allowed: {', '.join(allowed)})"
        for key in body
        if key not in known
    ]


def _member(body: Mapping[str, Any], model: Any) -> type[BaseModel] | None:
    """The model class a dict is meant as: the model itself, or the member of a
    discriminated union whose Literal discriminator field holds the dict's value."""
    tp, key = model, None
    while hasattr(tp, "__value__") and not isinstance(tp, type):
        tp = tp.__value__
    if get_origin(tp) is Annotated:
        tp, *extra = get_args(tp)
        for item in extra:
            found = getattr(item, "discriminator", None)
            key = found if isinstance(found, str) else getattr(found, "key", key)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if get_origin(tp) not in (Union, types.UnionType) or key is None:
        return None
    for member in get_args(tp):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, info in member.model_fields.items():
                if (info.alias or name) == key and body.get(key) in get_args(info.annotation):
                    return member
    return None


def unknown_fields(value: Any, path: str = "") -> Iterator[tuple[str, list[str]]]:
    """(where, the fields allowed there) for each field a parsed body has that its model
    does not list; a model that takes any field (FreeformModel) has none."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        if value.model_extra and not isinstance(value, FreeformModel):
            allowed = sorted(info.alias or name for name, info in fields.items())
            for key in value.model_extra:
                yield (f"{path}.{key}".lstrip("."), allowed)
        for name in value.model_fields_set:
            if name in fields:
                wire = fields[name].alias or name
                yield from unknown_fields(value.__dict__.get(name), f"{path}.{wire}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from unknown_fields(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unknown_fields(item, f"{path}.{key}")
    elif hasattr(value, "root") and isinstance(getattr(value, "root", None), BaseModel | list):
        yield from unknown_fields(value.root, path)


def summarize(exc: ValidationError) -> list[str]:
    """pydantic's errors as short `where: what` lines, the union members it tried dropped
    from the location (`tcp.bind`, not `tagged-union[...].tcp.bind.constrained-int`), the
    errors at one place joined with `or`."""
    found: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"] if _is_field(part)) or "body"
        messages = found.setdefault(where, [])
        if error["msg"] not in messages:
            messages.append(error["msg"])
    return [f"{where}: {' or '.join(messages)}" for where, messages in found.items()]


_TYPE_NAMES = frozenset({"str", "int", "float", "bool", "list", "dict", "set", "none", "bytes"})


def _is_field(part: Any) -> bool:
    """A location part that names a field or an index, not a union member pydantic tried
    (a model name, `tagged-union[...]`, `constrained-int`, `str`, ...)."""
    if isinstance(part, int):
        return True
    text = str(part)
    return not ("[" in text or "-" in text or text[:1].isupper() or text in _TYPE_NAMES)
