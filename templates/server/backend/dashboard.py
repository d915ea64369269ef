"""Dashboard: users signing in for bearer tokens, and signing out again."""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import secrets
import time

from .. import errors, models
from ._state import VERSION, State, TokenRecord, UserRecord

TOKEN_TTL = 60 * 60.0  # dashboard.token_expired_time default; each accepted request extends it

# The bearer token of the request being served, set by check_bearer (which the routes call
# before the handler, in the same task), so that logout can tell which token to revoke.
_current_token: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "emqx_stub_bearer_token", default=None
)


_DUMMY_SALT = secrets.token_bytes(16)


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 10_000)


def add_user(state: State, username: str, password: str) -> None:
    """Add a dashboard user, or set the password of an existing one."""
    salt = secrets.token_bytes(16)
    with state.lock:
        state.users[username] = UserRecord(salt, _hash(password, salt))


def check_password(state: State, username: str, password: str) -> bool:
    with state.lock:
        user = state.users.get(username)
    if user is None:
        _hash(password, _DUMMY_SALT)  # as slow as a real check: no hint the user is unknown
        return False
    return hmac.compare_digest(user.password_hash, _hash(password, user.salt))


def check_token(state: State, token: str) -> bool:
    """Whether the token is live; extends its lifetime when it is."""
    now = time.monotonic()
    with state.lock:
        expired = [t for t, r in state.tokens.items() if r.expires_at < now]
        for stale in expired:
            del state.tokens[stale]
        record = state.tokens.get(token)
        if record is None:
            _current_token.set(None)
            return False
        record.expires_at = now + TOKEN_TTL
    _current_token.set(token)
    return True


def forget_current_token() -> None:
    _current_token.set(None)


class DashboardApi:
    """DashboardHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def login(self, *, body: models.LoginRequest) -> models.LoginResponse:
        if not check_password(self._state, body.username, body.password):
            raise errors.bad_username_or_pwd("Auth failed", status=401)
        token = secrets.token_urlsafe(32)
        with self._state.lock:
            self._state.tokens[token] = TokenRecord(body.username, time.monotonic() + TOKEN_TTL)
        license_ = models.DashboardLicense(edition=models.DashboardLicenseEdition.CE)
        return models.LoginResponse(token=token, version=VERSION, license=license_)

    async def logout(self, *, body: models.LogoutRequest) -> None:
        token = _current_token.get()
        with self._state.lock:
            if token is not None:
                record = self._state.tokens.get(token)
                if record is not None and record.username == body.username:
                    del self._state.tokens[token]
                    return
            else:
                # Called outside a request: sign out every token of the user.
                owned = [t for t, r in self._state.tokens.items() if r.username == body.username]
                for t in owned:
                    del self._state.tokens[t]
                if owned:
                    return
        raise errors.wrong_token_or_username("Ensure your token & username", status=401)
