"""Dashboard users and schema documents through the generated client against the live
stub. The user operations take only a bearer token, except the password change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub
from tests.functional.openapi_check import SpecChecker


@pytest.fixture()
def admin(client: Any, stub: LiveStub, checker: SpecChecker) -> Iterator[Any]:
    """A client signed in as the default dashboard user."""
    login = client.dashboard.login(body={"username": "admin", "password": "public"})
    http = httpx.Client(event_hooks={"response": [checker.check]})
    with emqx_client.Client(
        base_url=stub.base_url, token=login.token, http_client=http, max_retries=0
    ) as c:
        yield c


def test_users_need_a_bearer_token(client: Any) -> None:
    with pytest.raises(emqx_client.AuthenticationError) as info:
        client.dashboard.users.list()
    assert info.value.code == models.ErrorCode.API_KEY_NOT_ALLOW


def test_user_lifecycle(admin: Any, client: Any, anonymous: Any, stub: LiveStub) -> None:
    users = {u.username: u for u in admin.dashboard.users.list()}
    assert users["admin"].description == "administrator"

    made = admin.dashboard.users.create(
        body={"username": "op_1", "password": "first-pass1", "description": "night shift"}
    )
    assert (made.username, made.description) == ("op_1", "night shift")
    assert made.role is None  # the open-source build leaves the role out
    plain = admin.dashboard.users.create(body={"username": "op_2", "password": "pass-word2"})
    assert plain.description == ""
    assert {"op_1", "op_2"} <= {u.username for u in admin.dashboard.users.list()}

    with pytest.raises(emqx_client.BadRequestError) as dup:
        admin.dashboard.users.create(body={"username": "op_1", "password": "other-pass1"})
    assert dup.value.message == "username_already_exists"
    refused = {
        "bad-name": ("longenough1", "Bad Username"),
        "op_short": ("a1", "8~64"),
        "op_letters": ("onlyletters", "Bad password"),
        "": ("whatever-1", "Username or password undefined"),
    }
    for username, (password, text) in refused.items():
        with pytest.raises(emqx_client.BadRequestError) as info:
            admin.dashboard.users.create(body={"username": username, "password": password})
        assert info.value.code == models.ErrorCode.BAD_REQUEST
        assert text in str(info.value.message)

    updated = admin.dashboard.users.update(username="op_1", body={"description": "day"})
    assert updated.description == "day"
    assert {u.username: u.description for u in admin.dashboard.users.list()}["op_1"] == ("day")
    with pytest.raises(emqx_client.NotFoundError) as missing:
        admin.dashboard.users.update(username="ghost", body={"description": "x"})
    assert missing.value.code == models.ErrorCode.USER_NOT_FOUND

    # The password change takes API keys too; it revokes the user's tokens.
    token = anonymous.dashboard.login(body={"username": "op_1", "password": "first-pass1"}).token
    with pytest.raises(emqx_client.BadRequestError) as wrong:
        client.dashboard.users.change_password(
            username="op_1", body={"old_pwd": "not-it-1", "new_pwd": "second-pass2"}
        )
    assert wrong.value.code == models.ErrorCode.ERROR_PWD_NOT_MATCH
    with pytest.raises(emqx_client.BadRequestError) as weak:
        client.dashboard.users.change_password(
            username="op_1", body={"old_pwd": "first-pass1", "new_pwd": "short"}
        )
    assert weak.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError) as empty:
        client.dashboard.users.change_password(
            username="op_1", body={"old_pwd": "", "new_pwd": "second-pass2"}
        )
    assert empty.value.message == "Old password or new password undefined"
    with pytest.raises(emqx_client.NotFoundError) as nobody:
        client.dashboard.users.change_password(
            username="ghost", body={"old_pwd": "first-pass1", "new_pwd": "second-pass2"}
        )
    assert nobody.value.code == models.ErrorCode.USER_NOT_FOUND
    client.dashboard.users.change_password(
        username="op_1", body={"old_pwd": "first-pass1", "new_pwd": "second-pass2"}
    )
    with emqx_client.Client(base_url=stub.base_url, token=token, max_retries=0) as old:
        with pytest.raises(emqx_client.AuthenticationError) as revoked:
            old.nodes.list()
        assert revoked.value.code == models.ErrorCode.BAD_TOKEN
    with pytest.raises(emqx_client.AuthenticationError):
        anonymous.dashboard.login(body={"username": "op_1", "password": "first-pass1"})
    assert anonymous.dashboard.login(body={"username": "op_1", "password": "second-pass2"}).token

    for username in ("op_1", "op_2"):
        admin.dashboard.users.delete(username=username)
    with pytest.raises(emqx_client.NotFoundError) as twice:
        admin.dashboard.users.delete(username="op_1")
    assert twice.value.code == models.ErrorCode.USER_NOT_FOUND
    assert not {"op_1", "op_2"} & {u.username for u in admin.dashboard.users.list()}


def test_who_cannot_be_deleted(admin: Any, stub: LiveStub, anonymous: Any) -> None:
    with pytest.raises(emqx_client.BadRequestError) as default:
        admin.dashboard.users.delete(username="admin")
    assert default.value.code == models.ErrorCode.NOT_ALLOWED
    assert default.value.message == 'Cannot delete user <<"admin">>'

    stub.backend.add_dashboard_user("self_deleter", "self-pass1")
    token = anonymous.dashboard.login(body={"username": "self_deleter", "password": "self-pass1"})
    with emqx_client.Client(base_url=stub.base_url, token=token.token, max_retries=0) as me:
        with pytest.raises(emqx_client.BadRequestError) as itself:
            me.dashboard.users.delete(username="self_deleter")
        assert itself.value.message == "Cannot delete self"
    admin.dashboard.users.delete(username="self_deleter")


def test_schema_documents_are_public(anonymous: Any) -> None:
    titles = {}
    for name in ("hotconf", "bridges", "actions", "connectors"):
        doc = anonymous.dashboard.get_schema(name=name)
        assert doc.info.version == "0.2.0" and doc.paths and "schemas" in doc.components
        titles[name] = doc.info.title
    assert titles["hotconf"] == "Hot Conf Schema"
    with pytest.raises(emqx_client.BadRequestError):
        anonymous.dashboard.get_schema(name="nonsense")
