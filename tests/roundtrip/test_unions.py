"""Every discriminated union of the spec parses each of its branches into that branch's
own model, in the client and in the stub, from the example the branch schema carries;
a body whose discriminator names no branch is refused.

Unions nest where two fields decide the branch (an outer union on the first field whose
branches are unions on the second): the leaves are what a body finally parses into.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

SPEC = json.loads((Path(__file__).parents[2] / "generated" / "openapi.json").read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
PACKAGES = ("emqx_client", "emqx_server_stub")


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _discriminator(schema: dict[str, Any]) -> dict[str, Any] | None:
    """A union's discriminator: `discriminator`, or `x-emqx-discriminator` for a union whose
    broker takes a body without the property (an `anyOf`, see spec/README.md)."""
    found = schema.get("discriminator") or schema.get("x-emqx-discriminator")
    return found if isinstance(found, dict) else None


def _members(schema: dict[str, Any]) -> list[Any]:
    return list(schema.get("oneOf") or schema.get("anyOf") or [])


def _is_union(schema: dict[str, Any]) -> bool:
    return bool(_members(schema)) and _discriminator(schema) is not None


def _absent_values(schema: dict[str, Any]) -> set[str]:
    """The values a body without the discriminator may stand for."""
    default = (schema.get("x-emqx-discriminator") or {}).get("default") or []
    return {default} if isinstance(default, str) else set(default)


# a discriminator, the values that lead on, and whether a body may leave it out
Step = tuple[str, tuple[str, ...], bool]


def _branches(name: str) -> list[tuple[str, tuple[Step, ...]]]:
    """Each leaf schema under `name` with the steps that lead to it: a discriminated
    union maps values to branches (several values may share one); a oneOf without a
    discriminator (shapes told apart by their required fields) adds no step."""
    schema = SCHEMAS[name]
    members = _members(schema)
    if not members:
        return [(name, ())]
    discriminator = _discriminator(schema)
    if discriminator is None:
        return [leaf for member in members for leaf in _branches(_name(member["$ref"]))]
    prop = discriminator["propertyName"]
    absent = _absent_values(schema)
    values: dict[str, list[str]] = {}
    for value, ref in sorted(discriminator["mapping"].items()):
        values.setdefault(_name(ref), []).append(value)
    return [
        (leaf, ((prop, tuple(vals), bool(absent & set(vals))), *steps))
        for branch, vals in values.items()
        for leaf, steps in _branches(branch)
    ]


UNIONS = sorted(name for name, schema in SCHEMAS.items() if _is_union(schema))
CASES = [
    pytest.param(union, leaf, steps, id=f"{union}-{leaf}")
    for union in UNIONS
    for leaf, steps in _branches(union)
]


def test_the_spec_has_discriminated_unions() -> None:
    assert len(UNIONS) >= 3


@pytest.mark.parametrize("union", UNIONS)
def test_every_member_is_mapped_and_fixes_its_discriminator(union: str) -> None:
    schema = SCHEMAS[union]
    mapping = (_discriminator(schema) or {})["mapping"]
    members = {_name(member["$ref"]) for member in _members(schema)}
    assert members == {_name(ref) for ref in mapping.values()}
    for leaf, steps in _branches(union):
        for prop, values, may_be_absent in steps:
            fixed = SCHEMAS[leaf]["properties"][prop]
            assert set(values) <= set(fixed["enum"]), (union, leaf, prop)
            if may_be_absent:  # optional, defaulting to the value it stands for
                assert fixed.get("default") in values, (union, leaf, prop)
            else:
                assert prop in SCHEMAS[leaf].get("required", []), (union, leaf, prop)


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize(("union", "leaf_name", "steps"), CASES)
def test_each_branch_parses_into_its_own_model(
    package: str, union: str, leaf_name: str, steps: tuple[Step, ...]
) -> None:
    models = __import__(f"{package}.models", fromlist=["x"])
    example = SCHEMAS[leaf_name].get("example")
    assert isinstance(example, dict), f"{leaf_name} has no example"
    for prop, values, _ in steps:
        assert example.get(prop) in values, (leaf_name, prop)
    parsed = TypeAdapter(getattr(models, union)).validate_python(example)
    if not isinstance(parsed, BaseModel) or type(parsed).__name__ != leaf_name:
        parsed = getattr(parsed, "root", parsed)
    assert type(parsed).__name__ == leaf_name
    # every field of the example is a field of that model (none lost or left as extra)
    dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert set(dumped) == set(example)


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("union", UNIONS)
def test_an_unknown_branch_is_refused(package: str, union: str) -> None:
    models = __import__(f"{package}.models", fromlist=["x"])
    prop = (_discriminator(SCHEMAS[union]) or {})["propertyName"]
    first = _branches(union)[0][0]
    body = dict(SCHEMAS[first]["example"], **{prop: "no-such-branch"})
    adapter = TypeAdapter(getattr(models, union))
    opened = hasattr(models, f"{union}Other")
    if package == "emqx_client" and len(_members(SCHEMAS[union])) == 1 and not opened:
        # a one-branch request union is that branch's model, whose `type` is an enum;
        # the client keeps enums open, the stub does not
        assert getattr(adapter.validate_python(body), prop) == "no-such-branch"
        return
    # an answer's union is open in the client, but validation still refuses the value:
    # the tolerant reader, not validation, makes it the union's Other model
    with pytest.raises(ValidationError):
        adapter.validate_python(body)


ABSENT_CASES = [
    pytest.param(union, leaf, steps, id=f"{union}-{leaf}")
    for union, leaf, steps in ((c.values[0], c.values[1], c.values[2]) for c in CASES)
    if any(may_be_absent for _, _, may_be_absent in steps)
]


def test_the_spec_has_unions_whose_discriminator_may_be_absent() -> None:
    assert ABSENT_CASES


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize(("union", "leaf_name", "steps"), ABSENT_CASES)
def test_a_branch_without_its_discriminator_parses_as_the_broker_reads_it(
    package: str, union: str, leaf_name: str, steps: tuple[Step, ...]
) -> None:
    """The example of a branch a body may leave its discriminator out for, without it: the
    same branch, the value filled in (each example fits only its own branch)."""
    models = __import__(f"{package}.models", fromlist=["x"])
    dropped = {prop for prop, _, may_be_absent in steps if may_be_absent}
    example = {k: v for k, v in SCHEMAS[leaf_name]["example"].items() if k not in dropped}
    parsed = TypeAdapter(getattr(models, union)).validate_python(example)
    assert type(parsed).__name__ == leaf_name
    for prop, values, may_be_absent in steps:
        if may_be_absent:
            assert getattr(parsed, prop) in values
