"""License (enterprise build) through the generated client against the `ee` stub: the
built-in evaluation license and its limits, a key the stub cannot verify, the watermarks."""

from __future__ import annotations

from datetime import date
from typing import Any

import emqx_client
import pytest


def test_a_fresh_node_runs_the_evaluation_license(ee_client: Any) -> None:
    info = ee_client.license.get()
    assert (info.customer, info.email, info.deployment) == (
        "Evaluation",
        "contact@emqx.io",
        "trial",
    )
    assert (info.max_connections, info.max_sessions, info.customer_type) == (25, 25, 10)
    assert (info.start_at, info.expiry_at) == (date(2024, 4, 18), date(2029, 4, 17))
    assert str(info.type) == "trial"
    assert info.expiry is (date.today() > date(2029, 4, 17))


def test_a_key_that_does_not_verify_is_refused(ee_client: Any) -> None:
    with pytest.raises(emqx_client.BadRequestError) as bad:
        ee_client.license.update_key(body={"key": "MjIwMTExCjA=.c2lnbmF0dXJl"})
    assert (bad.value.code, bad.value.message) == ("BAD_REQUEST", "Bad license key")
    assert ee_client.license.get().customer == "Evaluation"
    back = ee_client.license.update_key(body={"key": " default\n"})
    assert back.max_connections == 25


def test_watermarks_merge_and_are_checked(ee_client: Any) -> None:
    assert ee_client.license.get_setting().model_dump(exclude_unset=True) == {
        "connection_low_watermark": "75%",
        "connection_high_watermark": "80%",
    }
    changed = ee_client.license.update_setting(body={"connection_high_watermark": "90%"})
    assert (changed.connection_low_watermark, changed.connection_high_watermark) == ("75%", "90%")
    # not business-critical: dynamic_max_connections is dropped and never shown
    kept = ee_client.license.update_setting(body={"dynamic_max_connections": 100})
    assert "dynamic_max_connections" not in kept.model_fields_set
    for body in (
        {"connection_low_watermark": "95%"},  # not below the high watermark
        {"connection_high_watermark": "lots"},
        {"connection_low_watermark": "120%"},
    ):
        with pytest.raises(emqx_client.BadRequestError) as bad:
            ee_client.license.update_setting(body=body)
        assert bad.value.message == "Bad license setting", body
    restored = ee_client.license.update_setting(
        body={"connection_low_watermark": "75%", "connection_high_watermark": "80%"}
    )
    assert restored.connection_high_watermark == "80%"
