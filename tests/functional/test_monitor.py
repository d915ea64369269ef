"""Metrics, the dashboard monitor: sampled time series and current rates."""

from __future__ import annotations

import itertools
import time
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


def test_monitor_series(client: Any, stub: LiveStub) -> None:
    stub.backend.add_client("monitor-area/one")
    series = client.metrics.list_monitor_samples()
    # One sample stays as taken (on a 10-second tick); several are merged into buckets
    # whose size grows with the span asked for (10 minutes without `latest`).
    assert series and all(s.time_stamp % 10_000 == 0 for s in series)
    full = [s for s in series if s.connections is not None]
    assert full and all(s.subscriptions_ram == s.subscriptions for s in full)
    recent = client.metrics.list_monitor_samples(latest=60)
    assert recent and all(s.time_stamp % 10_000 == 0 for s in recent)
    node = client.metrics.list_node_monitor_samples(node=stub.backend.node, latest=300)
    assert node and all(s.subscriptions_ram is None for s in node)
    everyone = client.metrics.list_node_monitor_samples(node="all", latest=300)
    assert all(s.subscriptions_ram is not None for s in everyone if s.connections is not None)
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.metrics.list_node_monitor_samples(node="nobody@nowhere")
    assert info.value.code == models.ErrorCode.NOT_FOUND
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.metrics.list_monitor_samples(latest=0)
    assert info.value.code == models.ErrorCode.BAD_REQUEST


def test_clearing_the_series(client: Any) -> None:
    client.metrics.list_monitor_samples()
    cleared_at = int(time.time() * 1000)
    client.metrics.clear_monitor_samples()
    after = client.metrics.list_monitor_samples(latest=60)
    assert all(s.time_stamp > cleared_at for s in after)


def test_current_values(client: Any, stub: LiveStub) -> None:
    stub.backend.add_client("monitor-area/two")
    stats = client.metrics.get_stats(aggregate=True)
    cluster = client.metrics.get_monitor_current()
    assert cluster.connections == stats.connections_count
    assert cluster.subscriptions_ram == cluster.subscriptions
    assert cluster.node_uptime is None and cluster.received_msg_rate is not None
    node = client.metrics.get_node_monitor_current(node=stub.backend.node)
    assert node.node_uptime is not None and node.node_uptime > 0
    assert node.subscriptions_ram is None and node.subscriptions_durable is None
    assert node.live_connections is not None
    assert client.metrics.get_node_monitor_current(node="all").node_uptime is None
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.metrics.get_node_monitor_current(node="nobody@nowhere")
    assert info.value.code == models.ErrorCode.NOT_FOUND


def test_buckets_and_gaps(client: Any, stub: LiveStub) -> None:
    client.metrics.clear_monitor_samples()
    now = int(time.time() * 1000)
    earlier = now - now % 600_000 - 600_000  # the previous 10-minute bucket
    monitor = stub.backend.handlers().metrics
    monitor.seed_sample(earlier + 10_000, connections=3, received=5, topics=1)
    monitor.seed_sample(earlier + 30_000, connections=4, received=7, topics=2)
    merged = [s for s in client.metrics.list_monitor_samples() if s.time_stamp == earlier]
    assert len(merged) == 1
    assert (merged[0].connections, merged[0].received, merged[0].topics) == (4, 12, 2)
    hour = client.metrics.list_node_monitor_samples(node=stub.backend.node, latest=3600)
    by_time = {s.time_stamp: s for s in hour}
    assert by_time[earlier + 10_000].received == 5 and by_time[earlier + 30_000].received == 7
    gap = by_time[earlier + 20_000]
    assert gap.connections is None and gap.received is None
    assert all(b - a == 10_000 for a, b in itertools.pairwise(sorted(by_time)))
    client.metrics.clear_monitor_samples()
