"""Dashboard single sign-on (enterprise build): the backends' settings and status, and
signing in through them.

The stub plays the systems around the broker too: an LDAP directory that is always
reachable (its users seeded with `InMemoryBackend.add_ldap_user`) and identity providers
whose sign-in pages are not served; what their browser would bring back, an OIDC
authorization code or a SAML response, comes from `InMemoryBackend.sso_grant`. A user a
backend signs in for the first time becomes a `viewer`; the bearer token it gets works
like a `POST /login` token.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs

from pydantic import TypeAdapter

from ... import errors, models
from ..._responses import Redirect
from ..common.version import VERSION
from ..dashboard.state import new_token
from ..state import State
from . import flows
from .settings import expiry_s, masked, prepared
from .state import BACKENDS

_CONFIG: TypeAdapter[models.SsoBackendConfig] = TypeAdapter(models.SsoBackendConfig)


class _LoginRefused(errors.ApiError):
    """401 BAD_USERNAME_OR_PWD `Auth failed`, with the backend's reason beside it."""

    def __init__(self, reason: Any) -> None:
        super().__init__(401, "BAD_USERNAME_OR_PWD", "Auth failed")
        self.reason = reason

    def body(self) -> dict[str, Any]:
        return {**super().body(), "reason": self.reason}


def _not_found() -> errors.ApiError:
    return errors.backend_not_found("Backend not found", status=404)


def _name(backend: models.SsoBackendName | str) -> str:
    return str(getattr(backend, "value", backend))


