"""Gateway Listeners, the authenticator part: a gateway listener's authenticator and its
built-in database users."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, gateways_kept
from tests.functional.test_gateway_authn import BUILT_IN, JWT, unloaded

__all__ = ["unloaded"]  # a fixture

GW = "coap"
LID = "coap:udp:gwlauthn"
PATH = "gateway.coap.listeners.udp.gwlauthn.authentication"


@pytest.fixture()
def gateway(stub: Any) -> Iterator[str]:
    with gateways_kept(stub):
        stub.backend.load_gateway(
            GW, {"enable": True}, {LID: {"type": "udp", "name": "gwlauthn", "bind": "5683"}}
        )
        yield GW


def test_listener_authenticator_lifecycle(client: Any, stub: Any, gateway: str) -> None:
    api = client.gateway_listeners
    assert api.authenticator.get(name=gateway, id=LID) is None

    made = api.authenticator.create(name=gateway, id=LID, body=BUILT_IN)
    assert made.backend == "built_in_database"
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.authenticator.create(name=gateway, id=LID, body=BUILT_IN)
    assert info.value.body["message"] == f"The authentication already exist on {LID}"

    got = api.authenticator.get(name=gateway, id=LID)
    assert got.mechanism == "password_based"
    raw = httpx.get(
        f"{stub.base_url}/gateways/{gateway}/listeners/{LID}/authentication", auth=(API_KEY, SECRET)
    ).json()
    assert raw["id"] == "password_based:built_in_database" and raw["chain_name"] == LID
    # the gateway part of the id is not looked at: the path's gateway is used
    other = api.authenticator.get(name=gateway, id="stomp:udp:gwlauthn")
    assert other is not None and other.backend == "built_in_database"
    # the gateway's own authenticator is another one
    assert client.gateway_authentication.get(name=gateway) is None

    changed = api.authenticator.update(name=gateway, id=LID, body={**BUILT_IN, "enable": False})
    assert changed.enable is False
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.authenticator.update(name=gateway, id=LID, body=JWT)
    assert "change_of_authentication_type_is_not_allowed" in info.value.body["message"]

    api.authenticator.delete(name=gateway, id=LID)
    assert api.authenticator.get(name=gateway, id=LID) is None
    api.authenticator.delete(name=gateway, id=LID)
    with pytest.raises(emqx_client.BadRequestError) as info:
        api.authenticator.update(name=gateway, id=LID, body=BUILT_IN)
    assert info.value.body["message"] == f"The authentication not found on {LID}"


def test_listener_that_does_not_exist(client: Any, gateway: str) -> None:
    api = client.gateway_listeners
    ghost = "coap:udp:ghost"
    assert api.authenticator.get(name=gateway, id=ghost) is None
    for call in (
        api.authenticator.create,
        api.authenticator.update,
    ):
        with pytest.raises(emqx_client.BadRequestError) as info:
            call(name=gateway, id=ghost, body=BUILT_IN)
        assert info.value.body["message"] == f"Listener {ghost} not found"
    api.authenticator.delete(name=gateway, id=ghost)


def test_malformed_id_and_unloaded_gateway(client: Any, gateway: str, unloaded: str) -> None:
    api = client.gateway_listeners
    for call in (
        lambda: api.authenticator.get(name=gateway, id="udp:gwlauthn"),
        lambda: api.authenticator.delete(name=gateway, id="a:b:c:d"),
        lambda: api.authenticator.create(name=gateway, id="x", body=JWT),
        lambda: api.authenticator.update(name=gateway, id="x", body=JWT),
    ):
        with pytest.raises(emqx_client.NotFoundError) as info:
            call()
        assert info.value.code == models.ErrorCode.RESOURCE_NOT_FOUND
        assert info.value.body["message"].startswith("Listener not found: ")
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.authenticator.get(name=unloaded, id=f"{unloaded}:udp:default")
    assert info.value.body["message"] == "Gateway not loaded"
    with pytest.raises(emqx_client.BadRequestError):
        api.authenticator.get(name="nope", id=LID)


def test_body_fitting_no_branch(client: Any, gateway: str) -> None:
    body = {"mechanism": "scram", "backend": "built_in_database"}
    with pytest.raises(emqx_client.BadRequestError):
        client.request(
            "POST", f"/gateways/{gateway}/listeners/{LID}/authentication", adapter=None, json=body
        )


def test_listener_users(client: Any, gateway: str) -> None:
    api = client.gateway_listeners
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.authn_users.create(name=gateway, id=LID, body={"user_id": "u", "password": "p"})
    assert info.value.body["message"] == f"Resource not found. path: {PATH}"
    with pytest.raises(emqx_client.NotFoundError):
        api.authn_users.list(name=gateway, id="bad")
    api.authenticator.create(name=gateway, id=LID, body=BUILT_IN)

    for n in range(3):
        made = api.authn_users.create(
            name=gateway,
            id=LID,
            body={"user_id": f"lu-{n}", "password": "p", "is_superuser": n == 0},
        )
        assert made.user_id == f"lu-{n}"
    with pytest.raises(emqx_client.ConflictError):
        api.authn_users.create(name=gateway, id=LID, body={"user_id": "lu-1", "password": "p"})
    page = api.authn_users.list(name=gateway, id=LID, page=2, limit=2)
    assert [u.user_id for u in page.items] == ["lu-2"]
    assert (page.meta.page, page.meta.count, page.meta.hasnext) == (2, 3, False)

    assert api.authn_users.get(name=gateway, id=LID, uid="lu-0").is_superuser
    with pytest.raises(emqx_client.NotFoundError) as info:
        api.authn_users.get(name=gateway, id=LID, uid="ghost")
    assert info.value.code == models.ErrorCode.NOT_FOUND
    changed = api.authn_users.update(
        name=gateway, id=LID, uid="lu-0", body={"password": "q", "is_superuser": False}
    )
    assert changed.is_superuser is False
    with pytest.raises(emqx_client.NotFoundError):
        api.authn_users.update(name=gateway, id=LID, uid="ghost", body={"password": "q"})
    api.authn_users.delete(name=gateway, id=LID, uid="lu-2")
    with pytest.raises(emqx_client.NotFoundError):
        api.authn_users.delete(name=gateway, id=LID, uid="lu-2")
    assert [u.user_id for u in api.authn_users.list(name=gateway, id=LID)] == [
        "lu-0",
        "lu-1",
    ]
    # the gateway-wide authenticator and its users are separate
    with pytest.raises(emqx_client.NotFoundError):
        client.gateway_authentication.users.get(name=gateway, uid="lu-0")
    api.authenticator.delete(name=gateway, id=LID)
    with pytest.raises(emqx_client.NotFoundError):
        api.authn_users.get(name=gateway, id=LID, uid="lu-0")
