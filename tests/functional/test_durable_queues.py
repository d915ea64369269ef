"""Durable Queues (enterprise build) through the generated client against the `ee`
stub: declare, list by cursor, read, delete, and the answers while the feature is off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest

from tests.functional.conftest import LiveStub


@pytest.fixture()
def dq(ee_client: Any, ee_stub: LiveStub) -> Iterator[Any]:
    ee_stub.backend.enable_durable_queues()
    try:
        yield ee_client
    finally:
        for queue in ee_client.durable_queues.list(limit=10000).items:
            ee_stub.backend.set_durable_queue_active(queue.id, False)
            ee_client.durable_queues.delete(id=queue.id)
        ee_stub.backend.enable_durable_queues(False)


def test_declare_read_and_list_by_cursor(dq: Any) -> None:
    first = dq.durable_queues.declare(
        body={"group": "grp", "topic": "t/#", "start_time": 1704067200000}
    )
    assert (first.group, first.topic, first.start_time) == ("grp", "t/#", 1704067200000)
    assert first.id.startswith("grp:") and first.created_at > 1704067200000
    second = dq.durable_queues.declare(
        body={"group": "grp", "topic": "s/+", "start_time": "2024-01-01T00:00:00+00:00"}
    )
    assert second.start_time == 1704067200000
    third = dq.durable_queues.declare(body={"group": "other", "topic": "t/#"})
    assert third.start_time == third.created_at
    assert dq.durable_queues.get(id=first.id) == first
    chunk = dq.durable_queues.list(limit=2)
    assert chunk.meta.hasnext is True and len(chunk.items) == 2
    rest = dq.durable_queues.list(limit=2, cursor=chunk.meta.cursor)
    assert rest.meta.hasnext is False and rest.meta.cursor is None
    ids = [q.id for q in [*chunk.items, *rest.items]]
    assert ids == sorted([first.id, second.id, third.id])
    assert [q.id for q in dq.durable_queues.list(limit=1)] == ids  # walks on
    with pytest.raises(emqx_client.BadRequestError):
        dq.durable_queues.list(cursor="%%%")


def test_a_second_declaration_of_a_pair_conflicts(dq: Any) -> None:
    dq.durable_queues.declare(body={"group": "g2", "topic": "a/b"})
    with pytest.raises(emqx_client.ConflictError) as clash:
        dq.durable_queues.declare(body={"group": "g2", "topic": "a/b"})
    assert (clash.value.code, clash.value.message) == (
        "CONFLICT",
        "Queue with given group name and topic filter already exists",
    )


def test_delete_refuses_active_and_unknown_queues(dq: Any, ee_stub: LiveStub) -> None:
    queue = dq.durable_queues.declare(body={"group": "g3", "topic": "x"})
    ee_stub.backend.set_durable_queue_active(queue.id)
    with pytest.raises(emqx_client.ConflictError) as busy:
        dq.durable_queues.delete(id=queue.id)
    assert busy.value.message == "Queue is currently active"
    ee_stub.backend.set_durable_queue_active(queue.id, False)
    assert dq.durable_queues.delete(id=queue.id) == "Queue deleted"
    for call in (dq.durable_queues.get, dq.durable_queues.delete):
        with pytest.raises(emqx_client.NotFoundError) as gone:
            call(id=queue.id)
        assert (gone.value.code, gone.value.message) == ("NOT_FOUND", "Queue not found")
    with pytest.raises(emqx_client.BadRequestError) as bad:
        dq.durable_queues.get(id="+")
    assert bad.value.message == "Invalid queue id"


def test_everything_is_not_found_while_the_feature_is_off(ee_client: Any) -> None:
    calls = (
        lambda: ee_client.durable_queues.list(),
        lambda: ee_client.durable_queues.declare(body={"group": "g", "topic": "t"}),
        lambda: ee_client.durable_queues.get(id="g:1"),
        lambda: ee_client.durable_queues.delete(id="g:1"),
    )
    for call in calls:
        with pytest.raises(emqx_client.NotFoundError) as off:
            call()
        assert off.value.message == "Durable queues are disabled"
