"""Every operation that needs credentials refuses a request without them, with a wrong
secret, with a malformed Authorization header and with a disabled API key, through the
generated client, with the code EMQX answers. The arguments of each call are made from
the spec (examples, defaults, enums), so a new operation is covered without a new test.
Enterprise operations (`x-emqx-edition: enterprise`) are called on the enterprise-build
stub, the others on the open-source one.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from generator.loader import load
from generator.openapi import (
    client_method_names,
    deref,
    is_enterprise,
    iter_operations,
    operation_parameters,
)
from tests.conftest import SPEC
from tests.functional.conftest import API_KEY, SECRET, LiveStub
from tests.functional.openapi_check import SpecChecker

_SPEC, _ = load(SPEC)
assert _SPEC is not None
DOC = _SPEC.document
NAMES = client_method_names(DOC)  # operationId -> client method (generator/naming.py)


def _sample(schema: Any) -> Any:
    schema = deref(DOC, schema) or {}
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _sample(schema[key][0])
    kind = schema.get("type")
    if kind == "array":
        return [_sample(schema.get("items"))]
    return {"integer": 1, "number": 1.0, "boolean": True, "object": {}}.get(kind, "x")


def _kwargs(op: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for param in operation_parameters(DOC, op):
        if param.get("in") == "path" or param.get("required"):
            name = param["name"] + ("_" if param["name"] in ("as", "timeout", "body") else "")
            kwargs[name] = param.get("example", _sample(param.get("schema")))
    body = deref(DOC, op.node.get("requestBody"))
    if body:
        media, content = next(iter(body["content"].items()))
        schema = deref(DOC, content.get("schema"))
        if media.startswith("multipart/"):
            for field, prop in (schema.get("properties") or {}).items():
                binary = (deref(DOC, prop) or {}).get("format") == "binary"
                kwargs[field] = ("upload.bin", b"x") if binary else _sample(prop)
        elif "json" in media:
            kwargs["body"] = content.get("example", _sample(content.get("schema")))
        else:
            kwargs["body"] = b"x" if schema.get("format") == "binary" else "x = 1"
    return kwargs


PROTECTED = [
    op
    for op in iter_operations(DOC)
    if op.node.get("security", DOC.get("security"))
    and all(op.node.get("security", DOC.get("security")))
]


def _call(client: Any, op: Any) -> None:
    from generator.naming import tag_module

    method = getattr(client, tag_module(op.node["tags"][0]))
    for part in NAMES[op.node["operationId"]].call.split("."):
        method = getattr(method, part)
    result = method(**_kwargs(op))
    if isinstance(result, emqx_client.SyncPage):
        list(result.items)


@pytest.fixture()
def clients(
    stub: LiveStub, ee_stub: LiveStub, checker: SpecChecker
) -> Iterator[dict[str, dict[str, Any]]]:
    """Per edition, one client per kind of bad credentials."""

    def make(live: LiveStub, **kwargs: Any) -> Any:
        http = httpx.Client(event_hooks={"response": [checker.check]})
        return emqx_client.Client(base_url=live.base_url, http_client=http, max_retries=0, **kwargs)

    garbled = {"Authorization": "Basic " + base64.b64encode(b"no-colon-here").decode()}
    made = {
        edition: {
            "none": make(live),
            "wrong secret": make(live, api_key=API_KEY, secret_key=SECRET + "x"),
            "malformed header": make(live, headers=garbled),
            "bearer garbage": make(live, token="not-a-token"),
        }
        for edition, live in (("ce", stub), ("ee", ee_stub))
    }
    yield made
    for kinds in made.values():
        for client in kinds.values():
            client.close()


EXPECTED = {
    "none": models.ErrorCode.AUTHORIZATION_HEADER_ERROR,
    "wrong secret": models.ErrorCode.BAD_API_KEY_OR_SECRET,
    "malformed header": models.ErrorCode.AUTHORIZATION_HEADER_ERROR,
    "bearer garbage": models.ErrorCode.BAD_TOKEN,
}


@pytest.mark.parametrize("op", PROTECTED, ids=[op.node["operationId"] for op in PROTECTED])
def test_protected_operation_refuses_bad_credentials(
    op: Any, clients: dict[str, dict[str, Any]]
) -> None:
    edition = "ee" if is_enterprise(op.node) else "ce"
    for kind, client in clients[edition].items():
        with pytest.raises(emqx_client.AuthenticationError) as info:
            _call(client, op)
        assert info.value.code == EXPECTED[kind], kind
        assert SECRET not in str(info.value) and SECRET not in repr(info.value)


def test_a_disabled_or_deleted_api_key_stops_working(stub: LiveStub, client: Any) -> None:
    login = client.dashboard.login(body={"username": "admin", "password": "public"})
    with emqx_client.Client(base_url=stub.base_url, token=login.token) as admin:
        made = admin.api_keys.create(body={"name": "short-lived", "desc": "", "enable": True})
        with emqx_client.Client(
            base_url=stub.base_url, api_key=made.api_key, secret_key=made.api_secret
        ) as key:
            assert key.nodes.list()
            admin.api_keys.update(name="short-lived", body={"enable": False})
            with pytest.raises(emqx_client.AuthenticationError):
                key.nodes.list()
            admin.api_keys.update(name="short-lived", body={"enable": True})
            assert key.nodes.list()
            admin.api_keys.delete(name="short-lived")
            with pytest.raises(emqx_client.AuthenticationError) as info:
                key.nodes.list()
            assert info.value.code == models.ErrorCode.BAD_API_KEY_OR_SECRET
            assert made.api_secret not in repr(key)
