"""Every JSON answer of the spec, mutated the ways a real broker differs from it: the
default client still returns its models (the fields that are there equal what the strict
client reads from the unmutated answer), the strict client raises
APIResponseValidationError.

The answers are built from the spec's examples and schemas (tests/tolerant/_answers.py);
the object mutated is the answer itself, or the first item of a list or of a page.
"""

from __future__ import annotations

import copy
import json
import string
from typing import Annotated, Any, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from tests.tolerant._answers import ROOT, Answer, answers, decode

ANSWERS = answers()
IDS = [a.operation for a in ANSWERS]
UNKNOWN = "zz_not_in_the_spec"


def _target(body: Any) -> dict[str, Any] | None:
    """The object of an answer that the mutations change."""
    if isinstance(body, list):
        body = body[0] if body else None
    elif isinstance(body, dict) and isinstance(body.get("data"), list) and "meta" in body:
        body = body["data"][0] if body["data"] else None
    return body if isinstance(body, dict) and body else None


def _decoded(result: Any) -> Any:
    if isinstance(result, list):
        return result[0]
    data = getattr(result, "data", None)
    if isinstance(data, list) and hasattr(result, "meta"):
        return data[0]
    return result


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)


def _mutated(answer: Answer, change: Any) -> Any:
    body = copy.deepcopy(answer.body)
    target = _target(body)
    assert target is not None
    change(target)
    return body


def _field(model: BaseModel, key: str) -> tuple[str, Any] | None:
    for name, info in type(model).model_fields.items():
        if (info.alias or name) == key:
            return name, info
    return None


