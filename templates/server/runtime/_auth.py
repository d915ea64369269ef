"""Credentials as EMQX checks them: HTTP Basic (API key, secret) or a bearer token.

The answers for each failure (status, code, message, WWW-Authenticate) are EMQX 5.8.9's.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeGuard, runtime_checkable

from fastapi import Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ._responses import handlers_of
from .errors import ApiError

_CHALLENGE = {"WWW-Authenticate": 'Basic Realm="emqx-dashboard"'}


class Authenticator(Protocol):
    """Decides whether credentials are good. Compare secrets in constant time."""

    def check_basic(self, api_key: str, secret_key: str) -> bool: ...

    def check_bearer(self, token: str) -> bool: ...


@runtime_checkable
class RoleAuthenticator(Authenticator, Protocol):
    """An Authenticator that also knows the role of accepted credentials, as EMQX's
    enterprise build does (`administrator`, `viewer`, `publisher`); the routes then refuse
    what the role may not do. Called only after `check_basic`/`check_bearer` accepted."""

    def key_role(self, api_key: str) -> str: ...

    def token_user(self, token: str) -> tuple[str, str]:
        """The user name the token was issued to, and the user's role."""
        ...


ADMINISTRATOR, VIEWER, PUBLISHER = "administrator", "viewer", "publisher"
_KEY_ROLE_MESSAGE = "This API Key don't have permission to access this resource"
_TOKEN_ROLE_MESSAGE = "You don't have permission to access this resource"


def role_permits(role: str, method: str, path: str, username: str = "") -> bool:
    """EMQX's check_rbac (emqx_dashboard_rbac): an administrator may do anything, a viewer
    may read (GET), sign out and change its own password, a publisher may publish.
    `path` is relative to the base path, as sent."""
    if role == ADMINISTRATOR:
        return True
    if role == VIEWER and method == "GET":
        return True
    if role == PUBLISHER and method == "POST" and path in ("/publish", "/publish/bulk"):
        return True
    if role == VIEWER and method == "POST":
        if path == "/logout":
            return True
        parts = path.split("/")
        return len(parts) == 4 and parts[1] == "users" and parts[2:] == [username, "change_pwd"]
    return False


_ROLE_CLASSES: dict[type, bool] = {}


def _knows_roles(auth: Authenticator) -> TypeGuard[RoleAuthenticator]:
    """Whether `auth` is a RoleAuthenticator, asked once per class (a Protocol check is
    slow enough to show on every request)."""
    kind = type(auth)
    known = _ROLE_CLASSES.get(kind)
    if known is None:
        known = _ROLE_CLASSES[kind] = isinstance(auth, RoleAuthenticator)
    return known


def _header_error() -> ApiError:
    return ApiError(
        401, "AUTHORIZATION_HEADER_ERROR", "Support authorization: basic/bearer ", _CHALLENGE
    )


@functools.lru_cache(maxsize=256)
def parse_basic(value: str) -> tuple[str, str] | None:
    """The (API key, secret) of a Basic credential, None when it is not one; the last
    few headers seen are remembered (clients send the same one again and again)."""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    key, sep, secret = decoded.partition(":")
    return (key, secret) if sep else None


def check_credentials(
    authorization: str,
    schemes: tuple[str, ...],
    auth: Authenticator,
    method: str = "",
    path: str = "",
) -> ApiError | None:
    """The error EMQX answers for this Authorization header, or None when it is accepted.
    With `method` and `path` (relative to the base path), a RoleAuthenticator's roles are
    checked too: 403 `UNAUTHORIZED_ROLE` when the role may not make this request."""
    scheme, _, value = authorization.partition(" ")
    scheme = scheme.lower()
    roles = auth if method and _knows_roles(auth) else None
    if scheme == "basic":
        pair = parse_basic(value)
        if pair is None:
            return _header_error()
        if not auth.check_basic(*pair):
            return ApiError(401, "BAD_API_KEY_OR_SECRET", "Check api_key/api_secret", _CHALLENGE)
        if "basic" not in schemes:
            message = "Please use bearer Token instead, using API key/secret in this path is not permitted"
            return ApiError(401, "API_KEY_NOT_ALLOW", message, _CHALLENGE)
        if roles is not None and not role_permits(roles.key_role(pair[0]), method, path):
            return ApiError(403, "UNAUTHORIZED_ROLE", _KEY_ROLE_MESSAGE)
        return None
    if scheme == "bearer" and value.strip():
        token = value.strip()
        if not auth.check_bearer(token):
            return ApiError(401, "BAD_TOKEN", "Get a token by POST /login")
        if roles is not None:
            username, role = roles.token_user(token)
            if not role_permits(role, method, path, username):
                return ApiError(403, "UNAUTHORIZED_ROLE", _TOKEN_ROLE_MESSAGE)
        return None
    return _header_error()


def requires(*schemes: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency accepting the given schemes ("basic", "bearer"), for routes you
    add yourself; the generated routes are guarded by AuthMiddleware, before their body is
    read, as EMQX authorizes before it decodes anything."""

    async def dependency(request: Request) -> None:
        problem = check_credentials(
            request.headers.get("authorization", ""),
            schemes,
            handlers_of(request).auth,
            request.method,
            request.url.path,
        )
        if problem is not None:
            raise problem

    return dependency


Row = tuple[re.Pattern[str], dict[str, tuple[str, ...]]]


def _authorization(scope: Scope) -> str:
    """The request's Authorization header ("" when none)."""
    for name, value in scope["headers"]:
        if name == b"authorization" or (len(name) == 13 and name.lower() == b"authorization"):
            return str(value.decode("latin-1"))
    return ""


class AuthMiddleware:
    """Checks credentials before routing: `table` holds, per path template pattern, the
    schemes each method accepts (an empty tuple: public)."""

    def __init__(self, app: ASGIApp, table: list[Row], prefix: str) -> None:
        self.app = app
        self.table = table
        self.prefix = prefix
        # the rows of each first path segment, in the table's order (a pattern starting with
        # anything but a plain name is kept in every row list)
        self.by_segment: dict[str, list[Row]] = {}
        plain = re.compile(r"/(\w+)(?:/|$)")
        for row in table:
            found = plain.match(row[0].pattern)
            self.by_segment.setdefault(found.group(1) if found else "", []).append(row)
        shared = self.by_segment.pop("", [])
        for rows in self.by_segment.values():
            rows.extend(shared)
        self.shared = shared
        # the first row of each template without parameters, by its path: a path equal to
        # one matches no earlier row (the table puts fixed names before parameters)
        self.fixed: dict[str, dict[str, tuple[str, ...]]] = {}
        for pattern, methods in table:
            text = pattern.pattern.replace("\\", "")
            if re.escape(text) == pattern.pattern:
                self.fixed.setdefault(text, methods)

    def _schemes(self, method: str, path: str) -> tuple[str, ...] | None:
        """The schemes `method path` accepts (empty: public), None for no operation."""
        methods = self.fixed.get(path)
        if methods is not None and method in methods:
            return methods[method]
        segment = path[1:].split("/", 1)[0]
        for pattern, methods in self.by_segment.get(segment, self.shared):
            if method in methods and pattern.fullmatch(path):
                return methods[method]
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            path = scope["path"][len(self.prefix) :]
            schemes = self._schemes(scope["method"], path)
            if schemes:
                auth = scope["app"].state.handlers.auth
                problem = check_credentials(
                    _authorization(scope), schemes, auth, scope["method"], path
                )
                if problem is not None:
                    body = json.dumps(problem.body()).encode()
                    response = Response(body, problem.status, problem.headers, "application/json")
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
