"""Durable storage's state, straight (no HTTP): off on a fresh node, then this node's site
holding every storage."""

from __future__ import annotations

from emqx_server_stub.backend.durable_storage.state import STORAGES, site_of
from emqx_server_stub.backend.state import State


def test_durable_storage_is_off_on_a_fresh_node() -> None:
    state = State(node="n@h", edition="ee")
    assert (state.durable_storage.enabled, state.durable_storage.sites) == (False, {})
    assert State(node="m@h").durable_storage is not state.durable_storage


def test_enabling_gives_the_node_a_site_that_holds_every_storage() -> None:
    state = State(node="n@h", edition="ee")
    state.durable_storage.enable("n@h")
    site = site_of("n@h")
    assert len(site) == 16 and int(site, 16) >= 0 and site == site.upper()
    assert site != site_of("m@h")
    assert state.durable_storage.sites == {site: "n@h"}
    assert state.durable_storage.replicas == {name: [site] for name in STORAGES}
    state.durable_storage.replicas["messages"].append("OTHER")
    state.durable_storage.enable("n@h")  # again: the replica sets stay as they are
    assert state.durable_storage.replicas["messages"] == [site, "OTHER"]
