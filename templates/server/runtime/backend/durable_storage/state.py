"""The durable storages of durable sessions as the builtin_raft metadata holds them: the
known sites (each the storage identity of one node) and, per storage, the sites its
shards' replicas are assigned to. Off on a fresh node, as durable sessions are."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# emqx_persistent_message's storage and the sessions' state (emqx_persistent_session)
STORAGES = ("emqx_persistent_session", "messages")
N_SHARDS = 16  # builtin_raft's default n_shards


def site_of(node: str) -> str:
    """A node's site id: 16 upper-case hex digits (the broker draws them at random once;
    the stub derives them from the node's name)."""
    return hashlib.sha256(node.encode()).hexdigest()[:16].upper()


@dataclass
class DurableStorageState:
    enabled: bool = False
    # site -> the node that holds it
    sites: dict[str, str] = field(default_factory=dict)
    # storage -> the sites holding its replicas (every shard alike), in assignment order
    replicas: dict[str, list[str]] = field(default_factory=dict)

    def enable(self, node: str) -> None:
        """Start durable storage on `node`: its site holds every storage."""
        self.enabled = True
        site = site_of(node)
        self.sites.setdefault(site, node)
        for name in STORAGES:
            self.replicas.setdefault(name, [site])
