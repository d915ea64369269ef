"""The seeding methods of InMemoryBackend for the gateways: load or unload a gateway, and
connect a client to it over its protocol (with its subscriptions and, for LwM2M and CoAP,
what the device answers), as if it had happened on the broker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .coap_gateways import handler as coap_gateways
from .gateway_clients.handler import subscribe
from .gateway_clients.store import seed_client, seeded
from .gateways.defaults import REQUIRED_SAMPLE
from .gateways.state import GatewayRecord, gateway_names
from .lwm2m_gateways import handler as lwm2m_gateways
from .state import State


class GatewaySeeding:
    """Mixed into InMemoryBackend, whose `_state` it seeds."""

    _state: State

    def load_gateway(
        self,
        name: str,
        config: dict[str, Any] | None = None,
        listeners: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Load a gateway (replacing it if loaded) with its settings by wire names and its
        listeners by id (`{name}:{type}:{listener}`), as if it had been configured. Settings
        the gateway requires and `config` leaves out (LwM2M's `xml_dir` and `translators`,
        ExProto's `server` and `handler`) get sample values."""
        if name not in gateway_names(self._state.edition):
            raise KeyError(name)
        record = GatewayRecord(
            name=name,
            config={**REQUIRED_SAMPLE.get(name, {}), **(config or {"enable": True})},
            listeners={key: dict(value) for key, value in (listeners or {}).items()},
        )
        with self._state.lock:
            self._state.gateways.loaded[name] = record

    def add_gateway_client(
        self,
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
        """Connect a client to a loaded gateway over its protocol (replacing one with the
        same id; KeyError if the gateway is not loaded). The mountpoint defaults to the
        gateway's, placeholders filled in; LwM2M devices default to their client id as
        endpoint name and a lifetime of 86400 s. A device with `responsive=False` never
        answers LwM2M commands or CoAP requests."""
        seed_client(
            self._state,
            gateway,
            clientid,
            username=username,
            ip_address=ip_address,
            port=port,
            proto_ver=proto_ver,
            keepalive=keepalive,
            clean_start=clean_start,
            expiry_interval=expiry_interval,
            connected=connected,
            mountpoint=mountpoint,
            endpoint_name=endpoint_name,
            lifetime=lifetime,
            responsive=responsive,
            created_at=created_at,
        )

    def add_gateway_subscription(
        self, gateway: str, clientid: str, topic: str, *, qos: int = 0, subid: str | None = None
    ) -> None:
        """Subscribe a seeded gateway client as if it had subscribed over its protocol
        (`topic` without the mountpoint; KeyError if the client is unknown)."""
        request: dict[str, Any] = {"qos": qos}
        if subid is not None:
            request["sub_props"] = {"subid": subid}
        with self._state.lock:
            subscribe(seeded(self._state, gateway, clientid), topic, request)

    def set_lwm2m_resource(self, clientid: str, path: str, value: Any) -> None:
        """Give a seeded LwM2M device a resource value, which `read` and `observe` answer."""
        lwm2m_gateways.set_resource(self._state, clientid, path, value)

    def record_lwm2m_reply(
        self,
        clientid: str,
        path: str,
        action: str,
        code: str,
        code_msg: str,
        content: list[dict[str, Any]] | None = None,
    ) -> None:
        """Record a LwM2M device's reply to a command (e.g. a `discover`), as the gateway
        does when the reply arrives; `GET .../lookup` then answers it."""
        lwm2m_gateways.record_reply(self._state, clientid, path, action, code, code_msg, content)

    def set_coap_reply(self, clientid: str, code: str, payload: str | None = None) -> None:
        """Make a seeded CoAP client answer requests with this response code (as EMQX
        prints it, e.g. `{error,not_found}`) and payload (None: echo the request's)."""
        coap_gateways.set_reply(self._state, clientid, code, payload)

    def unload_gateway(self, name: str) -> None:
        """Unload a gateway (with its listeners and authenticators), as if it had been
        taken out of the configuration; nothing happens when it is not loaded."""
        with self._state.lock:
            self._state.gateways.loaded.pop(name, None)
