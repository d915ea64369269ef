"""Gateway clients: the channels connected through the gateways (STOMP, MQTT-SN, CoAP,
LwM2M, ExProto), their subscriptions, and what LwM2M and CoAP devices answer.

Clients arrive over the gateway protocols, never through the API, so only the seeding
functions here create them. They belong to the gateway record they were seeded under:
once that gateway is unloaded (or loaded anew), its old clients are gone, as their
channels would be.
"""

from __future__ import annotations

from datetime import datetime

from ... import errors
from ..common.clock import now_ms, to_epoch_ms
from ..common.net import ntoa
from ..gateways.defaults import gateway_with_defaults
from ..gateways.state import gateway_names, require_served
from ..state import State
from .state import PROTOCOLS, GatewayClient, _Bucket

# proto_name and default proto_ver per gateway, as each channel sets them.


def _mount(template: str, clientid: str, username: str | None, endpoint: str | None) -> str:
    values = {"clientid": clientid, "username": username or "", "endpoint_name": endpoint or ""}
    for key, value in values.items():
        template = template.replace("${" + key + "}", value)
    return template


def clients_of(state: State, name: str) -> dict[str, GatewayClient] | None:
    """The clients of a loaded gateway (None if it is not loaded); call under the lock."""
    require_served(state.edition, name)
    record = state.gateways.loaded.get(name)
    store = state.gateway_clients
    bucket = store.buckets.get(name)
    if record is None:
        store.buckets.pop(name, None)
        return None
    if bucket is None or bucket.record is not record:
        bucket = store.buckets[name] = _Bucket(record)
    return bucket.clients


def loaded_clients(state: State, name: str) -> dict[str, GatewayClient]:
    """The clients of a loaded gateway; 404 `Gateway not loaded` otherwise."""
    clients = clients_of(state, name)
    if clients is None:
        raise errors.resource_not_found("Gateway not loaded")
    return clients


def connected_device(state: State, gateway: str, clientid: str) -> GatewayClient:
    """A LwM2M or CoAP channel by client id, as the command APIs find it: 404
    CLIENT_NOT_FOUND (no message) when there is none, gateway loaded or not."""
    client = (clients_of(state, gateway) or {}).get(clientid)
    if client is None:
        raise errors.client_not_found()
    return client


def seed_client(
    state: State,
    gateway: str,
    clientid: str,
    *,
    username: str | None = None,
    ip_address: str = "127.0.0.1",
    port: int | None = None,
    proto_ver: str | None = None,
    keepalive: int = 0,
    clean_start: bool = True,
    expiry_interval: int = 0,
    connected: bool = True,
    mountpoint: str | None = None,
    endpoint_name: str | None = None,
    lifetime: int | None = None,
    responsive: bool = True,
    created_at: datetime | None = None,
) -> None:
    """Connect a client to a loaded gateway (KeyError if it is not loaded)."""
    if gateway not in gateway_names(state.edition):
        raise KeyError(gateway)
    with state.lock:
        clients = clients_of(state, gateway)
        if clients is None:
            raise KeyError(gateway)
        record = state.gateways.loaded[gateway]
        if gateway == "lwm2m":
            endpoint_name = endpoint_name or clientid
            lifetime = 86400 if lifetime is None else lifetime
        if mountpoint is None:
            template = gateway_with_defaults(gateway, record.config).get("mountpoint", "")
            mountpoint = _mount(str(template), clientid, username, endpoint_name)
        at = now_ms() if created_at is None else to_epoch_ms(created_at)
        clients.pop(clientid, None)
        clients[clientid] = GatewayClient(
            gateway=gateway,
            clientid=clientid,
            username=username,
            ip_address=ntoa(ip_address),
            port=port if port is not None else 50000 + len(clients) % 10000,
            proto_ver=proto_ver or PROTOCOLS[gateway][1],
            keepalive=keepalive,
            clean_start=clean_start,
            expiry_interval=expiry_interval,
            connected=connected,
            created_at=at,
            connected_at=at,
            mountpoint=mountpoint,
            endpoint_name=endpoint_name,
            lifetime=lifetime,
            responsive=responsive,
        )


def seeded(state: State, gateway: str, clientid: str) -> GatewayClient:
    """A seeded client (KeyError if unknown); call under the lock."""
    client = (clients_of(state, gateway) or {}).get(clientid)
    if client is None:
        raise KeyError(clientid)
    return client
