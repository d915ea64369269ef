"""Configs' enterprise root, `file_transfer`, through the generated client against the
`ee` stub; the open-source stub has no such root."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest


def test_file_transfer_defaults_and_replacement(ee_client: Any) -> None:
    fresh = ee_client.configs.get_file_transfer()
    assert (fresh.enable, fresh.init_timeout, fresh.assemble_timeout) == (False, "10s", "5m")
    assert fresh.storage.local.segments.gc.maximum_segments_ttl == "24h"
    assert fresh.storage.local.exporter.local.enable is True
    assert fresh.storage.local.exporter.s3 is None
    new = ee_client.configs.update_file_transfer(body={"enable": True, "init_timeout": "20s"})
    assert (new.enable, new.init_timeout, new.store_segment_timeout) == (True, "20s", "5m")
    assert ee_client.configs.get_file_transfer().init_timeout == "20s"
    back = ee_client.configs.update_file_transfer(body={})
    assert back.enable is False and back.init_timeout == "10s"


def test_exactly_one_exporter_must_be_enabled(ee_client: Any) -> None:
    both = {"storage": {"local": {"exporter": {"local": {}, "s3": {"bucket": "b"}}}}}
    none = {"storage": {"local": {"exporter": {"local": {"enable": False}}}}}
    for body, reason in ((both, "multiple_enabled_backends"), (none, "no_enabled_backend")):
        with pytest.raises(emqx_client.BadRequestError) as bad:
            ee_client.configs.update_file_transfer(body=body)
        assert bad.value.message == f"file_transfer.storage.local.exporter: {reason}"
    s3_only = {
        "storage": {"local": {"exporter": {"local": {"enable": False}, "s3": {"bucket": "b"}}}}
    }
    moved = ee_client.configs.update_file_transfer(body=s3_only)
    assert moved.storage.local.exporter.s3.enable is True
    ee_client.configs.update_file_transfer(body={})


def test_the_open_source_build_has_no_file_transfer_root(client: Any) -> None:
    assert "file_transfer" not in client.configs.get()
