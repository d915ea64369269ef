"""The clients with a session on the node, and their listings as last formatted."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ... import models


@dataclass
class ClientRecord:
    """A client with an in-memory session on the node, as the seeding API made it."""

    clientid: str
    username: str | None
    ip_address: str
    port: int
    proto_name: str
    proto_ver: int
    keepalive: int
    clean_start: bool
    expiry_interval: int
    connected: bool
    created_at: int
    connected_at: int
    disconnected_at: int | None
    listener: str
    mountpoint: str | None
    is_bridge: bool
    client_attrs: dict[str, str]
    peersni: str | None
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class FormattedClient:
    """A client as listed with every field, for the record it was made from; `json` is
    its JSON text as the routes answer it, made when first needed."""

    record: ClientRecord
    model: models.Client
    json: bytes | None = None
