"""Cluster: membership of this node's cluster, invitations (waited for or in the
background) and forcing nodes out.

The stub knows no network: a node can join only if it was seeded as a reachable
standalone node (`InMemoryBackend.add_standalone_node`); any other name behaves like a
node that is down. This node is the cluster's coordinator; every node is a core node
without replicants.
"""

from __future__ import annotations

from ... import errors, models
from ..cluster_links.ops import ClusterLinksOps
from ..common.clock import dt_ms, now_ms
from ..state import State
from .members import running_nodes, settle
from .state import Invitation

MIN_INVITE_TIMEOUT = 5000
# How long a background invitation runs before its outcome is known.
INVITE_ASYNC_MS = 500


def _atom(node: str) -> str:
    """A node name as Erlang prints the atom (quoted: it holds `@`)."""
    return "'" + node.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _join(state: State, node: str) -> str | None:
    """Let `node` join this node's cluster; None on success, else the printed error."""
    cluster = state.cluster
    if node in cluster.members:
        return f"{{already_in_cluster,{_atom(state.node)}}}"
    if node not in cluster.standalone:
        return "nodedown"
    cluster.standalone.remove(node)
    cluster.members.append(node)
    return None


def _check_name(node: str) -> None:
    """The path parameter's validator: exactly one `@`."""
    if node.count("@") != 1:
        raise errors.bad_request("node: Bad node name", status=400)


class ClusterApi(ClusterLinksOps):
    """ClusterHandler over the shared state (the cluster links in cluster_links/)."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_cluster(self) -> models.ClusterInfo:
        nodes = running_nodes(self._state)
        return models.ClusterInfo(name=self._state.cluster.name, nodes=nodes, self=self._state.node)

    async def get_cluster_topology(self) -> list[models.ClusterCoreNode]:
        return [
            models.ClusterCoreNode(core_node=node, replicant_nodes=[])
            for node in running_nodes(self._state)
        ]

    async def get_cluster_invitation_status(self) -> models.ClusterInvitationStatus:
        succeed: list[models.ClusterInvitationSucceeded] = []
        in_progress: list[models.ClusterInvitationInProgress] = []
        failed: list[models.ClusterInvitationFailed] = []
        with self._state.lock:
            settle(self._state)
            for inv in self._state.cluster.invitations.values():
                started = dt_ms(inv.started_at)
                if not inv.done:
                    in_progress.append(
                        models.ClusterInvitationInProgress(node=inv.node, started_at=started)
                    )
                elif inv.reason is None:
                    succeed.append(
                        models.ClusterInvitationSucceeded(
                            node=inv.node, started_at=started, finished_at=dt_ms(inv.finishes_at)
                        )
                    )
                else:
                    failed.append(
                        models.ClusterInvitationFailed(
                            node=inv.node,
                            started_at=started,
                            finished_at=dt_ms(inv.finishes_at),
                            reason=inv.reason,
                        )
                    )
        return models.ClusterInvitationStatus(
            succeed=succeed, in_progress=in_progress, failed=failed
        )

    async def invite_cluster_node(
        self, *, node: str, body: models.ClusterInviteRequest | None = None
    ) -> None:
        _check_name(node)
        timeout = 15000 if body is None or body.timeout is None else body.timeout
        if timeout < MIN_INVITE_TIMEOUT:
            raise errors.bad_request("timeout cannot be less than 5000ms", status=400)
        with self._state.lock:
            settle(self._state)
            if node == self._state.node:
                raise errors.bad_request("Cannot invite self", status=400)
            problem = _join(self._state, node)
        if problem is not None:
            raise errors.bad_request(problem, status=400)

    async def invite_cluster_node_async(self, *, node: str) -> None:
        _check_name(node)
        with self._state.lock:
            settle(self._state)
            if node == self._state.node:
                raise errors.bad_request("Can't invite self", status=400)
            cluster = self._state.cluster
            current = cluster.invitations.get(node)
            if current is not None and not current.done:
                message = "The invitation task already created for this node"
                raise errors.bad_request(message, status=400)
            cluster.invitations.pop(node, None)
            now = now_ms()
            cluster.invitations[node] = Invitation(node, now, now + INVITE_ASYNC_MS)

    async def force_leave_cluster_node(self, *, node: str) -> None:
        _check_name(node)
        with self._state.lock:
            settle(self._state)
            if node == self._state.node:
                raise errors.bad_request("Can't leave self", status=400)
            cluster = self._state.cluster
            if node not in cluster.members:
                raise errors.bad_request("node_not_in_cluster", status=400)
            cluster.members.remove(node)
            cluster.standalone.append(node)
