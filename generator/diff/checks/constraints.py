"""Schema bounds and patterns: maximum/minimum (with 3.0's boolean exclusive flags), 3.1's
numeric exclusiveMaximum/exclusiveMinimum, maxLength/minLength, maxItems/minItems, pattern.

Tightening a bound narrows what a request accepts; loosening one widens what a response
may contain. The suffix says what happened; the registry says how bad that is there.
"""

from __future__ import annotations

from typing import Any

from generator.diff.checks.site import Pair, Walker

Bound = tuple[float, bool] | None  # (value, exclusive); None is unbounded


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _numeric(schema: dict[str, Any], inclusive: str, exclusive: str) -> Bound:
    """maximum/minimum, made exclusive by OpenAPI 3.0's boolean exclusiveMaximum/Minimum."""
    plain = _number(schema.get(inclusive))
    return None if plain is None else (plain, schema.get(exclusive) is True)


def _count(schema: dict[str, Any], key: str) -> Bound:
    value = _number(schema.get(key))
    return None if value is None else (value, False)


def _tighter(base: Bound, rev: Bound, upper: bool) -> str | None:
    """ "set", "unset", "tighter", "looser" or None for the same bound."""
    if base == rev:
        return None
    if base is None:
        return "set"
    if rev is None:
        return "unset"
    if base[0] != rev[0]:
        smaller = rev[0] < base[0]
        return "tighter" if smaller == upper else "looser"
    return "tighter" if rev[1] else "looser"


def _spell(bound: Bound, default: str) -> str:
    if bound is None:
        return default
    value = int(bound[0]) if float(bound[0]).is_integer() else bound[0]
    return f"{value} (exclusive)" if bound[1] else str(value)


# (suffix stem, keyword, its 3.0 boolean exclusive flag, upper bound?, "no bound" reads as).
# OpenAPI 3.1's numeric exclusiveMaximum/exclusiveMinimum are bounds of their own, with
# rules of their own (`*-exclusive-max-*`), as in oasdiff.
_BOUNDS = (
    ("max", "maximum", "exclusiveMaximum", True, "unbounded"),
    ("min", "minimum", "exclusiveMinimum", False, "unbounded"),
    ("exclusive-max", "exclusiveMaximum", "", True, "unbounded"),
    ("exclusive-min", "exclusiveMinimum", "", False, "unbounded"),
    ("max-length", "maxLength", "", True, "unbounded"),
    ("min-length", "minLength", "", False, "0"),
    ("max-items", "maxItems", "", True, "unbounded"),
    ("min-items", "minItems", "", False, "0"),
)


def _suffixes(stem: str, upper: bool, change: str, request: bool) -> tuple[str, ...]:
    tight = f"{stem}-decreased" if upper else f"{stem}-increased"
    loose = f"{stem}-increased" if upper else f"{stem}-decreased"
    if change == "set":
        return (f"{stem}-set", tight) if request else (tight,)
    if change == "unset":
        return (f"{stem}-unset", loose)
    return (tight,) if change == "tighter" else (loose,)


def check_bounds(w: Walker, pair: Pair) -> None:
    for stem, keyword, exclusive, upper, unbounded in _BOUNDS:
        if exclusive:
            base = _numeric(pair.base, keyword, exclusive)
            rev = _numeric(pair.rev, keyword, exclusive)
        else:
            base, rev = _count(pair.base, keyword), _count(pair.rev, keyword)
        change = _tighter(base, rev, upper)
        if change is None:
            continue
        w.emit(
            _suffixes(stem, upper, change, w.site.request),
            pair,
            detail=keyword,
            keyword=keyword,
            base=_spell(base, unbounded),
            revision=_spell(rev, unbounded),
        )


def check_pattern(w: Walker, pair: Pair) -> None:
    base, rev = pair.get("pattern")
    base = base if isinstance(base, str) else None
    rev = rev if isinstance(rev, str) else None
    if base == rev:
        return
    if base is None:
        w.emit(("pattern-added",), pair, revision=f"`{rev}`")
    elif rev is None:
        w.emit(("pattern-removed",), pair, base=f"`{base}`")
    else:
        changed = (
            ("pattern-generalized", "pattern-changed") if rev == ".*" else ("pattern-changed",)
        )
        w.emit(changed, pair, base=f"`{base}`", revision=f"`{rev}`")
