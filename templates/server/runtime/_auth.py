"""Credentials as EMQX checks them: HTTP Basic (API key, secret) or a bearer token.

The answers for each failure (status, code, message, WWW-Authenticate) are EMQX 5.8.9's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Protocol

from fastapi import Request

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


def requires(*schemes: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency that accepts the given schemes ("basic", "bearer")."""

    async def dependency(request: Request) -> None:
        auth = handlers_of(request).auth
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            pair = parse_basic(value)
            if pair is None:
                raise _header_error()
            if not auth.check_basic(*pair):
                raise ApiError(401, "BAD_API_KEY_OR_SECRET", "Check api_key/api_secret", _CHALLENGE)
            if "basic" not in schemes:
                message = "Please use bearer Token instead, using API key/secret in this path is not permitted"
                raise ApiError(401, "API_KEY_NOT_ALLOW", message, _CHALLENGE)
            return
        if scheme == "bearer" and value.strip():
            if not auth.check_bearer(value.strip()):
                raise ApiError(401, "BAD_TOKEN", "Get a token by POST /login")
            return
        raise _header_error()

    return dependency
