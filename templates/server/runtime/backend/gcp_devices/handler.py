"""GCP Devices (enterprise build): list, import, read, store and delete devices.

As `emqx_gcp_device_api` checks a device: the body's schema first, then each key's
`key_type` against the four kinds EMQX knows (`invalid key_type`). An import is
checked whole before anything is stored; a device whose configuration is not base64
then fails alone (counted in `errors`), while an update with such a configuration
crashes the broker's handler (500).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ... import errors, models
from ..common.clock import now_s
from ..common.paging import paginate
from ..state import State
from .state import GcpDeviceRecord

KEY_TYPES = ("RSA_PEM", "RSA_X509_PEM", "ES256_PEM", "ES256_X509_PEM")


def decoded_config(config: str) -> bytes | None:
    """The configuration's bytes, None when it is not base64."""
    try:
        return base64.b64decode(config, validate=True)
    except (binascii.Error, ValueError):
        return None


def checked_device(deviceid: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The device as the broker's `validate_device` returns it, or 400 `invalid key_type`."""
    keys = [
        {"key": k["key"], "key_type": k["key_type"], "expires_at": k["expires_at"]}
        for k in fields.get("keys") or []
    ]
    if any(k["key_type"] not in KEY_TYPES for k in keys):
        raise errors.bad_request("invalid key_type", status=400)
    return {
        "deviceid": deviceid,
        "project": fields.get("project") or "",
        "location": fields.get("location") or "",
        "registry": fields.get("registry") or "",
        "keys": keys,
        "config": fields["config"],
    }


def record_of(device: dict[str, Any], config: bytes) -> GcpDeviceRecord:
    return GcpDeviceRecord(
        deviceid=device["deviceid"],
        project=device["project"],
        location=device["location"],
        registry=device["registry"],
        keys=device["keys"],
        created_at=now_s(),
        config=config,
    )


def formatted(record: GcpDeviceRecord) -> models.GcpDevice:
    return models.GcpDevice.model_validate(
        {
            "deviceid": record.deviceid,
            "project": record.project,
            "location": record.location,
            "registry": record.registry,
            "keys": record.keys,
            "created_at": record.created_at,
            "config": base64.b64encode(record.config).decode("ascii"),
        }
    )


class GcpDevicesApi:
    """GcpDevicesHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def list_gcp_devices(self, *, limit: int = 100, page: int = 1) -> models.GcpDevicePage:
        with self._state.lock:
            records = self._state.gcp_devices.ordered()
        data, meta = paginate(records, page, limit)
        return models.GcpDevicePage(data=[formatted(r) for r in data], meta=meta)

    async def import_gcp_devices(
        self, *, body: list[models.GcpExportedDevice]
    ) -> models.GcpImportResult:
        checked = [
            checked_device(d.deviceid, d.model_dump(mode="json", exclude_unset=True)) for d in body
        ]
        imported = failed = 0
        with self._state.lock:
            for device in checked:
                config = decoded_config(device["config"])
                if config is None:
                    failed += 1
                    continue
                self._state.gcp_devices.devices[device["deviceid"]] = record_of(device, config)
                imported += 1
        return models.GcpImportResult(imported=imported, errors=failed)

    async def get_gcp_device(self, *, deviceid: str) -> models.GcpDevice:
        with self._state.lock:
            record = self._state.gcp_devices.devices.get(deviceid)
        if record is None:
            raise errors.not_found(f"device not found: {deviceid}")
        return formatted(record)

    async def update_gcp_device(
        self, *, deviceid: str, body: models.GcpDeviceUpdate
    ) -> models.GcpDeviceInfo:
        device = checked_device(deviceid, body.model_dump(mode="json", exclude_unset=True))
        config = decoded_config(device["config"])
        if config is None:
            raise errors.internal_error("the configuration is not base64")
        with self._state.lock:
            self._state.gcp_devices.devices[deviceid] = record_of(device, config)
        return models.GcpDeviceInfo.model_validate(device)

    async def delete_gcp_device(self, *, deviceid: str) -> None:
        with self._state.lock:
            self._state.gcp_devices.devices.pop(deviceid, None)
