"""Cluster linking (enterprise build) through the generated client against the `ee` stub:
links created with their defaults, found, changed, deleted; their metrics; the refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest

LINK = {
    "name": "emqxcl_b",
    "server": "emqxcl_b.host:1883",
    "topics": ["t/topic-example", "t/topic-filter-example/1/#"],
    "password": "s3cret",
    "pool_size": 10,
}


@pytest.fixture(autouse=True)
def no_links(ee_client: Any) -> Iterator[None]:
    """The enterprise stub is shared: every test starts and ends without links."""
    for link in ee_client.cluster.links.list():
        ee_client.cluster.links.delete(name=link.name)
    yield
    for link in ee_client.cluster.links.list():
        ee_client.cluster.links.delete(name=link.name)


def test_a_link_is_created_with_its_defaults_and_found(ee_client: Any) -> None:
    assert ee_client.cluster.links.list() == []
    created = ee_client.cluster.links.create(body=LINK)
    assert (created.name, created.server, created.pool_size) == ("emqxcl_b", LINK["server"], 10)
    assert (created.enable, created.max_inflight, created.ps_actor_incarnation) == (True, 32, 0)
    assert created.ssl is not None and created.ssl.enable is False
    assert created.password == "******"
    assert str(created.status) == "disconnected"
    assert [str(n.status) for n in created.node_status] == ["disconnected"]
    listed = ee_client.cluster.links.list()
    assert [link.name for link in listed] == ["emqxcl_b"]
    assert ee_client.cluster.links.get(name="emqxcl_b").topics == LINK["topics"]


def test_refusals_of_create(ee_client: Any) -> None:
    ee_client.cluster.links.create(body=LINK)
    with pytest.raises(emqx_client.AlreadyExistsError) as dup:
        ee_client.cluster.links.create(body=LINK)
    assert dup.value.message == "Cluster link already exists"
    with pytest.raises(emqx_client.BadRequestError) as bad_name:
        ee_client.cluster.links.create(body={**LINK, "name": "-bad name"})
    assert bad_name.value.code == "BAD_REQUEST"
    assert json.loads(bad_name.value.message)["kind"] == "validation_error"
    for topics in (["t/#", "t/1"], ["$LINK/cluster/x"], ["a/#/b"]):
        with pytest.raises(emqx_client.BadRequestError) as bad:
            ee_client.cluster.links.create(body={**LINK, "name": "c2", "topics": topics})
        assert bad.value.message.startswith("Create link failed"), topics
    assert [link.name for link in ee_client.cluster.links.list()] == ["emqxcl_b"]


def test_update_keeps_a_redacted_password_and_checks_topics(ee_client: Any) -> None:
    ee_client.cluster.links.create(body=LINK)
    changed = ee_client.cluster.links.update(
        name="emqxcl_b",
        body={"server": "other:1884", "topics": ["a/#"], "password": "******", "enable": False},
    )
    assert (changed.name, changed.server, changed.topics, changed.enable) == (
        "emqxcl_b",
        "other:1884",
        ["a/#"],
        False,
    )
    assert changed.pool_size == 8  # not given: back to the default
    assert changed.password == "******"
    with pytest.raises(emqx_client.BadRequestError) as bad:
        ee_client.cluster.links.update(
            name="emqxcl_b", body={"server": "x:1", "topics": ["a/+", "a/b"]}
        )
    assert bad.value.message.startswith("Update link failed")
    with pytest.raises(emqx_client.NotFoundError) as missing:
        ee_client.cluster.links.update(name="nope", body={"server": "x:1", "topics": ["a"]})
    assert missing.value.message == "Cluster link not found"


def test_get_and_delete_of_an_unknown_link(ee_client: Any) -> None:
    for call in (
        ee_client.cluster.links.get,
        ee_client.cluster.links.delete,
        ee_client.cluster.links.get_metrics,
        ee_client.cluster.links.reset_metrics,
    ):
        with pytest.raises(emqx_client.NotFoundError) as missing:
            call(name="nope")
        assert (missing.value.code, missing.value.message) == (
            "NOT_FOUND",
            "Cluster link not found",
        )
    ee_client.cluster.links.create(body=LINK)
    assert ee_client.cluster.links.delete(name="emqxcl_b") is None
    assert ee_client.cluster.links.list() == []


def test_metrics_and_their_reset(ee_client: Any, ee_stub: Any) -> None:
    ee_client.cluster.links.create(body=LINK)
    metrics = ee_client.cluster.links.get_metrics(name="emqxcl_b")
    assert metrics.metrics.router.routes == 0
    assert metrics.metrics.forwarding.matched == 0
    assert [n.node for n in metrics.node_metrics] == [ee_stub.backend.node]
    assert ee_client.cluster.links.reset_metrics(name="emqxcl_b") is None
    again = ee_client.cluster.links.get_metrics(name="emqxcl_b")
    assert again.metrics.forwarding.rate_max == 0
