"""Durable storage (enterprise build) through the generated client against the `ee` stub:
off on a fresh node, then this node's site holding every storage; sites, storages and
changes of their replica sets, with the broker's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_server_stub.backend.durable_storage.state import site_of

OTHER = "0123456789ABCDEF"


@pytest.fixture()
def ds_on(ee_stub: Any) -> Iterator[str]:
    """Durable storage on (this node's site, and a site of another node) for one test."""
    ee_stub.backend.enable_durable_storage()
    ee_stub.backend.add_ds_site(OTHER, "emqx@10.0.0.2")
    yield site_of(ee_stub.backend.node)
    ee_stub.backend.enable_durable_storage(False)


def test_every_operation_answers_404_while_durable_storage_is_off(ee_client: Any) -> None:
    ds = ee_client.durable_storage
    for call, kwargs in (
        (ds.list_sites, {}),
        (ds.get_site, {"site": OTHER}),
        (ds.list_storages, {}),
        (ds.get_storage, {"ds": "messages"}),
        (ds.replicas.list, {"ds": "messages"}),
        (ds.replicas.update, {"ds": "messages", "body": [OTHER]}),
        (ds.replicas.add, {"ds": "messages", "site": OTHER}),
        (ds.replicas.remove, {"ds": "messages", "site": OTHER}),
    ):
        with pytest.raises(emqx_client.NotFoundError) as off:
            call(**kwargs)
        assert (off.value.code, off.value.message) == ("NOT_FOUND", "Durable storage is disabled")


def test_sites_and_storages(ee_client: Any, ee_stub: Any, ds_on: str) -> None:
    ds = ee_client.durable_storage
    assert ds.list_sites() == [ds_on, OTHER]
    assert len(ds_on) == 16 and ds_on == ds_on.upper()
    site = ds.get_site(site=ds_on)
    assert (site.node, site.up) == (ee_stub.backend.node, True)
    assert len(site.shards) == 32  # 16 shards of each of the two storages
    assert (site.shards[0].storage, site.shards[0].id, site.shards[0].status) == (
        "emqx_persistent_session",
        "0",
        "up",
    )
    other = ds.get_site(site=OTHER)
    assert (other.node, other.up, other.shards) == ("emqx@10.0.0.2", False, [])
    with pytest.raises(emqx_client.NotFoundError) as missing:
        ds.get_site(site="NOPE")
    assert missing.value.message == "Site not found: NOPE"
    assert ds.list_storages() == ["emqx_persistent_session", "messages"]
    storage = ds.get_storage(ds="messages")
    assert storage.name == "messages" and [s.id for s in storage.shards][:3] == ["0", "1", "2"]
    assert [(r.site, str(r.status)) for r in storage.shards[0].replicas] == [(ds_on, "up")]
    with pytest.raises(emqx_client.NotFoundError) as no_db:
        ds.get_storage(ds="nope")
    assert no_db.value.message == "DB 'nope' does not exist"


def test_replica_sets_change(ee_client: Any, ds_on: str) -> None:
    ds = ee_client.durable_storage
    assert ds.replicas.list(ds="messages") == [ds_on]
    assert ds.replicas.add(ds="messages", site=OTHER) == "OK"
    assert ds.replicas.add(ds="messages", site=OTHER) == "OK"  # unchanged
    assert ds.replicas.list(ds="messages") == [ds_on, OTHER]
    assert ds.replicas.remove(ds="messages", site=ds_on) == "OK"
    assert ds.replicas.list(ds="messages") == [OTHER]
    assert ds.replicas.update(ds="messages", body=[ds_on]) == "OK"
    assert ds.replicas.list(ds="messages") == [ds_on]
    with pytest.raises(emqx_client.NotFoundError) as no_db:
        ds.replicas.list(ds="Nope")
    assert no_db.value.message == "DB ''Nope'' does not exist"  # ~p quotes the atom


def test_refused_changes(ee_client: Any, ds_on: str) -> None:
    ds = ee_client.durable_storage
    refusals = (
        (ds.replicas.update, {"body": ["X1", OTHER, "X2"]}, "Unknown sites: X1, X2"),
        (ds.replicas.update, {"body": []}, "Replica sets would become too small"),
        (ds.replicas.add, {"site": "X1"}, "Unknown site"),
        (ds.replicas.remove, {"site": "X1"}, "Unknown site"),
        (ds.replicas.remove, {"site": ds_on}, "Replica sets would become too small"),
    )
    for call, kwargs, message in refusals:
        with pytest.raises(emqx_client.BadRequestError) as bad:
            call(ds="messages", **kwargs)
        assert (bad.value.code, bad.value.message) == ("BAD_REQUEST", message)
    with pytest.raises(emqx_client.NotFoundError) as absent:
        ds.replicas.remove(ds="messages", site=OTHER)
    assert absent.value.message == "Site is not part of replica set"
    with pytest.raises(emqx_client.NotFoundError) as no_db:
        ds.replicas.add(ds="nope", site=OTHER)
    assert no_db.value.message == "DB 'nope' does not exist"
    assert ds.replicas.list(ds="messages") == [ds_on]
