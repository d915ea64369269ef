"""Opentelemetry's white lists (enterprise build) through the generated client against
the `ee` stub."""

from __future__ import annotations

from typing import Any

import emqx_client
import httpx
import pytest

from tests.functional.conftest import API_KEY, SECRET, LiveStub
from tests.functional.openapi_check import SpecChecker


def test_white_lists_are_replaced_whole_and_cleared(ee_client: Any) -> None:
    otel = ee_client.opentelemetry
    assert otel.get_whitelist(type="topic") == []
    otel.replace_whitelist(type="clientid", body=["c1", "c2"])
    otel.replace_whitelist(type="clientid", body=["c3", "c1"])
    assert otel.get_whitelist(type="clientid") == ["c3", "c1"]
    assert otel.get_whitelist(type="topic") == []
    otel.clear_whitelist(type="clientid")
    otel.clear_whitelist(type="clientid")  # clearing an empty list succeeds too
    assert otel.get_whitelist(type="clientid") == []


def test_a_list_over_the_maximum_is_refused(ee_client: Any) -> None:
    otel = ee_client.opentelemetry
    otel.replace_whitelist(type="topic", body=["t/#"])
    with pytest.raises(emqx_client.BadRequestError) as bad:
        otel.replace_whitelist(type="topic", body=[f"t/{n}" for n in range(31)])
    assert bad.value.message == "The number of 'topic' exceeds the white list maximum limit."
    assert otel.get_whitelist(type="topic") == ["t/#"]
    otel.clear_whitelist(type="topic")


def test_an_unknown_type_is_refused(ee_client: Any) -> None:
    for call in (
        lambda: ee_client.opentelemetry.get_whitelist(type="username"),
        lambda: ee_client.opentelemetry.clear_whitelist(type="username"),
    ):
        with pytest.raises(emqx_client.BadRequestError) as bad:
            call()
        assert bad.value.code == "BAD_REQUEST"


def test_settings_are_filled_in_and_replaced(ee_client: Any) -> None:
    monitor = ee_client.monitor
    fresh = monitor.get_opentelemetry_settings()
    assert fresh.metrics.enable is False and fresh.metrics.interval == "10s"
    assert fresh.traces.filter.e2e_tracing_options.topic_match_rules_max == 30
    assert fresh.exporter.endpoint == "http://localhost:4317"
    new = monitor.update_opentelemetry_settings(
        body={
            "metrics": {"enable": True},
            "traces": {"filter": {"e2e_tracing_options": {"topic_match_rules_max": 2}}},
            "exporter": {"ssl_options": {"enable": True, "password": "hush"}},
        }
    )
    assert new.metrics.enable is True and new.metrics.interval == "10s"
    assert new.logs.level == "warning"
    assert new.exporter.ssl_options.password == "******"
    # the white list's maximum follows the settings
    with pytest.raises(emqx_client.BadRequestError):
        ee_client.opentelemetry.replace_whitelist(type="topic", body=["a", "b", "c"])
    back = monitor.update_opentelemetry_settings(body={})
    assert back.traces.filter.e2e_tracing_options.topic_match_rules_max == 30
    assert back.metrics.enable is False


def test_settings_outside_the_schema_are_refused(ee_stub: LiveStub, checker: SpecChecker) -> None:
    # sent raw: the client itself refuses such bodies before sending them
    with httpx.Client(auth=(API_KEY, SECRET), event_hooks={"response": [checker.check]}) as raw:
        for body in ({"metrics": {"enable": "often"}}, {"tracing": {}}, {"logs": {"level": "x"}}):
            answer = raw.put(ee_stub.base_url + "/opentelemetry", json=body)
            assert answer.status_code == 400 and answer.json()["code"] == "BAD_REQUEST", body
