"""ExHook: the gRPC servers the broker calls on its hooks, kept in calling order.

The stub cannot reach gRPC servers: an enabled server shows as `connected` and a
disabled one as `disconnected`, every counter stays at zero and no server ever
registers hooks, so the hook lists are empty.
"""

from __future__ import annotations

from ... import errors, models
from ..state import State

_NOT_FOUND = "Server not found"


def _zero() -> models.ExhookMetrics:
    return models.ExhookMetrics(succeed=0, failed=0, rate=0, max_rate=0)


def _filled(body: models.ExhookServer) -> models.ExhookServer:
    """The configuration as the broker stores it, with the defaults filled in."""
    server = body.model_copy(deep=True)
    if server.socket_options is None:
        server.socket_options = models.ExhookSocketOptions(keepalive=True, nodelay=True)
    if server.auto_reconnect is None:
        server.auto_reconnect = "60s"
    return server


class ExhookApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _servers(self) -> list[models.ExhookServer]:
        return self._state.exhook.servers

    def _index(self, name: str) -> int | None:
        for i, server in enumerate(self._servers):
            if server.name == name:
                return i
        return None

    def _info(self, server: models.ExhookServer) -> models.ExhookServerInfo:
        node = self._state.node
        status = "connected" if server.enable else "disconnected"
        info = models.ExhookServerInfo(
            name=server.name,
            enable=server.enable,
            url=server.url,
            request_timeout=server.request_timeout,
            failed_action=models.ExhookServerInfoFailedAction(server.failed_action.value),
            socket_options=server.socket_options
            or models.ExhookSocketOptions(keepalive=True, nodelay=True),
            auto_reconnect="60s" if server.auto_reconnect is None else server.auto_reconnect,
            pool_size=server.pool_size,
            metrics=_zero(),
            node_metrics=[models.ExhookNodeMetrics(node=node, metrics=_zero())],
            node_status=[models.ExhookNodeStatus(node=node, status=models.ExhookNodeState(status))],
            hooks=[],
        )
        if server.ssl is not None:  # left out of the answer when not configured
            info.ssl = server.ssl
        return info

    def _get(self, name: str) -> models.ExhookServer:
        i = self._index(name)
        if i is None:
            raise errors.bad_request(_NOT_FOUND, status=404)
        return self._servers[i]

    async def list_exhook_servers(self) -> list[models.ExhookServerInfo]:
        with self._state.lock:
            return [self._info(s) for s in self._servers]

    async def create_exhook_server(self, *, body: models.ExhookServer) -> models.ExhookServerInfo:
        with self._state.lock:
            if self._index(body.name) is not None:
                raise errors.bad_request("Already exists")
            server = _filled(body)
            self._servers.append(server)
            return self._info(server)

    async def get_exhook_server(self, *, name: str) -> models.ExhookServerInfo:
        with self._state.lock:
            return self._info(self._get(name))

    async def update_exhook_server(
        self, *, name: str, body: models.ExhookServer
    ) -> models.ExhookServerInfo:
        with self._state.lock:
            i = self._index(name)
            if i is None:
                raise errors.not_found(_NOT_FOUND, status=404)
            server = _filled(body)
            server.name = name  # the path names the server
            self._servers[i] = server
            return self._info(server)

    async def delete_exhook_server(self, *, name: str) -> None:
        with self._state.lock:
            i = self._index(name)
            if i is None:
                raise errors.bad_request(_NOT_FOUND, status=404)
            del self._servers[i]

    async def list_exhook_server_hooks(self, *, name: str) -> list[models.ExhookHookInfo]:
        with self._state.lock:
            if self._index(name) is None:
                raise errors.bad_request(_NOT_FOUND)
            return []  # a stub server never registers hooks

    async def move_exhook_server(self, *, name: str, body: models.ExhookMovePosition) -> None:
        position = body.position
        kind, _, target = position.partition(":")
        if position not in ("front", "rear") and not (kind in ("before", "after") and target):
            raise errors.bad_request("Invalid Position")
        with self._state.lock:
            i = self._index(name)
            if i is None:
                raise errors.bad_request(_NOT_FOUND, status=404)
            rest = self._servers[:i] + self._servers[i + 1 :]
            server = self._servers[i]
            if position == "front":
                new = [server, *rest]
            elif position == "rear":
                new = [*rest, server]
            else:
                at = next((j for j, s in enumerate(rest) if s.name == target), None)
                if at is None:
                    raise errors.bad_rpc(f"Move target {target} not found")
                at += 1 if kind == "after" else 0
                new = [*rest[:at], server, *rest[at:]]
            self._servers[:] = new
