"""Retainer: retained messages published through the client, and the settings."""

from __future__ import annotations

import base64
from typing import Any

import emqx_client
import pytest
from emqx_client import models

PREFIX = "retainer-area"


def test_retainer_settings(client: Any) -> None:
    defaults = client.retainer.get_settings()
    assert defaults.enable is True and defaults.msg_expiry_interval == "0s"
    assert defaults.backend.storage_type == models.RetainerBackendStorageType.RAM
    assert defaults.backend.index_specs == [[1, 2, 3], [1, 3], [2, 3], [3]]

    changed = client.retainer.update_settings(
        body={"max_payload_size": "2MB", "msg_clear_interval": 60000}
    )
    assert changed.max_payload_size == "2MB" and changed.msg_clear_interval == 60000
    assert changed.delivery_rate == "1000/s"
    # A nested object replaces the current one as a whole.
    disc = client.retainer.update_settings(body={"backend": {"storage_type": "disc"}})
    assert disc.backend.storage_type == models.RetainerBackendStorageType.DISC
    assert client.retainer.get_settings().backend.index_specs is None

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.retainer.update_settings(body={"backend": {"enable": False}})
    assert info.value.code == models.ErrorCode.UPDATE_FAILED
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.retainer.update_settings(body={"msg_expiry_interval": "soon"})
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    restored = client.retainer.update_settings(
        body=defaults.model_dump(mode="json", exclude_none=True)
    )
    assert restored.max_payload_size == "1MB"
    assert restored.backend.index_specs == [[1, 2, 3], [1, 3], [2, 3], [3]]


def test_retained_messages(client: Any) -> None:
    for n, qos in ((1, 0), (2, 1), (3, 2)):
        client.publish.message(
            body={"topic": f"{PREFIX}/t/{n}", "payload": f"value-{n}", "qos": qos, "retain": True}
        )
    client.publish.message(body={"topic": f"{PREFIX}/t/4", "payload": "not kept"})

    page = client.retainer.messages.list(topic=f"{PREFIX}/t/#", limit=2)
    assert [m.topic for m in page.items] == [f"{PREFIX}/t/1", f"{PREFIX}/t/2"]
    assert page.meta.count is None and page.has_next_page()
    everything = [m.topic for m in client.retainer.messages.list(topic=f"{PREFIX}/#")]
    assert everything == [f"{PREFIX}/t/1", f"{PREFIX}/t/2", f"{PREFIX}/t/3"]
    unfiltered = client.retainer.messages.list()
    assert unfiltered.meta.count >= 3

    got = client.retainer.messages.get(topic=f"{PREFIX}/t/2")
    assert got.qos == 1 and got.from_clientid == "http_api" and got.from_username == ""
    assert base64.b64decode(got.payload) == b"value-2"
    earliest = client.retainer.messages.get(topic=f"{PREFIX}/t/+")
    assert earliest.topic == f"{PREFIX}/t/1"
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.retainer.messages.get(topic=f"{PREFIX}/t/4")
    assert info.value.code == models.ErrorCode.NOT_FOUND

    # An empty retained payload clears the topic's retained message.
    client.publish.message(body={"topic": f"{PREFIX}/t/3", "payload": "", "retain": True})
    with pytest.raises(emqx_client.NotFoundError):
        client.retainer.messages.get(topic=f"{PREFIX}/t/3")

    client.retainer.messages.delete(topic=f"{PREFIX}/t/1")
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.retainer.messages.delete(topic=f"{PREFIX}/t/1")
    assert info.value.code == models.ErrorCode.NOT_FOUND

    # While the retainer is off nothing is listed; the messages come back with it.
    client.retainer.update_settings(body={"enable": False})
    assert list(client.retainer.messages.list(topic=f"{PREFIX}/#")) == []
    assert client.retainer.messages.list().meta.count == 0
    client.retainer.update_settings(body={"enable": True})
    assert [m.topic for m in client.retainer.messages.list(topic=f"{PREFIX}/#")] == [
        f"{PREFIX}/t/2"
    ]

    client.retainer.messages.delete(topic=f"{PREFIX}/#")
    assert list(client.retainer.messages.list(topic=f"{PREFIX}/#")) == []

    client.publish.message(body={"topic": f"{PREFIX}/t/5", "payload": "x", "retain": True})
    client.retainer.messages.clear()
    assert client.retainer.messages.list().meta.count == 0