def _spec_discriminators() -> frozenset[str]:
    """Every `discriminator.propertyName` of the bundled spec (and of the unions whose
    discriminator may be absent, `x-emqx-discriminator`)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("discriminator", "x-emqx-discriminator"):
                name = node.get(key, {}).get("propertyName")
                if isinstance(name, str):
                    found.add(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((ROOT / "generated" / "openapi.json").read_text()))
    return frozenset(found)


DISCRIMINATORS = _spec_discriminators()


def _discriminator(model: BaseModel) -> set[str]:
    """Fields whose value selects a union member: leave them in place."""
    return {
        info.alias or name
        for name, info in type(model).model_fields.items()
        if (info.alias or name) in DISCRIMINATORS
    }


# An answer whose object is a map (`ExternalRegistries`: registry name -> registry) has
# keys that are data, not fields: it is mutated through the other tests of its items.
MUTABLE = [
    a
    for a in ANSWERS
    if _target(a.body) is not None
    and isinstance(_decoded(decode(a, a.body, strict=True)), BaseModel)
]
MUTABLE_IDS = [a.operation for a in MUTABLE]


@pytest.mark.parametrize("answer", MUTABLE, ids=MUTABLE_IDS)
def test_each_field_dropped_in_turn(answer: Answer) -> None:
    reference = _decoded(decode(answer, answer.body, strict=True))
    assert isinstance(reference, BaseModel)
    expected = _dump(reference)
    target = _target(answer.body)
    assert target is not None
    for key in sorted(set(target) - _discriminator(reference)):
        body = _mutated(answer, lambda t, key=key: t.pop(key))
        got = _decoded(decode(answer, body, strict=False))
        assert type(got) is type(reference), key
        dumped = _dump(got)
        assert key not in dumped
        assert {k: dumped.get(k) for k in expected if k != key} == {
            k: v for k, v in expected.items() if k != key
        }
        found = _field(got, key)
        if found is not None and found[1].is_required():
            assert got.__dict__[found[0]] is None
            _strict_refuses(answer, body, key)


def _strict_refuses(answer: Answer, body: Any, key: str) -> None:
    from emqx_client import APIResponseValidationError

    with pytest.raises(APIResponseValidationError) as caught:
        decode(answer, body, strict=True)
    assert caught.value.method == answer.method
    assert caught.value.path == answer.path
    assert caught.value.errors, key


def _admits_text(info: Any, text: str) -> bool:
    tp = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    try:
        TypeAdapter(tp).validate_json(f'"{text}"', strict=True)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("answer", MUTABLE, ids=MUTABLE_IDS)
def test_booleans_and_numbers_sent_as_strings(answer: Answer) -> None:
    reference = _decoded(decode(answer, answer.body, strict=True))
    expected = _dump(reference)
    target = _target(answer.body)
    assert target is not None
    for key, value in sorted(target.items()):
        if type(value) not in (bool, int) or key in _discriminator(reference):
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        found = _field(reference, key)
        if found is None or _admits_text(found[1], text):
            continue
        body = _mutated(answer, lambda t, key=key, text=text: t.__setitem__(key, text))
        got = _decoded(decode(answer, body, strict=False))
        assert _dump(got).get(key) == expected[key], key
        _strict_refuses(answer, body, key)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=st.sampled_from(MUTABLE), value=json_values)
def test_unknown_fields_are_kept(answer: Answer, value: Any) -> None:
    from emqx_client._model import FreeformModel

    body = _mutated(answer, lambda t: t.__setitem__(UNKNOWN, value))
    got = _decoded(decode(answer, body, strict=False))
    assert got.model_extra[UNKNOWN] == value
    if not isinstance(got, FreeformModel):
        _strict_refuses(answer, body, UNKNOWN)


def _open_union(annotation: Any) -> Any:
    tp = annotation
    while hasattr(tp, "__value__") and not isinstance(tp, type):
        tp = tp.__value__
    if get_origin(tp) is list:
        return _open_union(get_args(tp)[0])
    if get_origin(tp) is Annotated:
        for meta in get_args(tp)[1:]:
            tags = getattr(meta, "discriminator", None)
            if tags is not None and hasattr(tags, "tags"):
                return tags
    if isinstance(tp, type) and issubclass(tp, BaseModel) and "data" in tp.model_fields:
        return _open_union(tp.model_fields["data"].annotation)
    return None


def _union_answers() -> list[Answer]:
    from tests.tolerant._answers import result_type

    return [a for a in MUTABLE if _open_union(result_type(a.annotation)) is not None]


UNION_ANSWERS = _union_answers()


def test_every_union_answer_is_exercised() -> None:
    names = {a.operation for a in UNION_ANSWERS}
    assert {
        "list_connectors",
        "get_gateway",
        "get_listener",
        "list_bridges",
        "list_gateway_listeners",
    } <= names


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answer=st.sampled_from(UNION_ANSWERS),
    kind=st.text(alphabet=string.ascii_lowercase + "_", min_size=3, max_size=12),
)
def test_an_unknown_discriminator_gives_the_other_model(answer: Answer, kind: str) -> None:
    from tests.tolerant._answers import result_type

    tags = _open_union(result_type(answer.annotation))
    if kind in tags.tags:
        return
    body = _mutated(answer, lambda t: t.__setitem__(tags.key, kind))
    target = _target(body)
    assert target is not None
    got = _decoded(decode(answer, body, strict=False))
    assert type(got).__name__.endswith("Other")
    assert getattr(got, tags.key) == kind
    assert {k: v for k, v in got.model_extra.items()} == {
        k: v for k, v in target.items() if k != tags.key
    }
    _strict_refuses(answer, body, tags.key)


_OTHER_FORM = {
    "HoconDuration": lambda v: 15000 if isinstance(v, str) else "15s",
    "HoconByteSize": lambda v: 268435456 if isinstance(v, str) else "256MB",
    "HoconCiphers": lambda v: ",".join(v) if isinstance(v, list) else v.split(","),
    "HoconPositiveOrInfinity": lambda v: 1000 if v == "infinity" else "infinity",
    "HoconCountOrInfinity": lambda v: 1000 if v == "infinity" else "infinity",
}


def _hocon_kind(info: Any) -> str | None:
    text = repr(info.annotation)
    return next((kind for kind in _OTHER_FORM if kind in text), None)


HOCON_CASES = [
    (answer, key)
    for answer in MUTABLE
    for key in sorted(_target(answer.body) or {})
    if (found := _field(_decoded(decode(answer, answer.body, strict=True)), key)) is not None
    and _hocon_kind(found[1]) is not None
]


def test_hocon_fields_are_exercised() -> None:
    kinds = set()
    for answer, key in HOCON_CASES:
        found = _field(_decoded(decode(answer, answer.body, strict=True)), key)
        assert found is not None
        kinds.add(_hocon_kind(found[1]))
    assert {"HoconDuration", "HoconPositiveOrInfinity"} <= kinds


@pytest.mark.parametrize(
    ("answer", "key"), HOCON_CASES, ids=[f"{a.operation}-{k}" for a, k in HOCON_CASES]
)
def test_each_hocon_form_is_taken_as_sent(answer: Answer, key: str) -> None:
    """A HOCON value in its other form (a duration as milliseconds, `infinity` for a
    number, a cipher list as one string, ...) is in the spec: both clients keep it as sent."""
    reference = _decoded(decode(answer, answer.body, strict=True))
    found = _field(reference, key)
    assert found is not None
    kind = _hocon_kind(found[1])
    assert kind is not None
    target = _target(answer.body)
    assert target is not None
    if target[key] is None:
        return
    other = _OTHER_FORM[kind](target[key])
    body = _mutated(answer, lambda t: t.__setitem__(key, other))
    for strict in (True, False):
        got = _decoded(decode(answer, body, strict=strict))
        assert _dump(got)[key] == other, (strict, key)
