"""Opentelemetry's white lists (enterprise build) through the generated client against
the `ee` stub."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest


def test_white_lists_are_replaced_whole_and_cleared(ee_client: Any) -> None:
    otel = ee_client.opentelemetry
    assert otel.get_otel_whitelist(type="topic") == []
    otel.replace_otel_whitelist(type="clientid", body=["c1", "c2"])
    otel.replace_otel_whitelist(type="clientid", body=["c3", "c1"])
    assert otel.get_otel_whitelist(type="clientid") == ["c3", "c1"]
    assert otel.get_otel_whitelist(type="topic") == []
    otel.clear_otel_whitelist(type="clientid")
    otel.clear_otel_whitelist(type="clientid")  # clearing an empty list succeeds too
    assert otel.get_otel_whitelist(type="clientid") == []


def test_a_list_over_the_maximum_is_refused(ee_client: Any) -> None:
    otel = ee_client.opentelemetry
    otel.replace_otel_whitelist(type="topic", body=["t/#"])
    with pytest.raises(emqx_client.BadRequestError) as bad:
        otel.replace_otel_whitelist(type="topic", body=[f"t/{n}" for n in range(31)])
    assert bad.value.message == "The number of 'topic' exceeds the white list maximum limit."
    assert otel.get_otel_whitelist(type="topic") == ["t/#"]
    otel.clear_otel_whitelist(type="topic")


def test_an_unknown_type_is_refused(ee_client: Any) -> None:
    for call in (
        lambda: ee_client.opentelemetry.get_otel_whitelist(type="username"),
        lambda: ee_client.opentelemetry.clear_otel_whitelist(type="username"),
    ):
        with pytest.raises(emqx_client.BadRequestError) as bad:
            call()
        assert bad.value.code == "BAD_REQUEST"