class DashboardSingleSignOnApi:
    """DashboardSingleSignOnHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    # -- Settings ------------------------------------------------------------------------

    async def list_sso_backends(self) -> list[models.SsoBackendStatus]:
        with self._state.lock:
            configs = dict(self._state.sso.backends)
        return [
            models.SsoBackendStatus.model_validate(
                {
                    "backend": name,
                    "enable": configs[name]["enable"],
                    "running": configs[name]["enable"],  # the stub's systems always answer
                    "last_error": "",
                }
            )
            for name in BACKENDS
            if name in configs
        ]

    async def list_running_sso_backends(self) -> list[models.SsoBackendName]:
        with self._state.lock:
            running = [n for n in BACKENDS if self._state.sso.backends.get(n, {}).get("enable")]
        return [models.SsoBackendName(n) for n in running]

    def _config(self, backend: str) -> dict[str, Any]:
        config = self._state.sso.backends.get(backend)
        if config is None:
            raise _not_found()
        return config

    async def get_sso_backend(self, *, backend: models.SsoBackendName) -> models.SsoBackendConfig:
        with self._state.lock:
            shown = masked(self._config(_name(backend)))
        return _CONFIG.validate_python(shown)

    async def update_sso_backend(
        self, *, backend: models.SsoBackendName, body: models.SsoBackendConfig
    ) -> models.SsoBackendConfig:
        name = _name(backend)
        sent = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        with self._state.lock:
            config = prepared(name, sent, self._state.sso.backends.get(name))
            self._state.sso.backends[name] = config
            if name == "oidc" and not config["enable"]:
                self._state.sso.sessions.clear()  # the provider's sessions stop with it
        return _CONFIG.validate_python(masked(config))

    async def delete_sso_backend(self, *, backend: models.SsoBackendName) -> None:
        name = _name(backend)
        with self._state.lock:
            self._config(name)
            del self._state.sso.backends[name]
            if name == "oidc":
                self._state.sso.sessions.clear()

    # -- Signing in ----------------------------------------------------------------------

    def _login_meta(self, backend: str, username: str) -> dict[str, Any]:
        """Sign the user in (a viewer the first time): the answer of an LDAP login."""
        with self._state.lock:
            role = self._state.sso.sign_in(backend, username)
            token = new_token(self._state.tokens, username, sso_role=role)
        return {
            "username": username,
            "role": role,
            "token": token,
            "version": VERSION,
            "license": {"edition": "ee"},
            "backend": backend,
        }

    async def sso_login(
        self, *, backend: models.SsoBackendName, body: models.SsoLogin
    ) -> models.SsoLoginResponse | Redirect:
        name = _name(backend)
        sent = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        with self._state.lock:
            config = self._state.sso.backends.get(name)
            if config is None or (name == "saml" and not config["enable"]):
                raise _not_found()
            config = dict(config)
        if sent.get("backend") != name:
            raise errors.bad_request("The body's backend must be the path's backend", status=400)
        if isinstance(body, models.SsoLdapLogin):
            return self._ldap_login(config, body.username, body.password)
        if name == "saml":
            return Redirect(flows.saml_login_url(config, "id" + secrets.token_hex(16)))
        if not config["enable"]:
            raise _LoginRefused("No valid OIDC provider")
        with self._state.lock:
            state, session = self._state.sso.start_oidc(expiry_s(config))
        verifier = secrets.token_urlsafe(45) if config["require_pkce"] else ""
        return Redirect(flows.oidc_login_url(config, state, session.nonce, verifier))

    def _ldap_login(
        self, config: dict[str, Any], username: str, password: str
    ) -> models.SsoLoginResponse:
        if not config["enable"]:
            raise _LoginRefused("ldap_query_failed")  # the connection pool is not started
        with self._state.lock:
            known = self._state.sso.directory.get(username)
        if known is None:
            raise _LoginRefused("user_not_found")
        if not secrets.compare_digest(known.encode(), password.encode()):
            raise _LoginRefused({"result": "invalidCredentials"})
        return models.SsoLoginResponse.model_validate(self._login_meta("ldap", username))

    async def sso_oidc_callback(
        self, *, code: str | None = None, state: str | None = None
    ) -> Redirect:
        with self._state.lock:
            config = self._state.sso.backends.get("oidc")
            if config is None:
                raise _not_found()
            if state is None:
                raise errors.bad_request("Invalid query string", status=400)
            session = self._state.sso.take_session(state, expiry_s(config))
            if session is None:
                raise errors.bad_username_or_pwd("session_not_exists", status=401)
            granted = self._state.sso.redeem("oidc", code) if code else None
        if granted is None:
            refused = '{http_error,400,#{<<"error">> => <<"invalid_grant">>}}'
            raise errors.bad_username_or_pwd(refused, status=401)
        username = flows.oidc_username(config["name_var"], granted)
        if username in ("", "undefined"):
            message = f"Username can not be {'empty' if not username else 'undefined'}"
            raise errors.bad_username_or_pwd(message, status=401)
        meta = self._login_meta("oidc", username)
        return Redirect(flows.dashboard_return(config["dashboard_addr"], meta))

    async def sso_saml_acs(self, *, body: str) -> Redirect:
        with self._state.lock:
            config = self._state.sso.backends.get("saml")
            if config is None or not config["enable"]:
                raise _not_found()
        fields = parse_qs(body, keep_blank_values=True)
        read = flows.read_saml_response(next(iter(fields.get("SAMLResponse", [])), None))
        if isinstance(read, tuple):
            grant, subject = read
            with self._state.lock:
                spent = ("saml", grant) in self._state.sso.spent
                granted = self._state.sso.redeem("saml", grant)
            read = "duplicate" if spent else "bad_assertion"
            if granted is not None and granted == subject:
                meta = self._login_meta("saml", subject)
                return Redirect(flows.dashboard_return(config["dashboard_addr"], meta))
        message = f"Access denied, assertion failed validation:\n{read}\n"
        raise errors.unauthorized(message, status=403)

    async def get_sso_saml_metadata(self) -> str:
        with self._state.lock:
            config = self._state.sso.backends.get("saml")
            if config is None or not config["enable"]:
                raise _not_found()
            return flows.sp_metadata(config)
