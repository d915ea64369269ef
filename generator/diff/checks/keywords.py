"""The JSON Schema 2020-12 keywords OpenAPI 3.1 brought: const, if/then/else, contains
with minContains/maxContains, prefixItems, unevaluatedItems/unevaluatedProperties,
dependentRequired, dependentSchemas, patternProperties, propertyNames and
contentEncoding/contentMediaType/contentSchema.

As elsewhere, a check names what happened (`const-added`) and the site makes it the rule
of the place (`request-property-const-added`, ERR: the request accepts less). A 3.0
document does not use these keywords, so the checks find nothing there.
"""

from __future__ import annotations

import json
from typing import Any

from generator.diff.checks.site import Pair, Walker, child
from generator.diff.context import show
from generator.yamlsource import escape

_MISSING = object()

# keyword -> suffix stem of "-added" / "-removed" (the keyword appeared or went away)
_PRESENCE = (
    ("if", "if"),
    ("then", "then"),
    ("else", "else"),
    ("contains", "contains"),
    ("propertyNames", "property-names"),
    ("unevaluatedItems", "unevaluated-items"),
    ("unevaluatedProperties", "unevaluated-properties"),
    ("contentSchema", "content-schema"),
)
# keyword -> suffix of any change to its value (set, changed or dropped)
_VALUES = (
    ("contentMediaType", "content-media-type-changed"),
    ("contentEncoding", "content-encoding-changed"),
)
# keyword -> suffix stem of its entries added or removed, by key
_MAPS = (
    ("patternProperties", "pattern-property"),
    ("dependentSchemas", "dependent-schema"),
)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def check_keywords(w: Walker, pair: Pair) -> None:
    _const(w, pair)
    for keyword, stem in _PRESENCE:
        base = pair.base.get(keyword, _MISSING)
        rev = pair.rev.get(keyword, _MISSING)
        if (base is _MISSING) == (rev is _MISSING):
            continue
        added = base is _MISSING
        w.emit(
            (f"{stem}-added" if added else f"{stem}-removed",),
            pair,
            detail=keyword,
            removed=not added,
            keyword=f"`{keyword}`",
        )
    for keyword, suffix in _VALUES:
        base, rev = pair.base.get(keyword), pair.rev.get(keyword)
        if _key(base) != _key(rev):
            w.emit(
                (suffix,),
                pair,
                detail=keyword,
                keyword=f"`{keyword}`",
                base=show(base),
                revision=show(rev),
            )
    _contains_counts(w, pair)
    _prefix_items(w, pair)
    for keyword, stem in _MAPS:
        _map_entries(w, pair, keyword, stem)
    _dependent_required(w, pair)


def _const(w: Walker, pair: Pair) -> None:
    base = pair.base.get("const", _MISSING)
    rev = pair.rev.get("const", _MISSING)
    if base is _MISSING and rev is _MISSING:
        return
    if base is _MISSING:
        w.emit(("const-added",), pair, value=show(rev))
    elif rev is _MISSING:
        w.emit(("const-removed",), pair, removed=True, value=show(base))
    elif _key(base) != _key(rev):
        w.emit(("const-changed",), pair, base=show(base), revision=show(rev))


def _count(schema: dict[str, Any], key: str) -> int | None:
    value = schema.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _contains_counts(w: Walker, pair: Pair) -> None:
    if "contains" not in pair.base and "contains" not in pair.rev:
        return  # minContains/maxContains mean nothing without contains
    for keyword, stem, unset in (
        ("minContains", "min-contains", 1),
        ("maxContains", "max-contains", None),
    ):
        base, rev = _count(pair.base, keyword), _count(pair.rev, keyword)
        before = unset if base is None else base
        after = unset if rev is None else rev
        if before == after:
            continue
        if before is None or (after is not None and after < before):
            suffix = f"{stem}-decreased"
        else:
            suffix = f"{stem}-increased"
        w.emit(
            (suffix,),
            pair,
            detail=keyword,
            keyword=f"`{keyword}`",
            base="unbounded" if before is None else str(before),
            revision="unbounded" if after is None else str(after),
        )


def _prefix_items(w: Walker, pair: Pair) -> None:
    base, rev = pair.get("prefixItems")
    before = base if isinstance(base, list) else []
    after = rev if isinstance(rev, list) else []
    if not before and not after:
        return
    if len(after) > len(before):
        count = len(after) - len(before)
        w.emit(("prefix-items-added",), pair, value=f"{count} positional schema(s)")
    elif len(after) < len(before):
        count = len(before) - len(after)
        w.emit(("prefix-items-removed",), pair, removed=True, value=f"{count} positional schema(s)")
    for i in range(min(len(before), len(after))):
        w.compare(
            child(pair.prop, f"prefixItems/{i}"),
            before[i],
            after[i],
            f"{pair.bptr}/prefixItems/{i}",
            f"{pair.rptr}/prefixItems/{i}",
        )


def _map_entries(w: Walker, pair: Pair, keyword: str, stem: str) -> None:
    base, rev = pair.get(keyword)
    before = base if isinstance(base, dict) else {}
    after = rev if isinstance(rev, dict) else {}
    shown = f"`{keyword}`"
    for name in after:
        if name not in before:
            w.emit(
                (f"{stem}-added",),
                pair,
                detail=f"{keyword}|{name}",
                value=f"`{name}`",
                keyword=shown,
            )
    for name in before:
        if name not in after:
            w.emit(
                (f"{stem}-removed",),
                pair,
                detail=f"{keyword}|{name}",
                removed=True,
                value=f"`{name}`",
                keyword=shown,
            )
    for name in before.keys() & after.keys():
        place = f"{keyword}/{escape(name)}"
        w.compare(
            child(pair.prop, place),
            before[name],
            after[name],
            f"{pair.bptr}/{place}",
            f"{pair.rptr}/{place}",
        )


def _names(value: Any) -> list[str]:
    return sorted(str(v) for v in value) if isinstance(value, list) else []


def _dependent_required(w: Walker, pair: Pair) -> None:
    base, rev = pair.get("dependentRequired")
    before = base if isinstance(base, dict) else {}
    after = rev if isinstance(rev, dict) else {}
    shown = "`dependentRequired`"
    for name, names in after.items():
        if name not in before:
            w.emit(
                ("dependent-required-added",),
                pair,
                detail=name,
                value=f"`{name}`",
                keyword=shown,
                revision=show(names),
            )
        elif _names(before[name]) != _names(names):
            w.emit(
                ("dependent-required-changed",),
                pair,
                detail=name,
                value=f"`{name}`",
                base=show(before[name]),
                revision=show(names),
            )
    for name, names in before.items():
        if name not in after:
            w.emit(
                ("dependent-required-removed",),
                pair,
                detail=name,
                removed=True,
                value=f"`{name}`",
                keyword=shown,
                base=show(names),
            )
