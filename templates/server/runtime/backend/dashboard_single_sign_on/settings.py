"""A backend's settings as EMQX keeps them: the defaults of its schema filled in, secrets
shown as `******` and kept when sent back so, and the checks the broker makes before it
(re)starts the backend."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from ... import errors
from ..common.durations import duration_ms

MASK = "******"
# the keys EMQX's redaction masks (emqx_utils_redact), at any depth
SECRET_KEYS = frozenset({"password", "secret", "sp_private_key", "private_key", "bind_password"})

DEFAULTS: dict[str, dict[str, Any]] = {
    "ldap": {
        "enable": False,
        "query_timeout": "5s",
        "pool_size": 8,
        "filter": "(& (objectClass=person) (uid=${username}))",
        "request_timeout": "10s",
        "ssl": {"enable": False},
    },
    "saml": {
        "enable": False,
        "dashboard_addr": "https://127.0.0.1:18083",
        "idp_metadata_url": "https://idp.example.com",
        "sp_sign_request": False,
        "sp_public_key": "Pub Key",
    },
    "oidc": {
        "enable": False,
        "scopes": ["openid"],
        "name_var": "${sub}",
        "dashboard_addr": "http://127.0.0.1:18083",
        "session_expiry": "30s",
        "require_pkce": False,
        "preferred_auth_methods": ["client_secret_post", "client_secret_basic", "none"],
        "provider": "generic",
        "fallback_methods": ["RS256"],
        "client_jwks": "none",
    },
}
_DURATIONS = ("query_timeout", "request_timeout", "session_expiry")


def masked(value: Any) -> Any:
    """A copy with every secret shown as `******`."""
    if isinstance(value, dict):
        return {k: MASK if k in SECRET_KEYS else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def unmasked(sent: Any, stored: Any) -> Any:
    """`sent` with each secret given as `******` replaced by the stored one."""
    if not isinstance(sent, dict):
        return sent
    old = stored if isinstance(stored, dict) else {}
    out: dict[str, Any] = {}
    for key, value in sent.items():
        if key in SECRET_KEYS and value == MASK and key in old:
            out[key] = old[key]
        else:
            out[key] = unmasked(value, old.get(key))
    return out


def _is_url(value: Any) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_pem_or_path(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("-----BEGIN ") or value.startswith("/"))


def prepared(backend: str, sent: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, Any]:
    """The settings to store for `sent` (the body of `PUT /sso/{backend}`, by wire
    names): defaults filled, masked secrets restored; raises EMQX's 400 when the broker
    would refuse them."""
    if sent.get("backend") != backend:
        raise errors.bad_request("Reason: invalid_config", status=400)
    config = {**copy.deepcopy(DEFAULTS[backend]), **unmasked(sent, stored or {})}
    for key in _DURATIONS:
        if key in config:
            try:
                duration_ms(config[key])
            except ValueError:
                raise errors.bad_request(f"{key}: not a duration", status=400) from None
    if backend == "saml":
        _check_saml(config)
    return config


def _check_saml(config: dict[str, Any]) -> None:
    keys = (config.get("sp_public_key"), config.get("sp_private_key"))
    if config["sp_sign_request"] and "sp_private_key" in config:
        # the key pair is written out as PEM files before anything else
        if not all(_is_pem_or_path(k) for k in keys):
            raise errors.bad_request("Reason: Failed to save sp signing key(s)", status=400)
    if config["enable"] and not _is_url(config["idp_metadata_url"]):
        # the stub's identity provider serves metadata at any http(s) address
        raise errors.bad_request("Failed to load metadata", status=400)


def expiry_s(config: dict[str, Any]) -> float:
    """The OIDC sign-in session lifetime, in seconds."""
    return duration_ms(config.get("session_expiry", "30s")) / 1000
