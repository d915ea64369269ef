"""The stub's quick body check (`_schema_check`) against the validator it stands in for:
it may only call a body valid that OAS30Validator calls valid, on the spec's examples and
on bodies bent out of shape from them, and it must answer the examples itself."""

from __future__ import annotations

import copy
import json
import random
from importlib import resources
from typing import Any

import pytest
from emqx_server_stub._responses import SpecBodies
from emqx_server_stub._schema_check import SchemaCompiler

_METHODS = ("get", "put", "post", "delete", "patch")
_ODD_VALUES = [None, 0, -5, 1.5, 10**12, "", "x" * 300, "a/#", True, False, [], {}, [1], {"a": 1}]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    text = resources.files("emqx_server_stub").joinpath("openapi.json").read_text("utf-8")
    return dict(json.loads(text))


def _examples(spec: dict[str, Any], operation: dict[str, Any]) -> list[Any]:
    body = operation.get("requestBody") or {}
    if "$ref" in body:
        body = spec["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[-1]]
    media = (body.get("content") or {}).get("application/json") or {}
    found = [media["example"]] if "example" in media else []
    found += [e["value"] for e in (media.get("examples") or {}).values() if "value" in e]
    schema = media.get("schema") or {}
    if "$ref" in schema:
        named = spec["components"]["schemas"].get(schema["$ref"].rsplit("/", 1)[-1], {})
        found += [named["example"]] if "example" in named else []
    return found


def _bend(value: Any, rng: random.Random) -> Any:
    """The value with one thing changed somewhere inside it."""
    if isinstance(value, dict) and value:
        value = dict(value)
        key = rng.choice(sorted(value))
        roll = rng.random()
        if roll < 0.2:
            del value[key]
        elif roll < 0.3:
            value["not_in_the_schema"] = rng.choice(_ODD_VALUES)
        elif roll < 0.6:
            value[key] = rng.choice(_ODD_VALUES)
        else:
            value[key] = _bend(value[key], rng)
        return value
    if isinstance(value, list) and value:
        value = list(value)
        index = rng.randrange(len(value))
        value[index] = _bend(value[index], rng)
        return value
    return rng.choice(_ODD_VALUES)


def test_the_quick_check_never_calls_an_invalid_body_valid(spec: dict[str, Any]) -> None:
    bodies = SpecBodies(spec)
    rng = random.Random(19)
    checked = answered = 0
    wrong = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            checks = bodies.get(path, method)
            if checks is None:
                continue
            for example in _examples(spec, operation):
                samples = [example] + [_bend(copy.deepcopy(example), rng) for _ in range(40)]
                for body in samples:
                    try:
                        valid = checks.validator.is_valid(body)
                    except Exception:  # the validator trips: the stub answers 400
                        valid = False
                    quick = checks.quick(body)
                    checked += 1
                    answered += quick
                    if quick and not valid:
                        wrong.append((method.upper(), path, body))
                assert checks.quick(example), f"{method.upper()} {path}: its own example"
    assert wrong == []
    assert checked > 3000 and answered > checked // 5


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "integer", "enum": [0, 1]}, [0, 1], [True, False, 1.5, "1", None]),
        ({"type": "string", "nullable": True, "maxLength": 2}, [None, "ab"], ["abc", 1]),
        ({"type": "number", "minimum": 1, "exclusiveMinimum": True}, [1.5, 2], [1, 0.5, True]),
        ({"type": "string", "pattern": "^a+$"}, ["aa"], ["ab", ""]),
        (
            {
                "type": "object",
                "required": ["a"],
                "additionalProperties": False,
                "properties": {"a": {"type": "string"}},
            },
            [{"a": "x"}],
            [{}, {"a": "x", "b": 1}, {"a": None}, []],
        ),
        (
            {"oneOf": [{"type": "integer"}, {"type": "number"}]},
            [1.5],
            [1, "x"],  # 1 fits both branches: not exactly one
        ),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 1}, [[1]], [[], [1, "a"]]),
        ({"not": {"type": "string"}}, [], [1, "x"]),  # not compiled: always left to the validator
    ],
)
def test_keywords_answer_as_the_validator(schema: Any, good: list[Any], bad: list[Any]) -> None:
    check = SchemaCompiler({"components": {}}).compile(schema).check
    assert [check(v) for v in good] == [True] * len(good)
    assert [check(v) for v in bad] == [False] * len(bad)


def test_a_discriminator_picks_the_schema_named_by_the_tag() -> None:
    spec = {
        "components": {
            "schemas": {
                "Cat": {
                    "type": "object",
                    "required": ["kind", "meow"],
                    "properties": {"kind": {"type": "string"}, "meow": {"type": "boolean"}},
                },
                "Dog": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string"}},
                },
            }
        }
    }
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog"}},
    }
    check = SchemaCompiler(spec).compile(schema).check
    assert check({"kind": "Cat", "meow": True}) and check({"kind": "dog"})
    assert not check({"kind": "Cat"}) and not check({"kind": "Bird"}) and not check({})
