"""Durable storage (enterprise build): the sites, the storages and their replica sets.

Every operation first answers 404 `Durable storage is disabled` while durable storage is
off (a fresh node; `InMemoryBackend.enable_durable_storage` turns it on), then 404
`DB '<name>' does not exist` for a storage the path names that does not exist, as the
broker's request filters do. A change of replica set takes effect at once (the broker
moves replicas in the background); every replica is `up`.
"""

from __future__ import annotations

import re

from ... import errors, models
from ..state import State
from .state import N_SHARDS, DurableStorageState

OK = "OK"
_PLAIN_ATOM = re.compile(r"[a-z][a-zA-Z0-9_@]*")
_TOO_SMALL = "Replica sets would become too small"


def _printed_atom(name: str) -> str:
    """An atom as `~p` prints it: bare when it may be, else in single quotes."""
    if _PLAIN_ATOM.fullmatch(name):
        return name
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


class DurableStorageApi:
    """DurableStorageHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _ds(self) -> DurableStorageState:
        ds = self._state.durable_storage
        if not ds.enabled:
            raise errors.not_found("Durable storage is disabled")
        return ds

    def _sites_of(self, name: str) -> list[str]:
        ds = self._ds
        sites = ds.replicas.get(name)
        if sites is None:
            raise errors.not_found(f"DB '{_printed_atom(name)}' does not exist")
        return sites

    async def list_ds_sites(self) -> list[str]:
        with self._state.lock:
            return list(self._ds.sites)

    async def get_ds_site(self, *, site: str) -> models.DsSite:
        with self._state.lock:
            ds = self._ds
            node = ds.sites.get(site)
            if node is None:
                raise errors.not_found(f"Site not found: {site}")
            shards = [
                {"storage": name, "id": str(shard), "status": "up"}
                for name in sorted(ds.replicas)
                if site in ds.replicas[name]
                for shard in range(N_SHARDS)
            ]
            up = node == self._state.node or node in self._state.cluster.members
            return models.DsSite.model_validate({"node": node, "up": up, "shards": shards})

    async def list_ds_storages(self) -> list[str]:
        with self._state.lock:
            return sorted(self._ds.replicas)

    async def get_ds_storage(self, *, ds: str) -> models.DsStorage:
        with self._state.lock:
            sites = self._sites_of(ds)
            replicas = [{"site": site, "status": "up"} for site in sites]
            shards = [{"id": str(shard), "replicas": replicas} for shard in range(N_SHARDS)]
            return models.DsStorage.model_validate({"name": ds, "shards": shards})

    async def list_ds_replicas(self, *, ds: str) -> list[str]:
        with self._state.lock:
            return list(self._sites_of(ds))

    async def update_ds_replicas(self, *, ds: str, body: list[str]) -> str:
        with self._state.lock:
            self._sites_of(ds)
            known = self._ds.sites
            unknown = [site for site in body if site not in known]
            if unknown:
                raise errors.bad_request("Unknown sites: " + ", ".join(unknown))
            if not body:
                raise errors.bad_request(_TOO_SMALL)
            self._ds.replicas[ds] = list(dict.fromkeys(body))
            return OK

    async def add_ds_replica(self, *, ds: str, site: str) -> str:
        with self._state.lock:
            sites = self._sites_of(ds)
            if site not in self._ds.sites:
                raise errors.bad_request("Unknown site")
            if site not in sites:
                sites.append(site)
            return OK

    async def remove_ds_replica(self, *, ds: str, site: str) -> str:
        with self._state.lock:
            sites = self._sites_of(ds)
            if site not in self._ds.sites:
                raise errors.bad_request("Unknown site")
            if site not in sites:
                raise errors.not_found("Site is not part of replica set")
            if sites == [site]:
                raise errors.bad_request(_TOO_SMALL)
            sites.remove(site)
            return OK
