"""Client impact: which changes break code written against the generated client.

The HTTP rules judge the wire; this judges the Python surface the generator renders from
the view model. Both surfaces (client_surface.py) are compared; each difference that breaks
calling or reading code is a `ClientBreak` with the pointers it comes from. A change whose
pointer lies at or under one of them carries the break; a break no change explains (a model
renamed, which is no HTTP change at all) is reported under `client-interface-changed`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from generator.diff.client_surface import Field, Method, Model, Surface, shape, surface
from generator.diff.context import Context, Side
from generator.diff.model import Change, Direction
from generator.loader import LoadedSpec
from generator.yamlsource import escape

FALLBACK = "client-interface-changed"
_READ, _BUILT = Direction.RESPONSE, Direction.REQUEST


@dataclass(frozen=True)
class ClientBreak:
    method: str  # "" for a model
    path: str
    text: str
    under: tuple[str, ...]  # changes at or under these pointers carry it
    exact: tuple[str, ...] = ()  # changes at exactly these pointers carry it
    side: Direction | None = None  # only changes judged on this side (a model read or built)
    whole_side: bool = False  # every change of the operation on `side` (a new return type)

    def explains(self, change: Change) -> bool:
        if self.method and (change.method, change.path) != (self.method, self.path):
            return False
        if self.side is not None and change.direction not in (self.side, Direction.NONE):
            return False
        if self.whole_side and change.direction is self.side:
            return True
        ptr = change.pointer
        return ptr in self.exact or any(ptr == a or ptr.startswith(a + "/") for a in self.under)


def rate(base: LoadedSpec, revision: LoadedSpec, changes: list[Change]) -> list[Change]:
    """The changes, each with its client break (if any), and one more change per break
    that none of them explains."""
    base_side, rev_side = Side(base), Side(revision)
    breaks = compare_surfaces(surface(base_side), surface(rev_side))
    if not breaks:
        return changes
    used: set[int] = set()
    out = []
    for change in changes:
        found = [i for i, b in enumerate(breaks) if b.explains(change)]
        used.update(found)
        if found:
            change = replace(change, client="; ".join(breaks[i].text for i in found))
        out.append(change)
    ctx = Context(base_side, rev_side, today=date.today())
    for i, found_break in enumerate(breaks):
        if i not in used:
            pointer = (found_break.exact or found_break.under)[0]
            before = len(ctx.changes)
            ctx.emit(
                FALLBACK,
                method=found_break.method,
                path=found_break.path,
                pointer=pointer,
                detail=found_break.text,
                text=found_break.text,
            )
            if len(ctx.changes) > before:
                out.append(replace(ctx.changes[-1], client=found_break.text))
    return sorted(out, key=Change.sort_key)


def compare_surfaces(before: Surface, after: Surface) -> list[ClientBreak]:
    out: list[ClientBreak] = []
    for key, (bpath, was) in before.methods.items():
        verb = key[0]
        if key not in after.methods:
            out.append(ClientBreak(verb, bpath, f"`{was.call}()` is gone", (), (was.pointer,)))
            continue
        path, now = after.methods[key]
        if now.call != was.call:
            named = (now.pointer, f"{now.pointer}/operationId", f"{now.pointer}/tags")
            out.append(ClientBreak(verb, path, f"`{was.call}()` is now `{now.call}()`", (), named))
        out += _keywords(verb, path, was, now, (escape(bpath), escape(path)))
        if not shape(now.returns) <= shape(was.returns):
            text = f"`{now.call}()` returns `{now.returns}` instead of `{was.returns}`"
            ends = was.returns_at + now.returns_at
            out.append(ClientBreak(verb, path, text, ends, side=_READ, whole_side=True))
    for name, model in before.models.items():
        if name not in after.models:
            text = f"`models.{name}` is gone"
            out.append(ClientBreak("", "", text, (), (model.pointer,)))
            continue
        out += _fields(model, after.models[name])
    return out


def _keywords(
    verb: str, path: str, was: Method, now: Method, paths: tuple[str, str]
) -> list[ClientBreak]:
    out = []
    call = f"`{now.call}()`"
    for name, old in was.keywords.items():
        new = now.keywords.get(name)
        if new is None:
            # a path parameter renamed is reported at the revision's place of the old one
            moved = old.pointer.replace(f"/paths/{paths[0]}/", f"/paths/{paths[1]}/", 1)
            text = f"{call} no longer takes `{name}=`"
            out.append(ClientBreak(verb, path, text, (old.pointer, moved)))
        elif new.required and not old.required:
            text = f"{call} now needs `{name}=`"
            out.append(ClientBreak(verb, path, text, (old.pointer, new.pointer)))
        elif not shape(old.annotation) <= shape(new.annotation):
            text = f"`{name}=` of {call} takes `{new.annotation}`, not `{old.annotation}`"
            out.append(ClientBreak(verb, path, text, (old.pointer, new.pointer)))
    for name, new in now.keywords.items():
        if name not in was.keywords and new.required:
            out.append(ClientBreak(verb, path, f"{call} needs a new `{name}=`", (new.pointer,)))
    return out


def _fields(was: Model, now: Model) -> list[ClientBreak]:
    out = []
    model = f"`models.{now.name}`"
    read, built = was.read or now.read, was.built or now.built
    for name, old in was.fields.items():
        new = now.fields.get(name)
        if new is None:
            out.append(ClientBreak("", "", f"{model} loses its field `{name}`", (old.pointer,)))
            continue
        ends = (old.pointer, new.pointer)
        before, after = shape(_typed(old)), shape(_typed(new))
        read_break, built_break = read and not after <= before, built and not before <= after
        if built and new.required and not old.required:
            text = f"{model} can no longer be built without `{name}`"
            out.append(ClientBreak("", "", text, ends, side=_BUILT))
        elif read_break or built_break:
            text = f"the field `{name}` of {model} is `{_typed(new)}`, not `{_typed(old)}`"
            side = None if read_break and built_break else _READ if read_break else _BUILT
            out.append(ClientBreak("", "", text, ends, side=side))
    if built:
        for name, new in now.fields.items():
            if name not in was.fields and new.required:
                text = f"{model} can no longer be built without its new field `{name}`"
                out.append(ClientBreak("", "", text, (new.pointer,), side=_BUILT))
    return out


def _typed(field: Field) -> str:
    """The field's annotation in the model: an optional field may be None."""
    if field.required or " | None" in field.annotation:
        return field.annotation
    return f"{field.annotation} | None"
