"""The enterprise build's audit of API requests (emqx_dashboard_audit): after each request
that changes something (any method but GET, and any 405), the authenticator, when it
keeps an audit log (`AuditRecorder`), is handed what EMQX records about it."""

from __future__ import annotations

import json
import re
import time
from typing import Any, Protocol, runtime_checkable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._auth import parse_basic

_REDACTED = "******"
_SECRET_KEYS = frozenset({"password", "old_pwd", "new_pwd", "api_secret", "secret", "key"})
_BODY_LIMIT = 1024 * 64


@runtime_checkable
class AuditRecorder(Protocol):
    def record_request(self, entry: dict[str, Any]) -> None:
        """Keep one request's record: `method` (lower case), `operation_id` (the path
        template), `status`, `duration_ms`, `source_ip`, `authorization` (the header's
        scheme and who: ("basic", api key), ("bearer", token) or None; never a secret), `http_request`
        (method, headers, bindings, body; secrets redacted) and `failure` (the error
        body, or None)."""
        ...


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _REDACTED if k in _SECRET_KEYS else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}


class AuditMiddleware:
    """Hands each audited request to `recorder`; `templates` are the spec's paths as
    (pattern, template) under `prefix`."""

    def __init__(
        self,
        app: ASGIApp,
        recorder: AuditRecorder,
        templates: list[tuple[re.Pattern[str], str]],
        prefix: str,
    ) -> None:
        self.app = app
        self.recorder = recorder
        self.templates = templates
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix + "/"):
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        request_body = bytearray()
        answer: dict[str, Any] = {"status": 0, "body": bytearray()}

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(request_body) < _BODY_LIMIT:
                request_body.extend(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body" and answer["status"] >= 400:
                answer["body"].extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receiving, sending)
        method = scope["method"].lower()
        if method == "get" and answer["status"] != 405:
            return
        self.recorder.record_request(
            self._entry(scope, method, started, bytes(request_body), answer)
        )

    def _entry(
        self, scope: Scope, method: str, started: float, body: bytes, answer: dict[str, Any]
    ) -> dict[str, Any]:
        path = scope["path"][len(self.prefix) :]
        template, bindings = path, {}
        for pattern, candidate in self.templates:
            found = pattern.fullmatch(path)
            if found is not None:
                template, bindings = candidate, found.groupdict()
                break
        headers = Headers(scope=scope)
        scheme, _, credential = headers.get("authorization", "").partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":  # the key only: the secret is never kept
            pair = parse_basic(credential)
            credential = pair[0] if pair is not None else ""
        forwarded = headers.get("x-forwarded-for")
        client = scope.get("client") or ("", 0)
        status = int(answer["status"])
        shown_headers = {k: (_REDACTED if k == "authorization" else v) for k, v in headers.items()}
        return {
            "method": method,
            "operation_id": template,
            "status": status,
            "duration_ms": int((time.monotonic() - started) * 1000),
            "source_ip": forwarded.split(",")[0].strip() if forwarded else str(client[0]),
            "authorization": (scheme, credential.strip()) if credential else None,
            "http_request": {
                "method": method,
                "headers": shown_headers,
                "bindings": bindings,
                "body": _redact(_json(body)),
            },
            "failure": _json(bytes(answer["body"])) or None if status >= 400 else None,
        }


def template_patterns(paths: list[str]) -> list[tuple[re.Pattern[str], str]]:
    """Each path template as a pattern capturing its parameters, fixed names first."""

    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}]+\})", template)
        text = "".join(
            f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts
        )
        return re.compile(text)

    order = sorted(paths, key=lambda t: [(1 if s.startswith("{") else 0, s) for s in t.split("/")])
    return [(pattern(t), t) for t in order]
