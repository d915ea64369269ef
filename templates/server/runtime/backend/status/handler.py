"""Status: the node's liveness, as plain text or JSON."""

from __future__ import annotations

from ... import models
from ..common.version import VERSION
from ..state import State


class StatusApi:
    """StatusHandler: the node is always started and its `emqx` application running."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_status(self, *, format: str = "text") -> models.StatusJson | str:
        if format == "json":
            return models.StatusJson(
                node_name=self._state.node,
                rel_vsn=f"v{VERSION}",
                broker_status=models.StatusJsonBrokerStatus.STARTED,
                app_status=models.StatusJsonAppStatus.RUNNING,
            )
        return f"Node {self._state.node} is started\nemqx is running"
