"""Dashboard users, their login tokens, and the token of the request being served."""

from __future__ import annotations

import secrets
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

TOKEN_TTL = 60 * 60.0  # dashboard.token_expired_time default; each accepted request extends it


@dataclass
class TokenRecord:
    username: str
    expires_at: float = field(repr=False)
    # The role of a user signed in through single sign-on (enterprise build), who is not
    # in the table of local users; None for a local user, whose role the table holds.
    sso_role: str | None = None


def new_token(tokens: dict[str, TokenRecord], username: str, sso_role: str | None = None) -> str:
    """Issue a bearer token for `username` (a local user, or one with its `sso_role`)."""
    token = secrets.token_urlsafe(32)
    tokens[token] = TokenRecord(username, time.monotonic() + TOKEN_TTL, sso_role)
    return token


@dataclass
class UserRecord:
    salt: bytes = field(repr=False)
    password_hash: bytes = field(repr=False)
    description: str = ""
    role: str = "administrator"  # enterprise build: administrator or viewer


def _token_var() -> ContextVar[str | None]:
    return ContextVar("emqx_stub_bearer_token", default=None)


@dataclass
class DashboardState:
    # The bearer token of the request being served, set by check_bearer (which the routes
    # call before the handler, in the same task), so that logout can tell which token to
    # revoke; a context variable, as each request runs in its own context.
    current_token: ContextVar[str | None] = field(default_factory=_token_var, repr=False)
