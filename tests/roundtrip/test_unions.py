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


def _is_union(schema: dict[str, Any]) -> bool:
    return "oneOf" in schema and "discriminator" in schema


def _leaves(name: str, path: tuple[tuple[str, str], ...] = ()) -> list[tuple[tuple[str, str], ...]]:
    """(discriminator, value) steps from the union `name` down to each leaf schema; the
    last step's value is the leaf's schema name."""
    schema = SCHEMAS[name]
    prop = schema["discriminator"]["propertyName"]
    out: list[tuple[tuple[str, str], ...]] = []
    for value, ref in sorted(schema["discriminator"]["mapping"].items()):
        branch = _name(ref)
        step = (*path, (prop, value), ("", branch))
        if _is_union(SCHEMAS[branch]):
            out += _leaves(branch, (*path, (prop, value)))
        else:
            out.append(step)
    return out


UNIONS = sorted(name for name, schema in SCHEMAS.items() if _is_union(schema))
CASES = [
    pytest.param(union, leaf, id=f"{union}-{leaf[-1][1]}")
    for union in UNIONS
    for leaf in _leaves(union)
]


def test_the_spec_has_discriminated_unions() -> None:
    assert len(UNIONS) >= 3


@pytest.mark.parametrize("union", UNIONS)
def test_every_member_is_mapped_and_fixes_its_discriminator(union: str) -> None:
    schema = SCHEMAS[union]
    prop = schema["discriminator"]["propertyName"]
    mapping = schema["discriminator"]["mapping"]
    members = {_name(member["$ref"]) for member in schema["oneOf"]}
    assert members == {_name(ref) for ref in mapping.values()}
    for value, ref in mapping.items():
        branch = SCHEMAS[_name(ref)]
        for leaf in [branch] if not _is_union(branch) else [SCHEMAS[n] for n in _members(branch)]:
            assert leaf["properties"][prop]["enum"] == [value], (union, value)
            assert prop in leaf.get("required", []), (union, value)


def _members(schema: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for member in schema["oneOf"]:
        name = _name(member["$ref"])
        out += _members(SCHEMAS[name]) if _is_union(SCHEMAS[name]) else [name]
    return out


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize(("union", "leaf"), CASES)
def test_each_branch_parses_into_its_own_model(
    package: str, union: str, leaf: tuple[tuple[str, str], ...]
) -> None:
    models = __import__(f"{package}.models", fromlist=["x"])
    leaf_name = leaf[-1][1]
    example = SCHEMAS[leaf_name].get("example")
    assert isinstance(example, dict), f"{leaf_name} has no example"
    for prop, value in leaf[:-1]:
        assert example.get(prop) == value, (leaf_name, prop)
    parsed = TypeAdapter(getattr(models, union)).validate_python(example)
    if not isinstance(parsed, BaseModel) or type(parsed).__name__ != leaf_name:
        parsed = getattr(parsed, "root", parsed)
    assert type(parsed).__name__ == leaf_name
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == example


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("union", UNIONS)
def test_an_unknown_branch_is_refused(package: str, union: str) -> None:
    models = __import__(f"{package}.models", fromlist=["x"])
    prop = SCHEMAS[union]["discriminator"]["propertyName"]
    first = _leaves(union)[0][-1][1]
    body = dict(SCHEMAS[first]["example"], **{prop: "no-such-branch"})
    with pytest.raises(ValidationError):
        TypeAdapter(getattr(models, union)).validate_python(body)
