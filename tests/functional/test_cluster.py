"""Cluster: membership, synchronous and background invitations, forcing nodes out.

Every test leaves the cluster as it found it (this node alone), since the stub is
shared by the whole session.
"""

from __future__ import annotations

import time
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub


def _bad_request(call: Any, **kwargs: Any) -> str:
    with pytest.raises(emqx_client.BadRequestError) as info:
        call(**kwargs)
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    return str(info.value.message)


def test_cluster_name_nodes_and_topology(client: Any, stub: LiveStub) -> None:
    info = client.cluster.get()
    assert info.name == "emqxcl"
    assert info.self == stub.backend.node
    assert info.nodes == [stub.backend.node]
    topology = client.cluster.get_topology()
    assert [(t.core_node, t.replicant_nodes) for t in topology] == [(stub.backend.node, [])]


def test_invite_waits_and_force_leave_removes(client: Any, stub: LiveStub) -> None:
    peer, down = "emqx-b@10.0.0.2", "emqx-z@10.0.0.99"
    stub.backend.add_standalone_node(peer)
    cluster = client.cluster

    message = _bad_request(cluster.invite_node, node=peer, body={"timeout": 4999})
    assert message == "timeout cannot be less than 5000ms"
    assert _bad_request(cluster.invite_node, node=stub.backend.node, body={}) == (
        "Cannot invite self"
    )
    assert _bad_request(cluster.invite_node, node=down, body={}) == "nodedown"
    _bad_request(cluster.invite_node, node="no-at-sign", body={})
    _bad_request(cluster.invite_node, node="a@b@c", body={})

    cluster.invite_node(node=peer, body={"timeout": 5000})
    assert cluster.get().nodes == [stub.backend.node, peer]
    assert [t.core_node for t in cluster.get_topology()] == [stub.backend.node, peer]
    again = _bad_request(cluster.invite_node, node=peer, body={"timeout": 6000})
    assert again == f"{{already_in_cluster,'{stub.backend.node}'}}"

    cluster.force_leave_node(node=peer)
    assert cluster.get().nodes == [stub.backend.node]
    assert _bad_request(cluster.force_leave_node, node=peer) == "node_not_in_cluster"
    assert _bad_request(cluster.force_leave_node, node=stub.backend.node) == ("Can't leave self")
    # A node that left can be invited again; an empty body means the default timeout.
    cluster.invite_node(node=peer, body={})
    assert peer in cluster.get().nodes
    cluster.force_leave_node(node=peer)


def test_background_invitations_report_their_outcome(client: Any, stub: LiveStub) -> None:
    peer, down = "emqx-c@10.0.0.3", "emqx-y@10.0.0.98"
    stub.backend.add_standalone_node(peer)
    cluster = client.cluster

    cluster.invite_node_async(node=peer)
    cluster.invite_node_async(node=down)
    message = _bad_request(cluster.invite_node_async, node=peer)
    assert message == "The invitation task already created for this node"
    assert _bad_request(cluster.invite_node_async, node=stub.backend.node) == ("Can't invite self")
    running = cluster.get_invitation_status()
    assert {i.node for i in running.in_progress} == {peer, down}
    assert running.succeed == [] and running.failed == []

    time.sleep(0.7)
    done = cluster.get_invitation_status()
    assert done.in_progress == []
    [joined] = done.succeed
    assert joined.node == peer and joined.finished_at >= joined.started_at
    [failed] = done.failed
    assert (failed.node, failed.reason) == (down, "{error,{badrpc,nodedown}}")
    assert cluster.get().nodes == [stub.backend.node, peer]

    # A finished invitation may be started again; a member counts as joined.
    cluster.invite_node_async(node=peer)
    time.sleep(0.7)
    assert peer in {i.node for i in cluster.get_invitation_status().succeed}
    cluster.force_leave_node(node=peer)
    assert cluster.get().nodes == [stub.backend.node]
