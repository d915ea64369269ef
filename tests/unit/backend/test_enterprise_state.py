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


def test_per_item_prometheus_families() -> None:
    from emqx_server_stub.backend.monitor.handler import per_item_families, render_text

    families = per_item_families(
        "emqx_schema_validation", [("check", True, 3, 2, 1)], {"node": "n@h"}
    )
    text = render_text(families)
    assert "# TYPE emqx_schema_validation_enable gauge" in text
    assert 'emqx_schema_validation_matched{node="n@h",validation_name="check"} 3' in text
    assert 'emqx_schema_validation_succeeded{node="n@h",validation_name="check"} 2' in text
    assert 'emqx_schema_validation_failed{node="n@h",validation_name="check"} 1' in text
    assert render_text(per_item_families("emqx_message_transformation", [], {})) == "\n"
