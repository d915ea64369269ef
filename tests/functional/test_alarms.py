"""Alarms: forcing an active alarm to clear, through the client."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


def test_force_deactivate_alarm(client: Any, stub: LiveStub) -> None:
    name = "alarms-area_high_cpu"
    stub.backend.raise_alarm(name, message="CPU above 80%", details={"high_watermark": 80})
    assert name in [a.name for a in client.alarms.list(activated=True)]
    client.alarms.force_deactivate(body={"name": name})
    assert name not in [a.name for a in client.alarms.list(activated=True)]
    cleared = [a for a in client.alarms.list(activated=False) if a.name == name]
    assert len(cleared) == 1 and cleared[0].deactivate_at is not None
    assert cleared[0].details == {"high_watermark": 80}
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.alarms.force_deactivate(body={"name": name})
    assert info.value.status_code == 400 and info.value.code == models.ErrorCode.NOT_FOUND
    assert info.value.body["message"] == "Alarm not found or already deactivated"
    for body in ({}, {"name": ""}):
        with pytest.raises(emqx_client.BadRequestError) as info:
            client.alarms.force_deactivate(body=body)
        assert info.value.code == models.ErrorCode.INVALID_PARAMETER
        assert info.value.body["message"] == "name is required"
    client.alarms.delete_deactivated()  # leave no cleared alarm to later tests
