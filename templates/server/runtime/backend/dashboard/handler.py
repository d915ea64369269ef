"""Dashboard: users signing in for bearer tokens and signing out again, managing the
dashboard users, and the configuration schema documents the dashboard draws forms from."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import Any, Literal

from ... import errors, models
from ..common.version import VERSION
from ..state import State
from .state import TOKEN_TTL, UserRecord, new_token

DEFAULT_USERNAME = "admin"  # dashboard.default_username default; it cannot be deleted
_USERNAME_RE = re.compile(r"^[_a-zA-Z0-9]*$")
_SPECIAL = set("!@#$%^&*()_+-=[]{}\"|;':,./<>?`~ ")


_DUMMY_SALT = secrets.token_bytes(16)


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 10_000)


DASHBOARD_ROLES = ("administrator", "viewer")


def add_user(
    state: State,
    username: str,
    password: str,
    description: str | None = None,
    role: str | None = None,
) -> None:
    """Add a dashboard user, or set the password (and description and role, if given) of one."""
    salt = secrets.token_bytes(16)
    with state.lock:
        old = state.users.get(username)
        if description is None:
            description = old.description if old is not None else ""
        if role is None:
            role = old.role if old is not None else "administrator"
        state.users[username] = UserRecord(salt, _hash(password, salt), description, role)


def token_user(state: State, token: str) -> tuple[str, str]:
    """The user a live token was issued to, and the user's role."""
    with state.lock:
        record = state.tokens.get(token)
        if record is not None and record.sso_role is not None:
            return record.username, record.sso_role
        user = state.users.get(record.username) if record is not None else None
        if record is None or user is None:
            return "", ""
        return record.username, user.role


def _role(state: State, role: str | None) -> str:
    """The role a create or update sets in the enterprise build (administrator when left
    out); the open-source build has no roles and ignores the field."""
    if state.edition != "ee" or role is None:
        return "administrator"
    if role not in DASHBOARD_ROLES:
        raise errors.bad_request("Role does not exist", status=400)
    return role


def _shown(state: State, username: str, user: UserRecord) -> models.DashboardUser:
    if state.edition == "ee":  # only the enterprise build shows the role and the backend
        return models.DashboardUser.model_validate(
            {
                "username": username,
                "description": user.description,
                "role": user.role,
                "backend": "local",
            }
        )
    return models.DashboardUser(username=username, description=user.description)


def revoke_tokens(state: State, username: str) -> None:
    with state.lock:
        owned = [t for t, r in state.tokens.items() if r.username == username and not r.sso_role]
        for token in owned:
            del state.tokens[token]


def password_problem(password: str) -> str | None:
    """Why the broker refuses a new password, or None when it is acceptable."""
    raw = password.encode("utf-8")
    if not 8 <= len(raw) <= 64:
        return "The range of password length is 8~64"
    kinds = (
        any(chr(b).isdigit() for b in raw if b < 128),
        any(chr(b).isalpha() for b in raw if b < 128),
        any(chr(b) in _SPECIAL for b in raw if b < 128),
    )
    if sum(kinds) < 2:
        return (
            "Bad password. Mix at least two kinds of characters among letters, numbers "
            "and special characters."
        )
    if any(b >= 128 for b in raw):
        return "Only ascii characters are allowed in the password"
    return None


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
            state.dashboard.current_token.set(None)
            return False
        record.expires_at = now + TOKEN_TTL
    state.dashboard.current_token.set(token)
    return True


def forget_current_token(state: State) -> None:
    state.dashboard.current_token.set(None)


