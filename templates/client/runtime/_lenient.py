"""The tolerant reader: an answer that does not match the spec, typed as far as it goes.

The client decodes an answer with pydantic-core first (the fast path, in strict mode). Only
when that fails does `construct` walk the answer beside its declared type: a value that
validates is typed (in lax mode, so `"true"` and `"15"` become a boolean and a number), a
model is built from the fields it has (one left out reads as its default, None when the
spec requires it; `model_fields_set` lists the fields the answer had), fields the spec does
not list are kept in `model_extra`, an unknown discriminator gives the union's `...Other`
model, and any other value is kept as the answer sent it. What was tolerated is returned
as a list of `path: what` lines; the client logs each once per operation and field.
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._model import OTHER, FreeformModel, OpenTag

_NONE = type(None)
Loc = tuple[str | int, ...]


@functools.cache
def _cached_adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _adapter(tp: Any) -> TypeAdapter[Any] | None:
    try:
        return _cached_adapter(tp)
    except TypeError:  # an annotation holding something unhashable
        try:
            return TypeAdapter(tp)
        except Exception:
            return None
    except Exception:
        return None


def _unalias(tp: Any) -> Any:
    while hasattr(tp, "__value__") and not isinstance(tp, type):
        tp = tp.__value__
    return tp


class Reader:
    """One tolerant read: `construct` values, collecting what it tolerated in `issues`."""

    def __init__(self, refused: ValidationError | None = None) -> None:
        self.issues: dict[str, str] = {}
        # Where the fast path found errors (each error's location and its prefixes): a
        # value elsewhere passed strict validation, so it is validated without checks.
        self.dirty: set[Loc] | None = None
        if refused is not None:
            self.dirty = {e["loc"][:k] for e in refused.errors() for k in range(len(e["loc"]) + 1)}

    def note(self, path: str, what: str) -> None:
        self.issues.setdefault(path or "(answer)", what)

    def construct(self, tp: Any, value: Any, path: str = "", loc: Loc | None = ()) -> Any:
        ta = _adapter(tp)
        if ta is not None:
            if self.dirty is not None and loc is not None:
                clean = loc not in self.dirty
            else:
                clean = _strictly(ta, value)
            if clean:
                return ta.validate_python(value)
            if not isinstance(value, dict | list):
                try:
                    result = ta.validate_python(value)
                except ValidationError:
                    pass
                else:
                    self.note(path, f"converted {_short(value)}")
                    return result
        return self._rebuild(_unalias(tp), value, path, loc)

    def _rebuild(self, tp: Any, value: Any, path: str, loc: Loc | None) -> Any:
        origin = get_origin(tp)
        if origin is Annotated:
            base, *meta = get_args(tp)
            tags = next((m.discriminator for m in meta if _is_open(m)), None)
            if tags is not None:
                return self._open_union(base, tags, value, path, loc)
            return self.construct(base, value, path, loc)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if isinstance(value, dict):
                return self._model(tp, value, path, loc)
        elif origin in (Union, types.UnionType):
            return self._union(get_args(tp), value, path)
        elif origin is list and isinstance(value, list):
            (item,) = get_args(tp) or (Any,)
            return [self.construct(item, v, f"{path}[]", _at(loc, i)) for i, v in enumerate(value)]
        elif origin is dict and isinstance(value, dict):
            _, item = get_args(tp) or (str, Any)
            return {k: self.construct(item, v, f"{path}.*", _at(loc, k)) for k, v in value.items()}
        self.note(path, f"kept as sent: {_short(value)} (expected {_name(tp)})")
        return value

    def _model(
        self, cls: type[BaseModel], value: dict[str, Any], path: str, loc: Loc | None
    ) -> BaseModel:
        fields: dict[str, Any] = {}
        present: set[str] = set()
        known: set[str] = set()
        for name, info in cls.model_fields.items():
            key = info.alias or name
            known.add(key)
            if key in value:
                raw = value[key]
            elif name in value:
                known.add(name)
                raw = value[name]
            else:
                if info.is_required():
                    self.note(f"{path}.{key}", "missing (reads as None)")
                    fields[name] = None
                continue
            tp = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            fields[name] = self.construct(tp, raw, f"{path}.{key}", _at(loc, key))
            present.add(name)
        extra = {k: v for k, v in value.items() if k not in known}
        model = cls.model_construct(_fields_set=present, **fields)
        if extra:
            object.__setattr__(model, "__pydantic_extra__", extra)
        return model

    def _open_union(self, base: Any, tags: OpenTag, value: Any, path: str, loc: Loc | None) -> Any:
        members: dict[str, Any] = {}
        for member in get_args(base):
            if get_origin(member) is Annotated:
                inner, *meta = get_args(member)
                for m in meta:
                    tag = getattr(m, "tag", None)
                    if isinstance(tag, str):
                        members[tag] = inner
        found = tags.value_of(value) if isinstance(value, dict) else None
        tag = tags(value) if isinstance(value, dict) else None
        if tag is None:
            if not isinstance(value, dict) or OTHER not in members:
                self.note(path, f"kept as sent: {_short(value)}")
                return value
            self.note(f"{path}.{tags.key}", f"unknown value {found!r} (read as the Other model)")
            tag = OTHER
        return self.construct(members[tag], value, path, _at(loc, tag))

    def _union(self, args: tuple[Any, ...], value: Any, path: str) -> Any:
        if value is None and _NONE in args:
            return None
        if isinstance(value, dict):
            models = [a for a in map(_unalias, args) if _is_model_like(a)]
            if models:
                best = max(models, key=lambda m: _overlap(m, value))
                return self._rebuild(best, value, path, None)
        if isinstance(value, list):
            lists = [a for a in map(_unalias, args) if get_origin(a) is list]
            if lists:
                return self._rebuild(lists[0], value, path, None)
        self.note(path, f"kept as sent: {_short(value)} (expected {_name(args)})")
        return value


def _at(loc: Loc | None, step: str | int) -> Loc | None:
    """The location of a part, as pydantic names it in its errors (None: lost track)."""
    return None if loc is None else (*loc, step)


def _strictly(ta: TypeAdapter[Any], value: Any) -> bool:
    """Whether a value of the answer is valid as sent (not only once converted)."""
    try:
        ta.validate_json(json.dumps(value), strict=True)
    except ValidationError:
        return False
    return True


def _is_open(meta: Any) -> bool:
    return isinstance(getattr(meta, "discriminator", None), OpenTag)


def _is_model_like(tp: Any) -> bool:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return True
    return get_origin(tp) is Annotated and any(_is_open(m) for m in get_args(tp)[1:])


def _overlap(tp: Any, value: dict[str, Any]) -> int:
    if not isinstance(tp, type):
        return 0
    fields = typing.cast("type[BaseModel]", tp).model_fields
    return sum(1 for n, f in fields.items() if (f.alias or n) in value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _name(tp: Any) -> str:
    text = getattr(tp, "__name__", None) or repr(tp)
    return text.replace("typing.", "")


def extras(value: Any, path: str = "") -> Iterator[str]:
    """The paths of fields a decoded answer carries that its models do not list."""
    if isinstance(value, BaseModel):
        if not isinstance(value, FreeformModel):
            for key in value.model_extra or {}:
                yield f"{path}.{key}"
        for name in value.model_fields_set:
            yield from extras(value.__dict__.get(name), f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from extras(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from extras(item, f"{path}.{key}")
