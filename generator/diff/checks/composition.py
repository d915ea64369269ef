"""oneOf / anyOf / allOf members and the discriminator.

Members are matched by content (refs resolved, annotations ignored), so renaming or moving
a member schema is no change; a member whose content changed is matched by its component
name, then by position, and compared in depth. The discriminator's mapping is compared by
the content of the schemas it points at, not by their names.
"""

from __future__ import annotations

from typing import Any

from generator.diff.checks.site import Pair, Walker, child
from generator.diff.context import Side
from generator.openapi import ref_name

_KEYWORDS = (("oneOf", "one-of"), ("anyOf", "any-of"), ("allOf", "all-of"))


def _label(member: Any, index: int) -> str:
    name = ref_name(member)
    return f"`{name}`" if name else f"member #{index + 1}"


def check_members(w: Walker, pair: Pair) -> None:
    base_side, rev_side = w.ctx.base, w.ctx.rev
    for keyword, stem in _KEYWORDS:
        blist, rlist = pair.get(keyword)
        blist = blist if isinstance(blist, list) else []
        rlist = rlist if isinstance(rlist, list) else []
        if not blist and not rlist:
            continue
        bdig = [base_side.digest(m) for m in blist]
        rdig = [rev_side.digest(m) for m in rlist]
        left = list(range(len(blist)))
        right = list(range(len(rlist)))
        for i in list(left):
            j = next((j for j in right if rdig[j] == bdig[i]), None)
            if j is not None:
                left.remove(i)
                right.remove(j)
        pairs: list[tuple[int, int]] = []
        for i in list(left):
            name = ref_name(blist[i])
            j = next((j for j in right if name and ref_name(rlist[j]) == name), None)
            if j is not None:
                pairs.append((i, j))
                left.remove(i)
                right.remove(j)
        if len(left) == len(right):
            pairs.extend(zip(left, right, strict=True))
            left, right = [], []
        for i, j in pairs:
            if keyword == "allOf":
                continue  # allOf members' properties are compared flattened (schemas.py)
            label = ref_name(rlist[j]) or str(j)
            w.compare(
                child(pair.prop, f"{keyword}[{label}]"),
                blist[i],
                rlist[j],
                f"{pair.bptr}/{keyword}/{i}",
                f"{pair.rptr}/{keyword}/{j}",
            )
        for j in right:
            member = _label(rlist[j], j)
            suffix = _annotation_only(f"{stem}-added", keyword, rdig[j])
            w.emit((suffix,), pair, detail=f"{keyword}+{rdig[j]}", member=member)
        for i in left:
            member = _label(blist[i], i)
            suffix = _annotation_only(f"{stem}-removed", keyword, bdig[i])
            w.emit((suffix,), pair, detail=f"{keyword}-{bdig[i]}", member=member)


_EMPTY = "{}"  # the digest of a schema with annotations only


def _annotation_only(suffix: str, keyword: str, digest: str) -> str:
    """An allOf member that only describes (title, description, examples) constrains
    nothing: oasdiff's `*-annotation-only` variant."""
    return f"{suffix}-annotation-only" if keyword == "allOf" and digest == _EMPTY else suffix


def _target(side: Side, value: Any) -> str:
    if not isinstance(value, str):
        return ""
    ref = value if value.startswith("#") else f"#/components/schemas/{value}"
    return side.digest({"$ref": ref})


def check_discriminator(w: Walker, pair: Pair) -> None:
    base, rev = pair.get("discriminator")
    base = base if isinstance(base, dict) else None
    rev = rev if isinstance(rev, dict) else None
    if base is None and rev is None:
        return
    if base is None or rev is None:
        stem, shown = ("added", rev) if base is None else ("removed", base)
        assert shown is not None
        name = shown.get("propertyName")
        text = f"{stem} (property `{name}`)"
        w.emit((f"discriminator-{stem}",), pair, detail=stem, change=text)
        return
    bname, rname = base.get("propertyName"), rev.get("propertyName")
    if bname != rname:
        text = f"property name changed from `{bname}` to `{rname}`"
        w.emit(("discriminator-property-name-changed",), pair, detail=text, change=text)
    bmap = base.get("mapping") if isinstance(base.get("mapping"), dict) else {}
    rmap = rev.get("mapping") if isinstance(rev.get("mapping"), dict) else {}
    assert isinstance(bmap, dict) and isinstance(rmap, dict)
    for key in rmap:
        if key not in bmap:
            text = f"mapping `{key}` added"
            w.emit(("discriminator-mapping-added",), pair, detail=text, change=text)
    for key in bmap:
        if key not in rmap:
            text = f"mapping `{key}` deleted"
            w.emit(("discriminator-mapping-deleted",), pair, detail=text, change=text)
        elif _target(w.ctx.base, bmap[key]) != _target(w.ctx.rev, rmap[key]):
            text = f"mapping `{key}` now points at another schema"
            w.emit(("discriminator-mapping-changed",), pair, detail=text, change=text)
