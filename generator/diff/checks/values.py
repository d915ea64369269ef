"""Schema values: type and format, nullable, enum and default (OpenAPI 3.0 and 3.1).

Direction decides the suffix: a type that accepts more ("integer" -> "number", a format
dropped) is `type-generalized`, which the registry rates INFO in a request and ERR in a
response; one that accepts less is `type-specialized` or `type-changed`.
"""

from __future__ import annotations

import json
from typing import Any

from generator.diff.checks.site import Pair, Walker
from generator.diff.context import show

_WIDER_TYPES = {("integer", "number")}
_WIDER_FORMATS = {("int32", "int64"), ("float", "double")}


def types_of(schema: dict[str, Any]) -> tuple[frozenset[str], bool]:
    """The JSON types a schema admits (empty: any) and whether it admits null."""
    raw = schema.get("type")
    if isinstance(raw, str):
        types = {raw}
    elif isinstance(raw, list):
        types = {t for t in raw if isinstance(t, str)}
    else:
        types = set()
    nullable = schema.get("nullable") is True or "null" in types
    return frozenset(types - {"null"}), nullable


def _format(schema: dict[str, Any]) -> str | None:
    value = schema.get("format")
    return value if isinstance(value, str) else None


def _relation(
    btypes: frozenset[str], bfmt: str | None, rtypes: frozenset[str], rfmt: str | None
) -> str | None:
    """ "wider", "narrower", "changed", "list-wider", "list-narrower", or None (same)."""
    if btypes == rtypes:
        if bfmt == rfmt:
            return None
        if rfmt is None or (bfmt, rfmt) in _WIDER_FORMATS:
            return "wider"
        if bfmt is None or (rfmt, bfmt) in _WIDER_FORMATS:
            return "narrower"
        return "changed"
    if not rtypes:
        return "wider"
    if not btypes:
        return "narrower"
    if len(btypes) == 1 and len(rtypes) == 1:
        pair = (next(iter(btypes)), next(iter(rtypes)))
        if pair in _WIDER_TYPES:
            return "wider"
        if pair[::-1] in _WIDER_TYPES:
            return "narrower"
        return "changed"
    if rtypes > btypes:
        return "list-wider"
    if rtypes < btypes:
        return "list-narrower"
    return "changed"


_SUFFIXES = {
    ("request", "wider"): ("type-generalized",),
    ("request", "narrower"): ("type-specialized", "type-changed"),
    ("request", "changed"): ("type-changed",),
    ("request", "list-wider"): ("list-of-types-widened", "type-generalized"),
    ("request", "list-narrower"): ("list-of-types-narrowed", "type-changed"),
    ("response", "wider"): ("type-generalized",),
    ("response", "narrower"): ("type-specialized",),
    ("response", "changed"): ("type-changed",),
    ("response", "list-wider"): ("list-of-types-widened", "type-generalized"),
    ("response", "list-narrower"): ("list-of-types-narrowed", "type-specialized"),
}


def _spell(types: frozenset[str], fmt: str | None) -> str:
    text = "any" if not types else "/".join(sorted(types))
    if len(types) > 1:
        text = "[" + ", ".join(sorted(types)) + "]"
    return f"{text} ({fmt})" if fmt else text


def check_type(w: Walker, pair: Pair) -> None:
    btypes, bnull = types_of(pair.base)
    rtypes, rnull = types_of(pair.rev)
    bfmt, rfmt = _format(pair.base), _format(pair.rev)
    relation = _relation(btypes, bfmt, rtypes, rfmt)
    if relation is not None:
        suffixes = _SUFFIXES[(w.site.direction.value, relation)]
        if w.site.loose and relation == "changed" and btypes and rtypes and btypes != rtypes:
            suffixes = ("type-compatible", *suffixes)
        w.emit(
            suffixes,
            pair,
            detail=f"{_spell(btypes, bfmt)}>{_spell(rtypes, rfmt)}",
            base=_spell(btypes, bfmt),
            revision=_spell(rtypes, rfmt),
        )
    if bnull != rnull:
        w.emit(("became-nullable",) if rnull else ("became-not-nullable",), pair)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def check_extensible_enum(w: Walker, pair: Pair) -> None:
    """x-extensible-enum: values a client may send; the server may answer others."""
    benum, renum = pair.get("x-extensible-enum")
    if not isinstance(benum, list) or not w.site.request:
        return
    after = {_key(v) for v in renum} if isinstance(renum, list) else set()
    for value in benum:
        if _key(value) not in after:
            w.emit(
                ("x-extensible-enum-value-removed",), pair, detail=_key(value), value=show(value)
            )


def check_enum(w: Walker, pair: Pair) -> None:
    benum, renum = pair.get("enum")
    if not isinstance(renum, list):
        return  # no enum now: the request accepts more, the response promises less
    if not isinstance(benum, list):
        if w.site.request:
            w.emit(("became-enum",), pair, revision=show(renum))
        return
    before = {_key(v) for v in benum}
    after = {_key(v) for v in renum}
    for value in renum:
        if _key(value) not in before:
            w.emit(("enum-value-added",), pair, detail=_key(value), value=show(value))
    for value in benum:
        if _key(value) not in after:
            w.emit(("enum-value-removed",), pair, detail=_key(value), value=show(value))


def check_default(w: Walker, pair: Pair) -> None:
    missing = object()
    bdef = pair.base.get("default", missing)
    rdef = pair.rev.get("default", missing)
    if bdef is missing and rdef is missing:
        return
    if bdef is missing:
        w.emit(("default-value-added",), pair, revision=show(rdef))
    elif rdef is missing:
        w.emit(("default-value-removed",), pair, base=show(bdef))
    elif _key(bdef) != _key(rdef):
        w.emit(("default-value-changed",), pair, base=show(bdef), revision=show(rdef))
