"""The enterprise areas' state and rules, straight on their state (no HTTP)."""

from __future__ import annotations

from datetime import date

from emqx_server_stub.backend.license.handler import license_info, merged_setting, percent
from emqx_server_stub.backend.state import State


def test_a_fresh_enterprise_node_has_the_license_defaults() -> None:
    state = State(node="n@h", edition="ee")
    assert state.license.key == "default"
    assert state.license.settings["connection_low_watermark"] == "75%"
    assert State(node="m@h").license.settings is not state.license.settings


def test_license_watermarks_are_percentages_with_high_above_low() -> None:
    assert percent("75%") == 0.75 and percent("0.5%") == 0.005
    assert percent("101%") is None and percent("75") is None and percent(75) is None
    current = State(node="n@h").license.settings
    assert merged_setting(current, {"connection_high_watermark": "99%"}) is not None
    assert merged_setting(current, {"connection_high_watermark": "75%"}) is None
    merged = merged_setting(current, {"dynamic_max_connections": 9})
    assert merged is not None and merged["dynamic_max_connections"] == 25


def test_the_evaluation_license_expires_after_five_years() -> None:
    assert license_info(date(2029, 4, 17)).expiry is False
    assert license_info(date(2029, 4, 18)).expiry is True
