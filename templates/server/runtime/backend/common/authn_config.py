"""An authenticator's configuration as EMQX keeps and answers it: its id, the stored form
with defaults filled in, secrets masked in answers and kept on updates, the checks EMQX
makes beyond the schema, and its status. Reusable by every area that serves
authenticators (the global chain, gateways, gateway listeners)."""

from __future__ import annotations

import copy
from typing import Any

from ... import errors, models

MASK = "******"
# the keys whose values EMQX redacts in answers
_SENSITIVE = frozenset(
    {"password", "secret", "secret_key", "bind_password", "private_key", "token", "security_token"}
)
# authenticators without a connection resource (their resource metrics stay empty)
_NO_RESOURCE = frozenset(
    {"password_based:built_in_database", "scram:built_in_database", "jwt"}
    | {"gssapi:kerberos", "cinfo", "gcp_device"}  # enterprise: no resource either
)
_FORBIDDEN_CLAIMS = frozenset({"exp", "iat", "nbf", ""})
_HASH_DEFAULT = {"name": "sha256", "salt_position": "prefix"}


def authenticator_id(config: dict[str, Any]) -> str:
    """`{mechanism}:{backend}`, or the bare mechanism when it has no backend (`jwt`)."""
    mechanism = str(config.get("mechanism", ""))
    backend = config.get("backend")
    return f"{mechanism}:{backend}" if backend else mechanism


def keeps_users(config: dict[str, Any]) -> bool:
    return config.get("backend") == "built_in_database"


def stored_form(body: Any) -> dict[str, Any]:
    """The body (an `AuthnConfig` member) by wire names with every default filled in and
    without `id`, which EMQX derives and never stores; checked as EMQX checks it."""
    config: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    config.pop("id", None)
    fields = type(body).model_fields
    if "password_hash_algorithm" in fields:
        config.setdefault("password_hash_algorithm", dict(_HASH_DEFAULT))
    if "ssl" in fields:
        config.setdefault("ssl", {"enable": False})
    _check(config)
    return config


def answer_form(config: dict[str, Any], *, masked: bool = True) -> dict[str, Any]:
    """The stored form as answered: with its `id`, secrets masked unless `masked` is off
    (EMQX answers a creation unmasked)."""
    answered = _mask(copy.deepcopy(config)) if masked else copy.deepcopy(config)
    answered["id"] = authenticator_id(config)
    return answered


def keep_secrets(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """`new` with each masked value sent back replaced by the stored one."""
    merged: dict[str, Any] = {}
    for key, value in new.items():
        previous = old.get(key)
        if value == MASK and key in old:
            merged[key] = previous
        elif isinstance(value, dict) and isinstance(previous, dict):
            merged[key] = keep_secrets(value, previous)
        else:
            merged[key] = value
    return merged


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (MASK if key in _SENSITIVE and isinstance(item, str) else _mask(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def _invalid(reason: str) -> errors.ApiError:
    return errors.bad_request(f"validation_error: {reason}", status=400)


def _check(config: dict[str, Any]) -> None:
    """The validations EMQX runs on top of the schema (HTTP and JWT authenticators)."""
    if config.get("backend") == "http":
        headers = {str(key).lower() for key in config.get("headers", {})}
        if config.get("method") == "get" and "content-type" in headers:
            raise _invalid("HTTP GET requests cannot include content-type header.")
        ssl = config.get("ssl") or {}
        if str(config.get("url", "")).startswith("https://") and ssl.get("enable") is False:
            raise _invalid("it's required to enable the TLS option to establish a https connection")
    if config.get("mechanism") == "jwt":
        bad = sorted(set(config.get("verify_claims", {})) & _FORBIDDEN_CLAIMS)
        if bad:
            raise _invalid(f"verify_claims: the claim {bad[0]!r} cannot be verified")
        refresh = config.get("refresh_interval")
        if isinstance(refresh, int) and refresh <= 0:
            raise _invalid("refresh_interval: must be positive")


def status(config: dict[str, Any], node: str) -> models.AuthnStatus:
    """The status of a running authenticator on a one-node cluster that has not yet
    authenticated anyone: every counter at zero, `connected`."""
    metrics = models.AuthnMetrics(
        total=0, success=0, failed=0, nomatch=0, rate=0.0, rate_max=0.0, rate_last5m=0.0
    )
    if authenticator_id(config) in _NO_RESOURCE:
        resource = models.AuthnResourceMetrics()
    else:
        resource = models.AuthnResourceMetrics(
            matched=0, success=0, failed=0, rate=0.0, rate_max=0.0, rate_last5m=0.0
        )
    return models.AuthnStatus(
        resource_metrics=resource,
        node_resource_metrics=[models.AuthnNodeResourceMetrics(node=node, metrics=resource)],
        metrics=metrics,
        node_metrics=[models.AuthnNodeMetrics(node=node, metrics=metrics)],
        status=models.AuthnState.CONNECTED,
        node_status=[models.AuthnNodeStatus(node=node, status=models.AuthnNodeState.CONNECTED)],
        node_error=[],
    )
