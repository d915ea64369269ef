"""Monitor's enterprise Prometheus metrics (schema validation, message transformation)
through the generated client against the `ee` stub."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest

from tests.functional.conftest import LiveStub

KINDS = [
    ("get_prometheus_schema_validation_metrics", "schema_validations"),
    ("get_prometheus_message_transformation_metrics", "message_transformations"),
]


@pytest.fixture()
def ee_json(ee_stub: LiveStub) -> Iterator[None]:
    monitor = ee_stub.backend.handlers().monitor
    monitor.answer_json = True
    try:
        yield
    finally:
        monitor.answer_json = False


@pytest.mark.parametrize(("method", "key"), KINDS)
def test_no_item_gives_no_sample(ee_client: Any, method: str, key: str) -> None:
    assert getattr(ee_client.monitor, method)() == "\n"


@pytest.mark.parametrize(("method", "key"), KINDS)
def test_as_json_one_point_per_item(ee_client: Any, ee_json: None, method: str, key: str) -> None:
    answer = getattr(ee_client.monitor, method)(mode="all_nodes_unaggregated")
    assert getattr(answer, key) == []


@pytest.mark.parametrize(("method", "key"), KINDS)
def test_an_unknown_mode_is_refused(ee_client: Any, method: str, key: str) -> None:
    with pytest.raises(emqx_client.BadRequestError) as bad:
        getattr(ee_client.monitor, method)(mode="everywhere")
    assert bad.value.code == "BAD_REQUEST"
