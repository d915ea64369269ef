"""Monitor: the Prometheus integration's settings and metrics, through the client."""

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
def as_json(stub: LiveStub) -> Iterator[None]:
    """The stub answers JSON as EMQX does for `Accept: application/json`."""
    monitor = stub.backend.handlers().monitor
    monitor.answer_json = True
    try:
        yield
    finally:
        monitor.answer_json = False


def _value(text: str, line_start: str) -> float:
    line = next(ln for ln in text.splitlines() if ln.startswith(line_start + " "))
    return float(line.rsplit(" ", 1)[1])


def test_settings(client: Any) -> None:
    settings = client.monitor.get_prometheus_settings()
    assert settings.enable_basic_auth is False
    assert settings.push_gateway.url == "http://127.0.0.1:9091"
    assert str(settings.collectors.vm_memory) == "disabled"
    try:
        changed = client.monitor.update_prometheus_settings(
            body={
                "enable_basic_auth": True,
                "push_gateway": {"enable": True, "url": "https://push.example:9091"},
                "collectors": {"vm_memory": "enabled"},
            }
        )
        assert changed.enable_basic_auth is True and changed.push_gateway.enable is True
        assert changed.push_gateway.interval == "15s" and str(changed.push_gateway.method) == "put"
        assert str(changed.collectors.vm_memory) == "enabled"
        assert str(changed.collectors.mnesia) == "disabled"
        assert client.monitor.get_prometheus_settings() == changed
        legacy = client.monitor.update_prometheus_settings(
            body={
                "push_gateway_server": "http://legacy.example:9091",
                "interval": "30s",
                "vm_msacc_collector": "enabled",
            }
        )
        assert legacy.enable_basic_auth is False
        assert legacy.push_gateway.url == "http://legacy.example:9091"
        assert legacy.push_gateway.interval == "30s" and legacy.push_gateway.enable is False
        assert str(legacy.collectors.vm_msacc) == "enabled"
        assert str(legacy.collectors.vm_memory) == "disabled"
        off = client.monitor.update_prometheus_settings(body={"enable": True})
        assert off.push_gateway.enable is False  # no server given: pushing stays off
        for bad in (
            {"push_gateway": {"url": "ftp://push.example"}},
            {"push_gateway_server": "nowhere"},
            {"enable_basic_auth": True, "interval": "5s"},
        ):
            with pytest.raises(emqx_client.BadRequestError) as info:
                client.monitor.update_prometheus_settings(body=bad)
            assert info.value.code == models.ErrorCode.BAD_REQUEST
    finally:
        client.monitor.update_prometheus_settings(body={})
    assert client.monitor.get_prometheus_settings().push_gateway.enable is False


def test_stats_as_text(client: Any, stub: LiveStub) -> None:
    stub.backend.add_client("prometheus-area/one")
    stats = client.metrics.get_stats(aggregate=True)
    text = client.monitor.get_prometheus_stats()
    assert isinstance(text, str)
    assert "# TYPE emqx_connections_count gauge" in text
    assert _value(text, "emqx_connections_count") == stats.connections_count
    assert _value(text, "emqx_cluster_nodes_running") == 1
    assert "emqx_packets_connect " in text and "emqx_messages_dropped_expired " in text
    node = stub.backend.node
    spread = client.monitor.get_prometheus_stats(mode="all_nodes_unaggregated")
    assert f'emqx_connections_count{{node="{node}"}}' in spread
    assert "\nemqx_topics_count " in spread  # cluster-wide values carry no node label
    summed = client.monitor.get_prometheus_stats(mode="all_nodes_aggregated")
    assert "\nemqx_connections_count " in summed
    assert f'emqx_vm_used_memory{{node="{node}"}}' in summed


def test_stats_as_json(client: Any, stub: LiveStub, as_json: None) -> None:
    data = client.monitor.get_prometheus_stats()
    assert isinstance(data, models.PrometheusStatsJson)
    assert data.stats["emqx_connections_count"] >= 1 and "emqx_topics_count" in data.stats
    assert data.cluster == {"emqx_cluster_nodes_running": 1, "emqx_cluster_nodes_stopped": 0}
    assert isinstance(data.client, list) and data.olp == {} and data.certs == []
    spread = client.monitor.get_prometheus_stats(mode="all_nodes_unaggregated")
    assert isinstance(spread.stats, list) and spread.stats[0]["node"] == stub.backend.node
    assert "emqx_topics_count" in spread.stats[0]
    assert isinstance(spread.metrics, list)


def test_auth_and_data_integration_metrics(client: Any, stub: LiveStub) -> None:
    before = _value(client.monitor.get_prometheus_auth_metrics(), "emqx_banned_count")
    client.banned.create(body={"as": "clientid", "who": "prometheus-area/bad"})
    try:
        text = client.monitor.get_prometheus_auth_metrics()
        assert _value(text, "emqx_banned_count") == before + 1
        assert 'emqx_authz_rules_count{type="file"} 4' in text
        stub.backend.handlers().monitor.answer_json = True
        try:
            data = client.monitor.get_prometheus_auth_metrics(mode="all_nodes_unaggregated")
            assert data.emqx_banned == {"emqx_banned_count": before + 1}
            assert data.emqx_authn == []
            assert data.emqx_authz[0]["type"] == "file"
            assert data.emqx_authz[0]["node"] == stub.backend.node
            overview = client.monitor.get_prometheus_data_integration_metrics()
            assert overview.data_integration_overview == {
                "emqx_rules_count": 0,
                "emqx_actions_count": 0,
                "emqx_connectors_count": 0,
            }
            assert overview.rules == [] and overview.connectors == []
        finally:
            stub.backend.handlers().monitor.answer_json = False
    finally:
        client.banned.delete(as_="clientid", who="prometheus-area/bad")
    text = client.monitor.get_prometheus_data_integration_metrics()
    assert _value(text, "emqx_rules_count") == 0


def test_metrics_accept_a_dashboard_token(
    client: Any, stub: LiveStub, checker: SpecChecker
) -> None:
    login = client.dashboard.login(body={"username": "admin", "password": "public"})
    http = httpx.Client(event_hooks={"response": [checker.check]})
    with emqx_client.Client(base_url=stub.base_url, token=login.token, http_client=http) as admin:
        assert "emqx_connections_count" in admin.monitor.get_prometheus_stats()
    with pytest.raises(emqx_client.BadRequestError):
        client.monitor.get_prometheus_stats(mode="everything")
