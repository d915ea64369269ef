"""Dashboard users, their login tokens, and the token of the request being served."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class TokenRecord:
    username: str
    expires_at: float = field(repr=False)


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
