"""Load Rebalance (enterprise build) through the generated client against the `ee` stub:
rebalances coordinated by a node, evacuations, the local and global statuses, and the
availability check, with EMQX's refusals.

The stub is shared by the session: each test adds a peer to the cluster and clients to
this node, and leaves both (and every process it started) as it found them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, LiveStub
from tests.functional.openapi_check import SpecChecker

PEER = "emqx-rb@10.0.0.7"
CLIENTS = ("rebalance-1", "rebalance-2", "rebalance-3")
# thresholds low enough that three connections against none need balancing
TIGHT = {"abs_conn_threshold": 1, "rel_conn_threshold": 1.01}


@pytest.fixture()
def peer(ee_client: Any, ee_stub: LiveStub) -> Iterator[str]:
    """A second running node (holding no clients), and three clients on this node."""
    ee_stub.backend.add_standalone_node(PEER)
    ee_client.cluster.invite_node(node=PEER, body={"timeout": 5000})
    for clientid in CLIENTS:
        ee_stub.backend.add_client(clientid)
    try:
        yield PEER
    finally:
        for clientid in CLIENTS:
            ee_client.clients.kick(clientid=clientid)
        ee_client.cluster.force_leave_node(node=PEER)


def _error(kind: type[Exception], call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(kind) as info:
        call(**kwargs)
    error: Any = info.value
    return str(error.code), str(error.message)


def test_nothing_under_way_on_a_fresh_node(ee_client: Any, ee_stub: LiveStub) -> None:
    lr = ee_client.load_rebalance
    assert isinstance(lr.get_rebalance_status(), models.RebalanceLocalDisabled)
    overall = lr.get_rebalance_global_status()
    assert (overall.rebalances, overall.evacuations, overall.purges) == ([], [], [])
    assert lr.check_rebalance_availability().model_dump() == {}
    # no credentials needed: load balancers poll it
    with emqx_client.Client(base_url=ee_stub.base_url, max_retries=0) as anonymous:
        assert anonymous.load_rebalance.check_rebalance_availability().model_dump() == {}


def test_commands_name_a_running_node(ee_client: Any) -> None:
    lr = ee_client.load_rebalance
    for call, kwargs in (
        (lr.start_rebalance, {"body": {}}),
        (lr.stop_rebalance, {}),
        (lr.start_evacuation, {"body": {}}),
        (lr.stop_evacuation, {}),
    ):
        code, message = _error(emqx_client.NotFoundError, call, node="nobody@10.9.9.9", **kwargs)
        assert (code, message) == ("NOT_FOUND", "Node not found: nobody@10.9.9.9")


def test_a_lone_node_has_nothing_to_balance(ee_client: Any, ee_stub: LiveStub) -> None:
    node = ee_stub.backend.node
    lr = ee_client.load_rebalance
    assert _error(emqx_client.BadRequestError, lr.start_rebalance, node=node, body={}) == (
        "BAD_REQUEST",
        f"error on node '{node}': nothing_to_balance",
    )
    assert _error(emqx_client.BadRequestError, lr.stop_rebalance, node=node) == (
        "BAD_REQUEST",
        f"error on node '{node}': not_started",
    )
    assert _error(emqx_client.BadRequestError, lr.stop_evacuation, node=node) == (
        "BAD_REQUEST",
        f"error on node '{node}': not_started",
    )


def test_bodies_are_checked(
    ee_client: Any, ee_stub: LiveStub, checker: SpecChecker, peer: str
) -> None:
    node = ee_stub.backend.node
    lr = ee_client.load_rebalance
    unknown = {"nodes": [node, "ghost@10.9.9.9", "spook@10.9.9.9"]}
    assert _error(emqx_client.BadRequestError, lr.start_rebalance, node=node, body=unknown) == (
        "BAD_REQUEST",
        'Invalid nodes: [<<"spook@10.9.9.9">>,<<"ghost@10.9.9.9">>]',
    )
    code, message = _error(
        emqx_client.BadRequestError,
        lr.start_evacuation,
        node=node,
        body={"wait_health_check": "soon"},
    )
    assert code == "BAD_REQUEST" and "Not a valid duration" in message
    code, message = _error(
        emqx_client.BadRequestError,
        lr.start_rebalance,
        node=node,
        body={"wait_takeover": "5000000s"},
    )
    assert code == "BAD_REQUEST" and "timeout value too large (max: 4294967 s)" in message
    # sent raw: the client itself refuses bodies outside the schema
    with httpx.Client(auth=(API_KEY, SECRET), event_hooks={"response": [checker.check]}) as raw:
        for path, body in (
            ("start", {"rel_conn_threshold": 1.0}),
            ("start", {"nodes": []}),
            ("evacuation/start", {"migrate_to": []}),
            ("evacuation/start", {"conn_evict_rate": 0}),
        ):
            answer = raw.post(f"{ee_stub.base_url}/load_rebalance/{node}/{path}", json=body)
            assert answer.status_code == 400 and answer.json()["code"] == "BAD_REQUEST", body
    # a known node that left the cluster is unavailable (400, NOT_FOUND)
    ee_client.cluster.force_leave_node(node=peer)
    try:
        code, message = _error(
            emqx_client.BadRequestError, lr.start_evacuation, node=node, body={"migrate_to": [peer]}
        )
    finally:
        ee_client.cluster.invite_node(node=peer, body={"timeout": 5000})
    assert (code, message) == ("NOT_FOUND", f"Nodes unavailable: ['{peer}']")


def test_rebalance_runs_from_start_to_stop(ee_client: Any, ee_stub: LiveStub, peer: str) -> None:
    node = ee_stub.backend.node
    lr = ee_client.load_rebalance
    body = {**TIGHT, "conn_evict_rate": 7, "sess_evict_rate": 9, "wait_health_check": "1h"}
    assert lr.start_rebalance(node=node, body=body).model_dump() == {}
    try:
        again = _error(emqx_client.BadRequestError, lr.start_rebalance, node=node, body=body)
        assert again == ("BAD_REQUEST", f"error on node '{node}': already_started")
        local = lr.get_rebalance_status()
        assert isinstance(local, models.RebalanceLocalEnabled)
        assert (local.process, local.state, local.coordinator_node) == (
            "rebalance",
            "wait_health_check",
            node,
        )
        assert (local.connection_eviction_rate, local.session_eviction_rate) == (7, 9)
        assert local.recipients == [peer] and local.connection_goal is None
        assert local.stats is not None and local.stats.initial_connected >= len(CLIENTS)
        overall = lr.get_rebalance_global_status()
        [entry] = overall.rebalances
        assert (entry.node, entry.donors, entry.recipients) == (node, [node], [peer])
        # the donor's eviction agent is on: no new clients, no evacuation
        code, message = _error(emqx_client.ServiceUnavailableError, lr.check_rebalance_availability)
        assert (code, message) == ("NODE_EVACUATING", "Node Evacuating")
        eviction = ee_client.node_eviction.get_status()
        assert isinstance(eviction, models.NodeEvictionEnabled)
        busy = _error(emqx_client.BadRequestError, lr.start_evacuation, node=node, body={})
        assert busy == ("BAD_REQUEST", f"error on node '{node}': eviction_agent_busy")
    finally:
        assert lr.stop_rebalance(node=node).model_dump() == {}
    assert isinstance(lr.get_rebalance_status(), models.RebalanceLocalDisabled)
    assert lr.get_rebalance_global_status().rebalances == []
    assert lr.check_rebalance_availability().model_dump() == {}


def test_rebalance_evicts_after_the_health_check(
    ee_client: Any, ee_stub: LiveStub, peer: str
) -> None:
    node = ee_stub.backend.node
    lr = ee_client.load_rebalance
    lr.start_rebalance(node=node, body={**TIGHT, "wait_health_check": 0, "nodes": [peer, node]})
    try:
        [entry] = lr.get_rebalance_global_status().rebalances
        assert entry.state == "evicting_conns"
        # the checked list is passed on reversed, as EMQX folds it
        assert (entry.donors, entry.recipients) == ([node], [peer])
        assert entry.connection_goal == 0.0
        assert entry.donor_conn_avg is not None and entry.donor_conn_avg >= len(CLIENTS)
        local = lr.get_rebalance_status()
        assert isinstance(local, models.RebalanceLocalEnabled) and local.connection_goal == 0.0
    finally:
        lr.stop_rebalance(node=node)


def test_evacuation_of_this_node(ee_client: Any, ee_stub: LiveStub, peer: str) -> None:
    node = ee_stub.backend.node
    lr = ee_client.load_rebalance
    body = {"wait_health_check": "0s", "conn_evict_rate": 50, "migrate_to": [peer]}
    assert lr.start_evacuation(node=node, body=body).model_dump() == {}
    try:
        again = _error(emqx_client.BadRequestError, lr.start_evacuation, node=node, body=body)
        assert again == ("BAD_REQUEST", f"error on node '{node}': already_started")
        local = lr.get_rebalance_status()
        assert isinstance(local, models.RebalanceLocalEnabled)
        assert (local.process, local.state, local.session_recipients) == (
            "evacuation",
            "evicting_conns",  # the stub moves no client: the connections stay
            [peer],
        )
        assert (local.connection_eviction_rate, local.session_eviction_rate) == (50, 500)
        assert (local.connection_goal, local.session_goal) == (0, 0)
        [entry] = lr.get_rebalance_global_status().evacuations
        assert (entry.node, entry.state) == (node, "evicting_conns")
        with pytest.raises(emqx_client.ServiceUnavailableError):
            lr.check_rebalance_availability()
        # an evicting node is no rebalance target; a rebalance that needs it as a donor
        # crashes its coordinator
        code, message = _error(
            emqx_client.BadRequestError, lr.start_rebalance, node=peer, body={"nodes": [node]}
        )
        assert (code, message) == ("NOT_FOUND", f"Nodes unavailable: ['{node}']")
        code, message = _error(
            emqx_client.ServiceUnavailableError, lr.start_rebalance, node=peer, body=TIGHT
        )
        assert code == "RPC_ERROR" and message.startswith(f"RPC error on node '{peer}': ")
        assert "eviction_agent_busy" in message
    finally:
        assert lr.stop_evacuation(node=node).model_dump() == {}
    assert isinstance(lr.get_rebalance_status(), models.RebalanceLocalDisabled)
    assert isinstance(ee_client.node_eviction.get_status(), models.NodeEvictionDisabled)


def test_evacuation_of_an_empty_node_ends_prohibiting(
    ee_client: Any, ee_stub: LiveStub, peer: str
) -> None:
    node = ee_stub.backend.node
    lr = ee_client.load_rebalance
    lr.start_evacuation(node=peer, body={"wait_health_check": 0, "wait_takeover": 0})
    try:
        [entry] = lr.get_rebalance_global_status().evacuations
        assert (entry.node, entry.state, entry.session_recipients) == (peer, "prohibiting", [node])
        assert (entry.stats.initial_connected, entry.stats.current_sessions) == (0, 0)
        # this node is not the one evacuated
        assert isinstance(lr.get_rebalance_status(), models.RebalanceLocalDisabled)
        assert lr.check_rebalance_availability().model_dump() == {}
    finally:
        lr.stop_evacuation(node=peer)
    assert lr.get_rebalance_global_status().evacuations == []
