"""No bare `500 Internal Server Error` ever leaves the stub: every route of the spec is
called with odd path parameters and bodies (an encoded `:` or `/`, an empty or unknown
body), and an exception a handler did not expect is answered as EMQX answers one, 500
with the `INTERNAL_ERROR` body, and logged with its traceback."""

from __future__ import annotations

import base64
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from emqx_server_stub import create_app
from emqx_server_stub.backend import InMemoryBackend
from fastapi.testclient import TestClient

KEY, SECRET = "sweep-key", "sweep-secret"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()}
SPEC = Path(__file__).resolve().parents[2] / "generated" / "openapi.json"
PARAM_VALUES = ("x", "ws%3A", "a%2Fb")
BODIES: tuple[Any, ...] = ({}, {"type": "ws", "name": "n", "zz": {"unknown": [1]}}, [1])
_PARAM = re.compile(r"\{([^}]+)\}")


def _operations() -> list[tuple[str, str, bool]]:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete"):
                content = (op.get("requestBody") or {}).get("content", {})
                found.append((method, path, "application/json" in content))
    return found


def _text_500s() -> set[tuple[str, str]]:
    """The operations where EMQX itself answers 500 with a line of text (the spec says so:
    `GET /relup/status/{node}` for an unknown node)."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    return {
        (method, path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict)
        and "text/plain" in (op.get("responses", {}).get("500", {}).get("content") or {})
    }


OPERATIONS = _operations()


def _answers_of(client: TestClient, method: str, path: str, json_body: bool) -> list[Any]:
    answers = []
    for value in PARAM_VALUES:
        url = "/api/v5" + _PARAM.sub(value, path)
        for body in BODIES if json_body else (None,):
            kwargs: dict[str, Any] = {"headers": AUTH}
            if body is not None:
                kwargs["json"] = body
            answers.append((url, body, client.request(method.upper(), url, **kwargs)))
    return answers


def test_the_sweep_covers_every_operation() -> None:
    assert len(OPERATIONS) >= 290
    assert ("get", "/listeners/{id}", False) in OPERATIONS


def test_no_route_answers_a_bare_500() -> None:
    backend = InMemoryBackend(api_key=KEY, secret_key=SECRET)
    backend.add_client("c1")
    client = TestClient(create_app(backend.handlers()), raise_server_exceptions=False)
    bare, internal = [], []
    text_500s = _text_500s()
    assert text_500s == {("get", "/relup/status/{node}")}
    for method, path, json_body in OPERATIONS:
        for url, body, answer in _answers_of(client, method, path, json_body):
            if answer.status_code < 500 or (method, path) in text_500s:
                continue
            if answer.text == "Internal Server Error" or not answer.headers.get(
                "content-type", ""
            ).startswith("application/json"):
                bare.append(f"{method.upper()} {url} {body!r}: {answer.text[:80]}")
            elif answer.json().get("code") == "INTERNAL_ERROR":
                internal.append(f"{method.upper()} {url} {body!r}: {answer.json()['message']}")
    assert bare == []
    assert internal == []


def test_an_unexpected_exception_is_answered_as_emqx_does(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = InMemoryBackend(api_key=KEY, secret_key=SECRET)
    handlers = backend.handlers()

    async def broken(**_: Any) -> Any:
        raise RuntimeError("the handler broke")

    monkeypatch.setattr(handlers.alarms, "list_alarms", broken)
    client = TestClient(create_app(handlers), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="emqx_server_stub"):
        answer = client.get("/api/v5/alarms", headers=AUTH)
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {
        "code": "INTERNAL_ERROR",
        "message": "RuntimeError: the handler broke",
    }
    [record] = [r for r in caplog.records if r.name == "emqx_server_stub"]
    assert record.getMessage() == "unexpected error answering GET /api/v5/alarms"
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError


def test_a_listener_without_a_name_is_refused_as_emqx_refuses_it() -> None:
    """Found by schemathesis: `POST /listeners` took the name "" (a `ws` body full of
    unknown keys), after which `GET /listeners/ws%3A` could not answer it."""
    backend = InMemoryBackend(api_key=KEY, secret_key=SECRET)
    client = TestClient(create_app(backend.handlers()), raise_server_exceptions=False)
    body = {"type": "ws", "name": "", "bind": "0.0.0.0:18099", "zz": {"unknown": 1}}
    created = client.post("/api/v5/listeners", json=body, headers=AUTH)
    assert created.status_code == 400
    assert created.json()["code"] == "BAD_REQUEST"  # EMQX's create/3 refuses the HOCON key
    assert "invalid_map_key" in created.json()["message"]
    by_id = client.post("/api/v5/listeners/ws%3A", json={**body, "id": "ws:"}, headers=AUTH)
    assert by_id.status_code == 400
    looked_up = client.get("/api/v5/listeners/ws%3A", headers=AUTH)
    assert (looked_up.status_code, looked_up.json()["code"]) == (404, "BAD_LISTENER_ID")
