"""GCP Devices (enterprise build) through the generated client against the `ee` stub:
import, pages, read, update, delete, and the devices EMQX refuses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest

KEY = {"key": "-----BEGIN PUBLIC KEY-----", "key_type": "ES256_PEM", "expires_at": 0}


def exported(deviceid: str, config: str = "bXktY29uZmln", **extra: Any) -> dict[str, Any]:
    return {"deviceid": deviceid, "blocked": False, "config": config, "keys": [KEY], **extra}


@pytest.fixture()
def gcp(ee_client: Any) -> Iterator[Any]:
    yield ee_client
    for device in list(ee_client.gcp_devices.list(limit=10000).items):
        ee_client.gcp_devices.delete(deviceid=device.deviceid)


def test_import_stores_devices_and_counts_bad_configurations(gcp: Any) -> None:
    before = int(time.time())
    result = gcp.gcp_devices.bulk_import(
        body=[
            exported("gcp-b", project="iot-export", location="europe-west1", registry="reg"),
            exported("gcp-a"),
            exported("gcp-c", config="not base64!"),
        ]
    )
    assert (result.imported, result.errors) == (2, 1)
    page = gcp.gcp_devices.list(limit=1)
    assert [d.deviceid for d in page.items] == ["gcp-a"]
    assert (page.meta.count, page.meta.hasnext) == (2, True)
    assert [d.deviceid for d in gcp.gcp_devices.list(limit=1, page=2).items] == ["gcp-b"]
    device = gcp.gcp_devices.get(deviceid="gcp-b")
    assert (device.project, device.location, device.registry) == (
        "iot-export",
        "europe-west1",
        "reg",
    )
    assert device.config == "bXktY29uZmln" and device.created_at >= before
    assert [k.key_type for k in device.keys] == ["ES256_PEM"]
    assert gcp.gcp_devices.get(deviceid="gcp-a").project == ""


def test_an_unknown_key_type_refuses_the_whole_import(gcp: Any) -> None:
    bad = exported("gcp-bad", keys=[{**KEY, "key_type": "HS256"}])
    with pytest.raises(emqx_client.BadRequestError) as refused:
        gcp.gcp_devices.bulk_import(body=[exported("gcp-ok"), bad])
    assert (refused.value.code, refused.value.message) == ("BAD_REQUEST", "invalid key_type")
    assert list(gcp.gcp_devices.list().items) == []


def test_update_creates_or_replaces_and_checks_keys(gcp: Any) -> None:
    stored = gcp.gcp_devices.update(
        deviceid="gcp-put", body={"config": "", "registry": "reg", "keys": [KEY]}
    )
    assert stored.model_dump(mode="json") == {
        "deviceid": "gcp-put",
        "registry": "reg",
        "project": "",
        "location": "",
        "keys": [KEY],
        "config": "",
    }
    replaced = gcp.gcp_devices.update(deviceid="gcp-put", body={"config": "eA==", "project": "p"})
    assert (replaced.project, replaced.registry, replaced.keys) == ("p", "", [])
    assert gcp.gcp_devices.get(deviceid="gcp-put").config == "eA=="
    with pytest.raises(emqx_client.BadRequestError) as refused:
        gcp.gcp_devices.update(
            deviceid="gcp-put", body={"config": "", "keys": [{**KEY, "key_type": "RS256"}]}
        )
    assert refused.value.message == "invalid key_type"
    with pytest.raises(emqx_client.InternalServerError) as crashed:
        gcp.gcp_devices.update(deviceid="gcp-put", body={"config": "%%%"})
    assert crashed.value.code == "INTERNAL_ERROR"
    assert gcp.gcp_devices.get(deviceid="gcp-put").project == "p"


def test_delete_removes_and_a_missing_device_is_not_found(gcp: Any) -> None:
    gcp.gcp_devices.bulk_import(body=[exported("gcp-gone")])
    gcp.gcp_devices.delete(deviceid="gcp-gone")
    gcp.gcp_devices.delete(deviceid="gcp-gone")  # again: still 204
    with pytest.raises(emqx_client.NotFoundError) as missing:
        gcp.gcp_devices.get(deviceid="gcp-gone")
    assert (missing.value.code, missing.value.message) == (
        "NOT_FOUND",
        "device not found: gcp-gone",
    )
    with pytest.raises(emqx_client.BadRequestError):
        gcp.gcp_devices.list(limit=0)
