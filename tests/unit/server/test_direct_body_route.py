"""CheckedBodyRoute's direct call (a handler taking only the request and a JSON body,
called without FastAPI's dependency solving) against the same handler solved by FastAPI:
the same value reaches the handler, the same validation errors come out, and only the
plain shapes are called directly."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from emqx_server_stub import models
from emqx_server_stub._responses import CheckedBodyRoute, SpecBodies
from fastapi import APIRouter, Body, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "paths": {
        "/publish": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}
            }
        }
    },
    "components": {"schemas": {}},
}

_BODIES: list[Any] = [
    {"topic": "t/1", "payload": "hello", "qos": 1},
    {"topic": "t/1", "payload": "aGk=", "payload_encoding": "base64", "retain": True},
    {"topic": "t/1", "payload": "x", "properties": {"user_properties": {"a": "b"}}},
    {"payload": "no topic"},
    {"topic": "t/1", "payload": "x", "qos": 7},
    {"topic": 5, "payload": ["not", "text"]},
    {"topic": "t/1", "payload": "x", "unknown": 1},
]


def _app(route_class: type[APIRoute]) -> FastAPI:
    """An app with one `/publish` route of `route_class`, answering what its handler got
    (the body's fields set and their values) and the validation errors as raised."""
    router = APIRouter(route_class=route_class)

    @router.post("/publish")
    async def publish(request: Request, body: Annotated[models.PublishMessage, Body()]) -> Response:
        seen = {"type": type(body).__name__, "set": sorted(body.model_fields_set)}
        seen["body"] = body.model_dump(mode="json", exclude_unset=True)
        return Response(json.dumps(seen), media_type="application/json")

    app = FastAPI()
    app.state.bodies = SpecBodies(_SPEC)
    app.router.routes.extend(router.routes)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: e.get(k) for k in ("type", "loc", "msg")} for e in exc.errors()]
        return Response(json.dumps(errors, default=str), status_code=400)

    return app


class _SolvedByFastApi(CheckedBodyRoute):
    """The same route, with the direct call turned off."""

    def _direct_call(self) -> Any:
        return None


@pytest.mark.parametrize("body", _BODIES)
def test_direct_call_answers_as_fastapi_does(body: Any) -> None:
    direct, solved = TestClient(_app(CheckedBodyRoute)), TestClient(_app(_SolvedByFastApi))
    for media in ("application/json", "application/json; charset=utf-8"):
        headers = {"content-type": media}
        a = direct.post("/publish", content=json.dumps(body), headers=headers)
        b = solved.post("/publish", content=json.dumps(body), headers=headers)
        assert (a.status_code, a.json()) == (b.status_code, b.json()), (body, media)


def test_only_plain_handlers_are_called_directly() -> None:
    router = APIRouter(route_class=CheckedBodyRoute)

    @router.post("/plain")
    async def plain(request: Request, body: Annotated[models.PublishMessage, Body()]) -> Response:
        return Response()

    @router.post("/queried")
    async def queried(
        request: Request, body: Annotated[models.PublishMessage, Body()], limit: int = 1
    ) -> Response:
        return Response()

    @router.post("/untyped")
    async def untyped(request: Request, body: Annotated[models.PublishMessage, Body()]) -> Any:
        return Response()

    routes = {r.path: r for r in router.routes if isinstance(r, CheckedBodyRoute)}
    assert routes["/plain"]._direct_call() is not None
    assert routes["/queried"]._direct_call() is None
    assert routes["/untyped"]._direct_call() is None


def test_generated_publish_is_called_directly() -> None:
    from emqx_server_stub.routers import ROUTERS

    found = [
        route
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, CheckedBodyRoute) and route.path.endswith("/publish")
    ]
    assert found and all(route._direct_call() is not None for route in found)
