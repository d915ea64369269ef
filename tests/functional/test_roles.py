"""Roles of API keys and dashboard users, as EMQX's enterprise build checks them
(emqx_dashboard_rbac): a viewer may only read, a publisher may only publish. The
open-source build has no roles. Every exchange is validated against the spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from generator.openapi import iter_operations
from tests.functional.conftest import LiveStub, checked_client
from tests.functional.openapi_check import SpecChecker
from tests.functional.test_auth_everywhere import DOC, PROTECTED, _call

KEY_REFUSED = "This API Key don't have permission to access this resource"
TOKEN_REFUSED = "You don't have permission to access this resource"
CHANGING = [op for op in PROTECTED if op.method != "get"]


def _accepts_basic(op: Any) -> bool:
    security = op.node.get("security", DOC.get("security")) or []
    return any("basicAuth" in requirement for requirement in security)


def _admin(live: LiveStub) -> emqx_client.Client:
    token = emqx_client.Client(base_url=live.base_url).dashboard.login(
        body={"username": "admin", "password": "public"}
    )
    return emqx_client.Client(base_url=live.base_url, token=token.token, max_retries=0)


@pytest.fixture(scope="module")
def keys(ee_stub: LiveStub) -> Iterator[dict[str, tuple[str, str]]]:
    """A viewer and a publisher API key on the enterprise-build stub."""
    made = {}
    with _admin(ee_stub) as admin:
        for role in ("viewer", "publisher"):
            key = admin.api_keys.create(
                body={"name": f"role-{role}", "desc": "", "enable": True, "role": role}
            )
            assert key.role == role
            made[role] = (key.api_key, key.api_secret)
        yield made
        for role in made:
            admin.api_keys.delete(name=f"role-{role}")


@pytest.mark.parametrize("op", CHANGING, ids=[op.node["operationId"] for op in CHANGING])
def test_no_state_change_succeeds_with_a_viewer_key(
    op: Any, ee_stub: LiveStub, checker: SpecChecker, keys: dict[str, tuple[str, str]]
) -> None:
    key, secret = keys["viewer"]
    with checked_client(ee_stub, checker, api_key=key, secret_key=secret) as viewer:
        if _accepts_basic(op):
            with pytest.raises(emqx_client.PermissionDeniedError) as refused:
                _call(viewer, op)
            assert refused.value.code == models.ErrorCode.UNAUTHORIZED_ROLE
            assert refused.value.message == KEY_REFUSED
        else:  # operations for bearer tokens only refuse every API key first
            with pytest.raises(emqx_client.AuthenticationError) as refused_key:
                _call(viewer, op)
            assert refused_key.value.code == models.ErrorCode.API_KEY_NOT_ALLOW


def test_viewer_key_reads(
    ee_stub: LiveStub, checker: SpecChecker, keys: dict[str, tuple[str, str]]
) -> None:
    key, secret = keys["viewer"]
    with checked_client(ee_stub, checker, api_key=key, secret_key=secret) as viewer:
        assert [n.node for n in viewer.nodes.list()] == ["emqx@127.0.0.1"]
        assert viewer.alarms.list().meta.page == 1


def test_publisher_key_only_publishes(
    ee_stub: LiveStub, checker: SpecChecker, keys: dict[str, tuple[str, str]]
) -> None:
    key, secret = keys["publisher"]
    with checked_client(ee_stub, checker, api_key=key, secret_key=secret) as publisher:
        # published (nobody subscribes: EMQX's 202 no_matching_subscribers)
        sent = publisher.publish.message(body={"topic": "role/test", "payload": "hi"})
        assert sent.message == "no_matching_subscribers"
        bulk = publisher.publish.bulk(body=[{"topic": "role/test", "payload": "a"}])
        assert len(bulk) == 1
        with pytest.raises(emqx_client.PermissionDeniedError) as refused:
            publisher.nodes.list()
        assert refused.value.code == models.ErrorCode.UNAUTHORIZED_ROLE
        assert refused.value.message == KEY_REFUSED


def test_viewer_user_reads_signs_out_and_changes_its_own_password(
    ee_stub: LiveStub, checker: SpecChecker
) -> None:
    with _admin(ee_stub) as admin:
        made = admin.dashboard.users.create(
            body={"username": "watcher", "password": "w4tch-pass", "role": "viewer"}
        )
        assert (made.role, made.backend) == ("viewer", "local")
    with checked_client(ee_stub, checker) as anonymous:
        login = anonymous.dashboard.login(body={"username": "watcher", "password": "w4tch-pass"})
    assert str(login.role) == "viewer" and str(login.license.edition) == "ee"
    with checked_client(ee_stub, checker, token=login.token) as viewer:
        assert viewer.dashboard.users.list()
        with pytest.raises(emqx_client.PermissionDeniedError) as refused:
            viewer.api_keys.create(body={"name": "nope", "desc": "", "enable": True})
        assert refused.value.code == models.ErrorCode.UNAUTHORIZED_ROLE
        assert refused.value.message == TOKEN_REFUSED
        with pytest.raises(emqx_client.PermissionDeniedError):
            viewer.dashboard.users.change_password(
                username="admin", body={"old_pwd": "public", "new_pwd": "n3w-public"}
            )
        viewer.dashboard.users.change_password(
            username="watcher", body={"old_pwd": "w4tch-pass", "new_pwd": "w4tch-pass-2"}
        )
    with checked_client(ee_stub, checker) as anonymous:
        login = anonymous.dashboard.login(body={"username": "watcher", "password": "w4tch-pass-2"})
    with checked_client(ee_stub, checker, token=login.token) as viewer:
        viewer.dashboard.logout(body={"username": "watcher"})
    with _admin(ee_stub) as admin:
        with pytest.raises(emqx_client.BadRequestError) as bad:
            admin.dashboard.users.update(
                username="watcher", body={"description": "", "role": "owner"}
            )
        assert bad.value.message == "Role does not exist"
        # left out, the role becomes administrator again
        again = admin.dashboard.users.update(username="watcher", body={"description": ""})
        assert again.role == "administrator"
        admin.dashboard.users.delete(username="watcher")


def test_open_source_build_has_no_roles(stub: LiveStub, ee_stub: LiveStub) -> None:
    with _admin(stub) as admin:
        with pytest.raises(emqx_client.BadRequestError) as bad:
            admin.api_keys.create(
                body={"name": "ce-viewer", "desc": "", "enable": True, "role": "viewer"}
            )
        assert bad.value.message == '<<"Role does not exist">>'
        plain = admin.api_keys.create(body={"name": "ce-plain", "desc": "", "enable": True})
        assert "role" not in plain.model_fields_set  # not sent (the model has a default)
        assert all("role" not in u.model_fields_set for u in admin.dashboard.users.list())
        admin.api_keys.delete(name="ce-plain")
    with _admin(ee_stub) as admin:
        assert {u.role for u in admin.dashboard.users.list()} >= {"administrator"}


# Operations whose credentials pass no role check that can fail, and why.
NO_ROLE_CHECK = {
    "logout": "bearer tokens only, and every dashboard role (administrator, viewer) may sign out",
}


def test_every_protected_operation_declares_the_role_refusal() -> None:
    missing = []
    for op in iter_operations(DOC):
        if op not in PROTECTED or op.node["operationId"] in NO_ROLE_CHECK:
            continue
        response = op.node.get("responses", {}).get("403", {})
        if "$ref" in response:
            response = DOC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        if "UNAUTHORIZED_ROLE" not in response.get("x-error-codes", []):
            missing.append(op.node["operationId"])
    assert missing == []
