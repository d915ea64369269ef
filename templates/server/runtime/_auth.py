"""Credentials as EMQX checks them: HTTP Basic (API key, secret) or a bearer token.

The answers for each failure (status, code, message, WWW-Authenticate) are EMQX 5.8.9's.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Awaitable, Callable
from typing import Protocol

from fastapi import Request, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ._responses import handlers_of
from .errors import ApiError

_CHALLENGE = {"WWW-Authenticate": 'Basic Realm="emqx-dashboard"'}


class Authenticator(Protocol):
    """Decides whether credentials are good. Compare secrets in constant time."""

    def check_basic(self, api_key: str, secret_key: str) -> bool: ...

    def check_bearer(self, token: str) -> bool: ...


def _header_error() -> ApiError:
    return ApiError(
        401, "AUTHORIZATION_HEADER_ERROR", "Support authorization: basic/bearer ", _CHALLENGE
    )


def parse_basic(value: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    key, sep, secret = decoded.partition(":")
    return (key, secret) if sep else None


def check_credentials(
    authorization: str, schemes: tuple[str, ...], auth: Authenticator
) -> ApiError | None:
    """The error EMQX answers for this Authorization header, or None when it is accepted."""
    scheme, _, value = authorization.partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        pair = parse_basic(value)
        if pair is None:
            return _header_error()
        if not auth.check_basic(*pair):
            return ApiError(401, "BAD_API_KEY_OR_SECRET", "Check api_key/api_secret", _CHALLENGE)
        if "basic" not in schemes:
            message = "Please use bearer Token instead, using API key/secret in this path is not permitted"
            return ApiError(401, "API_KEY_NOT_ALLOW", message, _CHALLENGE)
        return None
    if scheme == "bearer" and value.strip():
        if not auth.check_bearer(value.strip()):
            return ApiError(401, "BAD_TOKEN", "Get a token by POST /login")
        return None
    return _header_error()


def requires(*schemes: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency accepting the given schemes ("basic", "bearer"), for routes you
    add yourself; the generated routes are guarded by AuthMiddleware, before their body is
    read, as EMQX authorizes before it decodes anything."""

    async def dependency(request: Request) -> None:
        problem = check_credentials(
            request.headers.get("authorization", ""), schemes, handlers_of(request).auth
        )
        if problem is not None:
            raise problem

    return dependency


class AuthMiddleware:
    """Checks credentials before routing: `table` holds, per path template pattern, the
    schemes each method accepts (an empty tuple: public)."""

    def __init__(
        self,
        app: ASGIApp,
        table: list[tuple[re.Pattern[str], dict[str, tuple[str, ...]]]],
        prefix: str,
    ) -> None:
        self.app = app
        self.table = table
        self.prefix = prefix
        # the rows of each first path segment, in the table's order (a pattern starting with
        # anything but a plain name is kept in every row list)
        self.by_segment: dict[str, list[tuple[re.Pattern[str], dict[str, tuple[str, ...]]]]] = {}
        plain = re.compile(r"/(\w+)(?:/|$)")
        for row in table:
            found = plain.match(row[0].pattern)
            self.by_segment.setdefault(found.group(1) if found else "", []).append(row)
        shared = self.by_segment.pop("", [])
        for rows in self.by_segment.values():
            rows.extend(shared)
        self.shared = shared

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            path = scope["path"][len(self.prefix) :]
            segment = path[1:].split("/", 1)[0]
            for pattern, methods in self.by_segment.get(segment, self.shared):
                if scope["method"] in methods and pattern.fullmatch(path):
                    schemes = methods[scope["method"]]
                    if schemes:
                        headers = Headers(scope=scope)
                        auth = scope["app"].state.handlers.auth
                        problem = check_credentials(headers.get("authorization", ""), schemes, auth)
                        if problem is not None:
                            body = json.dumps(problem.body()).encode()
                            response = Response(
                                body, problem.status, problem.headers, "application/json"
                            )
                            await response(scope, receive, send)
                            return
                    break
        await self.app(scope, receive, send)
