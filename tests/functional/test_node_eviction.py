"""Node Eviction (enterprise build) through the generated client against the `ee` stub."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


@pytest.fixture()
def evicting(ee_stub: LiveStub) -> Iterator[Any]:
    ee_stub.backend.add_client("evict-1")
    ee_stub.backend.add_client("evict-2", connected=False)
    ee_stub.backend.enable_node_eviction()
    try:
        yield ee_stub.backend
    finally:
        ee_stub.backend.enable_node_eviction(False)


def test_status_is_disabled_until_an_eviction_starts(ee_client: Any) -> None:
    status = ee_client.node_eviction.get_status()
    assert isinstance(status, models.NodeEvictionDisabled)
    assert status.status == "disabled"


def test_status_counts_what_the_node_still_holds(ee_client: Any, evicting: Any) -> None:
    status = ee_client.node_eviction.get_status()
    assert isinstance(status, models.NodeEvictionEnabled)
    state = evicting._state
    assert (status.stats.connections, status.stats.sessions) == (state.live, len(state.clients))
    assert status.stats.sessions - status.stats.connections >= 1  # evict-2 is not connected


def test_status_needs_credentials(ee_stub: LiveStub) -> None:
    with emqx_client.Client(base_url=ee_stub.base_url, max_retries=0) as anonymous:
        with pytest.raises(emqx_client.AuthenticationError) as info:
            anonymous.node_eviction.get_status()
    assert info.value.code == models.ErrorCode.AUTHORIZATION_HEADER_ERROR
