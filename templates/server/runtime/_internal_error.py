"""An unexpected exception in a handler is answered as EMQX answers one, 500 with the
`INTERNAL_ERROR` body, never as a bare text page, and logged with its traceback."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._responses import to_json

logger = logging.getLogger(__package__ or __name__)


class InternalErrorMiddleware:
    """Innermost of each app's own middleware, so the exception never reaches
    Starlette's ServerErrorMiddleware (which answers `Internal Server Error` as text)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            method, path = scope.get("method", ""), scope.get("path", "")
            logger.error("unexpected error answering %s %s", method, path, exc_info=exc)
            if started:
                raise  # half an answer went out: the server closes the connection
            body = to_json({"code": "INTERNAL_ERROR", "message": f"{type(exc).__name__}: {exc}"})
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
            ]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})
