"""Every operation whose JSON body is a discriminated union (authenticators, authorization
sources, connectors, actions, sources, bridges, gateways, listeners) answers a body whose
discriminator names no branch with EMQX's 400 BAD_REQUEST, before its handler runs (on the
build that serves the operation: enterprise ones on the enterprise stub). The
bodies are made from the spec, so a new union body is covered without a new test."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from generator.loader import load
from generator.openapi import deref, is_enterprise, iter_operations, operation_parameters
from tests.conftest import SPEC
from tests.functional.conftest import API_KEY, SECRET, LiveStub

_SPEC, _ = load(SPEC)
assert _SPEC is not None
DOC = _SPEC.document


def _union(schema: Any) -> tuple[dict[str, Any], bool] | None:
    """The discriminated union a body is (or is an array of), and whether it is an array."""
    schema = deref(DOC, schema) or {}
    is_list = schema.get("type") == "array"
    if is_list:
        schema = deref(DOC, schema.get("items")) or {}
    if "oneOf" in schema and "discriminator" in schema:
        return schema, is_list
    return None


def _wrong_branch(union: dict[str, Any]) -> dict[str, Any]:
    """The first branch's example (inner unions followed down), with the outer
    discriminator naming no branch."""
    prop = union["discriminator"]["propertyName"]
    branch = deref(DOC, union["oneOf"][0])
    while "oneOf" in branch:
        branch = deref(DOC, branch["oneOf"][0])
    return {**branch["example"], prop: "no-such-branch"}


def _path(op: Any) -> str:
    path = op.path
    for param in operation_parameters(DOC, op):
        if param.get("in") == "path":
            schema = deref(DOC, param.get("schema")) or {}
            value = param.get("example", schema.get("example", (schema.get("enum") or ["x"])[0]))
            path = path.replace("{" + param["name"] + "}", quote(str(value), safe=""))
    return path


CASES = []
for _op in iter_operations(DOC):
    _content = ((deref(DOC, _op.node.get("requestBody")) or {}).get("content")) or {}
    _found = _union((_content.get("application/json") or {}).get("schema"))
    if _found is not None:
        CASES.append(pytest.param(_op, *_found, id=f"{_op.method.upper()} {_op.path}"))


def test_the_union_bodies_are_found() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(("op", "union", "is_list"), CASES)
def test_a_body_fitting_no_branch_is_refused(
    stub: LiveStub, ee_stub: LiveStub, op: Any, union: dict[str, Any], is_list: bool
) -> None:
    body = _wrong_branch(union)
    live = ee_stub if is_enterprise(op.node) else stub  # the build that serves it
    answer = httpx.request(
        op.method.upper(),
        live.base_url + _path(op),
        json=[body] if is_list else body,
        auth=(API_KEY, SECRET),
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "BAD_REQUEST"
