"""Telemetry: its on/off status and the report it serves while on."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest
from emqx_client import models


def test_telemetry_report_and_switch(client: Any) -> None:
    telemetry = client.telemetry
    assert telemetry.get_status().enable is True
    report = telemetry.get_data()
    assert report.emqx_version == "5.8.9"
    assert report.license.edition == "opensource"
    assert report.num_cluster_sessions >= report.num_clients >= 0
    assert report.mqtt_runtime_insights.num_topics >= 0
    assert report.uuid != report.cluster_uuid and report.nodes_uuid == []
    assert report.uuid == telemetry.get_data().uuid  # stable across reports
    assert report.vm_specs.num_cpus >= 1 and report.up_time >= 0

    with pytest.raises(emqx_client.BadRequestError) as info:
        telemetry.update_status(body={"enable": True})
    assert info.value.message == "Telemetry status is already enabled"

    assert telemetry.update_status(body={"enable": False}).enable is False
    assert telemetry.get_status().enable is False
    with pytest.raises(emqx_client.NotFoundError) as info:
        telemetry.get_data()
    assert (info.value.code, info.value.message) == (
        models.ErrorCode.NOT_FOUND,
        "Telemetry is not enabled",
    )
    with pytest.raises(emqx_client.BadRequestError) as info:
        telemetry.update_status(body={"enable": False})
    assert info.value.message == "Telemetry status is already disabled"

    # Without `enable` the request means "turn on".
    assert telemetry.update_status(body={}).enable is True
    assert telemetry.get_data().emqx_version == "5.8.9"
