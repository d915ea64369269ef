"""Cluster linking (enterprise build): create, read, change and delete the links to other
clusters, and read or reset their metrics.

The stub knows no network: no link ever connects, so every link is `disconnected` on
this node (the only one asked), has no routes and forwards nothing.
"""

from __future__ import annotations

from typing import Any

from ... import errors, models
from ..state import State
from .rules import name_error, topics_error
from .state import ClusterLinksState, LinkRecord, zero_forwarding

REDACTED = "******"
_NOT_FOUND = "Cluster link not found"
# emqx_cluster_link_schema "link": the defaults fill_defaults adds
_DEFAULTS: dict[str, Any] = {
    "enable": True,
    "ssl": {"enable": False},
    "pool_size": 8,
    "retry_interval": "15s",
    "max_inflight": 32,
    "resource_opts": {},
    "ps_actor_incarnation": 0,
}


def _config(body: models.ClusterLink | models.ClusterLinkUpdate) -> dict[str, Any]:
    """The body as the configuration keeps it: defaults filled in, the password in clear."""
    return {**_DEFAULTS, **body.model_dump(mode="json", exclude_none=True)}


class ClusterLinksOps:
    _state: State

    @property
    def _links(self) -> ClusterLinksState:
        return self._state.cluster_links

    def _find(self, name: str) -> LinkRecord:
        record = self._links.links.get(name)
        if record is None:
            raise errors.not_found(_NOT_FOUND)
        return record

    def _answer(self, config: dict[str, Any]) -> models.ClusterLinkInfo:
        shown = dict(config)
        if "password" in shown:
            shown["password"] = REDACTED
        status = "disconnected"
        shown["status"] = status
        shown["node_status"] = [{"node": self._state.node, "status": status}]
        return models.ClusterLinkInfo.model_validate(shown)

    async def list_cluster_links(self) -> list[models.ClusterLinkInfo]:
        with self._state.lock:
            return [self._answer(r.config) for r in self._links.links.values()]

    async def create_cluster_link(self, *, body: models.ClusterLink) -> models.ClusterLinkInfo:
        name = body.name
        with self._state.lock:
            if name in self._links.links:
                raise errors.already_exists("Cluster link already exists")
            bad_name = name_error(name)
            if bad_name is not None:
                raise errors.bad_request(bad_name)
            bad_topics = topics_error(body.topics)
            if bad_topics is not None:
                raise errors.bad_request(f"Create link failed {bad_topics}")
            config = _config(body)
            self._links.links[name] = LinkRecord(config)
            return self._answer(config)

    async def get_cluster_link(self, *, name: str) -> models.ClusterLinkInfo:
        with self._state.lock:
            return self._answer(self._find(name).config)

    async def update_cluster_link(
        self, *, name: str, body: models.ClusterLinkUpdate
    ) -> models.ClusterLinkInfo:
        with self._state.lock:
            record = self._find(name)
            bad_topics = topics_error(body.topics)
            if bad_topics is not None:
                raise errors.bad_request(f"Update link failed {bad_topics}")
            config = {**_config(body), "name": name}
            if config.get("password") == REDACTED and "password" in record.config:
                config["password"] = record.config["password"]  # deobfuscated
            record.config = config
            return self._answer(config)

    async def delete_cluster_link(self, *, name: str) -> None:
        with self._state.lock:
            self._find(name)
            del self._links.links[name]

    async def get_cluster_link_metrics(self, *, name: str) -> models.ClusterLinkMetrics:
        with self._state.lock:
            forwarding = dict(self._find(name).forwarding)
        values = {"router": {"routes": 0}, "forwarding": forwarding}
        return models.ClusterLinkMetrics.model_validate(
            {"metrics": values, "node_metrics": [{"node": self._state.node, "metrics": values}]}
        )

    async def reset_cluster_link_metrics(self, *, name: str) -> None:
        with self._state.lock:
            self._find(name).forwarding = zero_forwarding()
