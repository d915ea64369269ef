"""Slow Subscriptions: the settings and the records, fed through the handler's record()."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


def test_slow_subscriptions(client: Any, stub: LiveStub) -> None:
    recorder = stub.backend.handlers().slow_subscriptions
    defaults = client.slow_subscriptions.get_settings()
    assert defaults.enable is False and defaults.threshold == "500ms"
    assert defaults.stats_type == models.SlowSubscriptionsSettingsStatsType.WHOLE
    assert client.slow_subscriptions.list().data == []
    assert recorder.record("slow-1", "a/b", 5000) is False  # off: nothing is recorded

    changed = client.slow_subscriptions.update_settings(
        body={"enable": True, "threshold": "1s", "top_k_num": 2}
    )
    assert changed.enable is True and changed.threshold == "1s"
    assert changed.expire_interval == "300s" and changed.top_k_num == 2
    assert recorder.record("slow-1", "a/b", 900) is False  # below the threshold
    assert recorder.record("slow-1", "a/b", 1500) is True
    assert recorder.record("slow-2", "a/c", 4000) is True
    assert recorder.record("slow-3", "a/d", 2500) is True  # pushes out the fastest
    assert recorder.record("slow-1", "a/b", 1200) is False

    # `page` and `limit` are ignored: the whole list comes back.
    listed = client.slow_subscriptions.list(page=2, limit=1).data
    assert [(r.clientid, r.timespan) for r in listed] == [("slow-2", 4000), ("slow-3", 2500)]
    assert listed[0].node == stub.backend.node and listed[0].topic == "a/c"

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.slow_subscriptions.update_settings(body={"threshold": "fast"})
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    client.slow_subscriptions.clear()
    assert client.slow_subscriptions.list().data == []
    restored = client.slow_subscriptions.update_settings(body=defaults.model_dump(mode="json"))
    assert restored.enable is False and restored.top_k_num == 10
