"""The stub as either EMQX build. As "ce" (the open-source build) it answers each enterprise
operation as EMQX 5.8.9 answers a path it does not serve (`emqx_dashboard_not_found`: 404,
no credentials checked, the body in the media type the Accept header asks for); as "ee" it
serves them. The served swagger.json lists what the edition serves."""

from __future__ import annotations

import re
from typing import Any

import emqx_client
import httpx
import pytest
from click.testing import CliRunner

from generator.openapi import is_enterprise, iter_operations
from tests.functional.conftest import API_KEY, SECRET, LiveStub
from tests.functional.test_auth_everywhere import DOC, _call

ENTERPRISE = [op for op in iter_operations(DOC) if is_enterprise(op.node)]
IDS = [op.node["operationId"] for op in ENTERPRISE]
JSON_BODY = {"code": "NOT_FOUND", "message": "Request Path Not Found"}
HTML_BODY = (
    "<html><head><title>404 - NOT FOUND</title></head><body><h1>404 - NOT FOUND</h1></body></html>"
)


def _url(live: LiveStub, path: str) -> str:
    return live.base_url + re.sub(r"\{[^}]+\}", "x", path)


def test_the_spec_marks_enterprise_operations() -> None:
    assert all(op.node["x-emqx-edition"] == "enterprise" for op in ENTERPRISE)
    assert all(
        "x-emqx-edition" not in op.node for op in iter_operations(DOC) if op not in ENTERPRISE
    )


@pytest.mark.parametrize("op", ENTERPRISE, ids=IDS)
def test_open_source_stub_answers_enterprise_operations_as_an_unknown_path(
    op: Any, stub: LiveStub
) -> None:
    url = _url(stub, op.path)
    with httpx.Client() as http:
        for auth in (None, (API_KEY, SECRET)):
            answer = http.request(
                op.method.upper(), url, auth=auth, headers={"Accept": "application/json"}
            )
            assert answer.status_code == 404
            assert answer.headers["content-type"] == "application/json"
            assert answer.json() == JSON_BODY
        plain = http.request(op.method.upper(), url, headers={"Accept": "text/plain"})
        assert (plain.status_code, plain.text) == (404, "404 - NOT FOUND")
        page = http.request(op.method.upper(), url)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert page.text == HTML_BODY


@pytest.mark.parametrize("op", ENTERPRISE, ids=IDS)
def test_generated_client_meets_the_open_source_answer(op: Any, stub: LiveStub) -> None:
    with emqx_client.Client(
        base_url=stub.base_url, api_key=API_KEY, secret_key=SECRET, max_retries=0
    ) as client:
        with pytest.raises(emqx_client.NotFoundError) as info:
            _call(client, op)
    if not _first_success_media(op).startswith("application/json"):
        # the client asks for text or bytes first (Accept: text/plain, ... or a download's
        # media type): EMQX answers its text or HTML page, which carries no code
        assert (info.value.status_code, info.value.code) == (404, None)
    else:
        assert info.value.code == "NOT_FOUND"
        assert info.value.message == "Request Path Not Found"


def _first_success_media(op: Any) -> str:
    for status, response in op.node["responses"].items():
        if str(status).startswith("2"):
            return next(iter(response.get("content") or {"application/json": {}}))
    return "application/json"


def test_a_path_no_build_serves_answers_the_same(stub: LiveStub, ee_stub: LiveStub) -> None:
    with httpx.Client() as http:
        for live in (stub, ee_stub):
            answer = http.delete(
                live.base_url + "/no_such_thing", headers={"Accept": "application/json"}
            )
            assert (answer.status_code, answer.json()) == (404, JSON_BODY)


def test_served_spec_lists_what_the_edition_serves(stub: LiveStub, ee_stub: LiveStub) -> None:
    every = {op.node["operationId"] for op in iter_operations(DOC)}
    enterprise = set(IDS)
    with httpx.Client() as http:
        for live, expected in ((stub, every - enterprise), (ee_stub, every)):
            served = http.get(live.base_url.removesuffix("/api/v5") + "/api-docs/swagger.json")
            ids = {
                operation["operationId"]
                for item in served.json()["paths"].values()
                for operation in item.values()
                if isinstance(operation, dict) and "operationId" in operation
            }
            assert ids == expected


def test_backend_edition_is_checked_and_shown() -> None:
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    with pytest.raises(ValueError, match="edition 'pro': expected one of ce, ee"):
        InMemoryBackend(api_key="k", secret_key="s", edition="pro")  # type: ignore[arg-type]
    backend = InMemoryBackend(api_key="k", secret_key="s", edition="ee")
    assert backend.edition == "ee" and backend.handlers().edition == "ee"
    assert "edition='ee'" in repr(backend)
    assert InMemoryBackend(api_key="k", secret_key="s").edition == "ce"
    handlers = backend.handlers()
    handlers.edition = "xe"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="edition 'xe'"):
        create_app(handlers)


def test_serve_refuses_an_unknown_edition() -> None:
    from generator.cli import main

    done = CliRunner().invoke(main, ["serve", "--edition", "pro"])
    assert done.exit_code == 2
    assert "'pro' is not one of 'ce', 'ee'" in done.output
    assert "Traceback" not in done.output
