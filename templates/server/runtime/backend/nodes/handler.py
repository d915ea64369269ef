"""Nodes: the single node of this stub, with figures from the state and the host."""

from __future__ import annotations

import os
import time

from ... import errors, models
from ..common.host import memory as _memory
from ..common.version import VERSION
from ..metrics.counters import counters, stats
from ..state import State

_KB, _MB, _GB = 1024, 1024**2, 1024**3


def kmg(size: int) -> str:
    """A byte count as the broker writes it: two decimals with K, M or G."""
    for unit, suffix in ((_GB, "G"), (_MB, "M"), (_KB, "K")):
        if size > unit:
            return f"{size / unit:.2f}{suffix}"
    return str(size)


def _loads() -> tuple[float, float, float]:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return 0.0, 0.0, 0.0
    return round(one, 2), round(five, 2), round(fifteen, 2)


def _max_fds() -> int:
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return 1048576
    return soft if soft > 0 else 1048576


def node_info(state: State) -> models.NodeInfo:
    total, used = _memory()
    load1, load5, load15 = _loads()
    with state.lock:
        clients = len(state.clients)
        live = sum(1 for c in state.clients.values() if c.connected)
    return models.NodeInfo(
        node=state.node,
        node_status=models.NodeInfoNodeStatus.RUNNING,
        role=models.NodeInfoRole.CORE,
        connections=clients,
        live_connections=live,
        cluster_sessions=clients,
        load1=load1,
        load5=load5,
        load15=load15,
        max_fds=_max_fds(),
        memory_total=kmg(total),
        memory_used=kmg(used),
        otp_release="26.2.5.2-1/14.2.5.2",
        process_available=2097152,
        process_used=600 + 2 * clients,
        uptime=int((time.time() - state.started_at) * 1000),
        version=VERSION,
        edition=models.NodeInfoEdition.OPENSOURCE,
        sys_path="/opt/emqx",
        log_path="/opt/emqx/log",
    )


class NodesApi:
    """NodesHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _check(self, node: str) -> None:
        if node != self._state.node:
            raise errors.not_found(f"Node not found: {node}", status=404)

    async def list_nodes(self) -> list[models.NodeInfo]:
        return [node_info(self._state)]

    async def get_node(self, *, node: str) -> models.NodeInfo:
        self._check(node)
        return node_info(self._state)

    async def get_node_metrics(self, *, node: str) -> models.MetricCounters:
        self._check(node)
        return models.MetricCounters.model_validate(counters(self._state))

    async def get_node_stats(self, *, node: str) -> models.StatValues:
        self._check(node)
        return models.StatValues.model_validate(stats(self._state))
