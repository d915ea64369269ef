"""The stub answers an ApiError with the error's own body (`ApiError.body()`), so an error
that carries fields beside `code` and `message` (EMQX's refused delete of an action lists
the rules that use it) keeps them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_an_api_error_is_answered_with_its_own_body() -> None:
    from emqx_server_stub import create_app, errors
    from emqx_server_stub.backend import InMemoryBackend

    class WithRules(errors.ApiError):
        def body(self) -> dict[str, Any]:
            return {**super().body(), "rules": ["r1"]}

    async def refuse(**_: Any) -> None:
        raise WithRules(400, "BAD_REQUEST", "in use")

    handlers = InMemoryBackend(api_key="k", secret_key="s").handlers()
    handlers.status.get_status = refuse  # type: ignore[method-assign]
    answer = TestClient(create_app(handlers)).get("/api/v5/status")
    assert answer.status_code == 400
    assert answer.json() == {"code": "BAD_REQUEST", "message": "in use", "rules": ["r1"]}


def test_a_plain_api_error_keeps_code_and_message_only() -> None:
    from emqx_server_stub import create_app, errors
    from emqx_server_stub.backend import InMemoryBackend

    async def refuse(**_: Any) -> None:
        raise errors.not_found("gone")

    handlers = InMemoryBackend(api_key="k", secret_key="s").handlers()
    handlers.status.get_status = refuse  # type: ignore[method-assign]
    answer = TestClient(create_app(handlers)).get("/api/v5/status")
    assert answer.status_code == 404
    assert answer.json() == {"code": "NOT_FOUND", "message": "gone"}