class DashboardApi:
    """DashboardHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def login(self, *, body: models.LoginRequest) -> models.LoginResponse:
        if not check_password(self._state, body.username, body.password):
            raise errors.bad_username_or_pwd("Auth failed", status=401)
        with self._state.lock:
            token = new_token(self._state.tokens, body.username)
        if self._state.edition == "ee":
            with self._state.lock:
                role = self._state.users[body.username].role
            return models.LoginResponse.model_validate(
                {"token": token, "version": VERSION, "license": {"edition": "ee"}, "role": role}
            )
        license_ = models.DashboardLicense(edition=models.DashboardLicenseEdition.CE)
        return models.LoginResponse(token=token, version=VERSION, license=license_)

    async def logout(self, *, body: models.LogoutRequest) -> None:
        token = self._state.dashboard.current_token.get()
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

    # -- Users (bearer token only, except the password change) ---------------------------

    def _user(self, username: str) -> UserRecord:
        user = self._state.users.get(username)
        if user is None:
            raise errors.user_not_found("username_not_found", status=404)
        return user

    async def list_dashboard_users(self) -> list[models.DashboardUser]:
        with self._state.lock:
            return [_shown(self._state, name, user) for name, user in self._state.users.items()]

    async def create_dashboard_user(
        self, *, body: models.DashboardUserCreateRequest
    ) -> models.DashboardUser:
        if not body.username or not body.password:
            raise errors.bad_request("Username or password undefined", status=400)
        if not _USERNAME_RE.match(body.username):
            message = (
                "Bad Username. Only upper and lower case letters, numbers and underscores "
                "are supported"
            )
            raise errors.bad_request(message, status=400)
        problem = password_problem(body.password)
        if problem is not None:
            raise errors.bad_request(problem, status=400)
        description = body.description or ""
        role = _role(self._state, body.role)
        with self._state.lock:
            if body.username in self._state.users:
                raise errors.bad_request("username_already_exists", status=400)
            add_user(self._state, body.username, body.password, description, role)
            return _shown(self._state, body.username, self._state.users[body.username])

    async def update_dashboard_user(
        self, *, username: str, body: models.DashboardUserUpdateRequest
    ) -> models.DashboardUser:
        role = _role(self._state, body.role)
        with self._state.lock:
            user = self._user(username)
            user.description = body.description
            changed = user.role != role
            user.role = role
            shown = _shown(self._state, username, user)
        if changed:  # a new role signs the user out, as in EMQX
            revoke_tokens(self._state, username)
        return shown

    async def delete_dashboard_user(self, *, username: str) -> None:
        if username == DEFAULT_USERNAME:
            raise errors.not_allowed(f'Cannot delete user <<"{username}">>', status=400)
        token = self._state.dashboard.current_token.get()
        with self._state.lock:
            record = self._state.tokens.get(token) if token is not None else None
            if record is not None and record.username == username:
                raise errors.not_allowed("Cannot delete self", status=400)
            self._user(username)
            del self._state.users[username]
        revoke_tokens(self._state, username)

    async def change_dashboard_user_password(
        self, *, username: str, body: models.DashboardPasswordChangeRequest
    ) -> None:
        if not body.old_pwd or not body.new_pwd:
            message = "Old password or new password undefined"
            raise errors.bad_request(message, status=400)
        with self._state.lock:
            if username not in self._state.users:
                raise errors.user_not_found("User not found", status=404)
        if not check_password(self._state, username, body.old_pwd):
            raise errors.error_pwd_not_match("Old password not match", status=400)
        problem = password_problem(body.new_pwd)
        if problem is not None:
            raise errors.bad_request(problem, status=400)
        add_user(self._state, username, body.new_pwd)
        revoke_tokens(self._state, username)

    # -- Schema documents for the dashboard's forms -------------------------------------

    async def get_dashboard_schema(
        self, *, name: Literal["hotconf", "bridges", "actions", "connectors"]
    ) -> models.DashboardSchemaDocument:
        title, paths, components = _SCHEMAS[name]
        return models.DashboardSchemaDocument.model_validate(
            {
                "info": {"title": title, "version": "0.2.0"},
                "paths": paths,
                "components": {"schemas": components},
            }
        )


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(**props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props}


_STR: dict[str, Any] = {"type": "string"}
_BOOL: dict[str, Any] = {"type": "boolean"}
_DURATION: dict[str, Any] = {"type": "duration", "example": "30s"}

# A small but faithful-in-shape excerpt of each document (the broker's is far larger).
_SCHEMAS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "hotconf": (
        "Hot Conf Schema",
        {
            "/configs/mqtt": {"get": _ref("broker.mqtt"), "put": _ref("broker.mqtt")},
            "/configs/sys_topics": {"get": _ref("broker.sys_topics")},
        },
        {
            "broker.mqtt": _obj(
                max_packet_size={"type": "bytesize", "example": "1MB"},
                retain_available=_BOOL,
                idle_timeout=_DURATION,
            ),
            "broker.sys_topics": _obj(sys_msg_interval=_DURATION, sys_heartbeat_interval=_DURATION),
        },
    ),
    "bridges": (
        "Data Bridge Schema",
        {"/bridges": {"get": {"type": "array", "items": _ref("bridge_http.get")}}},
        {"bridge_http.get": _obj(name=_STR, enable=_BOOL, url=_STR)},
    ),
    "actions": (
        "Actions and Sources Schema",
        {"/actions": {"get": {"type": "array", "items": _ref("bridge_http.get_bridge_v2")}}},
        {
            "bridge_http.get_bridge_v2": _obj(
                name=_STR, enable=_BOOL, connector=_STR, type={"type": "enum", "symbols": ["http"]}
            )
        },
    ),
    "connectors": (
        "Connectors Schema",
        {"/connectors": {"get": {"type": "array", "items": _ref("connector_http.get")}}},
        {
            "connector_http.get": _obj(
                name=_STR, enable=_BOOL, url=_STR, type={"type": "enum", "symbols": ["http"]}
            )
        },
    ),
}
