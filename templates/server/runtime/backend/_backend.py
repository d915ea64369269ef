"""InMemoryBackend: the shared state, the authenticator, the seeding API and the handlers."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from ..handlers import EDITIONS, Edition, Handlers
from ._handlers import build_handlers
from .alarms import handler as alarms
from .api_keys import handler as api_keys
from .audit import handler as audit_area
from .banned import handler as banned
from .clients import handler as clients
from .cluster import members as cluster_area
from .coap_gateways import handler as coap_gateways
from .dashboard import handler as dashboard
from .dashboard_single_sign_on.flows import saml_response
from .durable_storage.state import DurableStorageState
from .file_transfer.state import ExportedFile
from .gateway_clients.handler import subscribe
from .gateway_clients.store import seed_client, seeded
from .gateways.defaults import REQUIRED_SAMPLE
from .gateways.state import GatewayRecord, gateway_names
from .lwm2m_gateways import handler as lwm2m_gateways
from .plugins.handler import allow_installation
from .publish import handler as publish
from .publish.state import PublishedMessage
from .seed import DATASETS
from .state import State
from .trace import handler as trace_area


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


class InMemoryBackend:
    """A stateful imitation of one EMQX 5.8.9 node, kept in memory.

    `api_key`/`secret_key` are the bootstrap credentials for HTTP Basic; API keys made
    with `POST /api_key` work too. The dashboard user `admin` / `public` exists, as on a
    fresh broker. Seed clients, bans, retained messages and alarms with the methods
    below, or all at once with `seed("demo")`.

    `edition` is the build imitated: "ce" (the open-source build, the default) answers the
    enterprise operations 404 as a path it does not serve; "ee" (the enterprise build)
    serves them too, and gives API keys and dashboard users their role.
    """

    def __init__(
        self,
        *,
        api_key: str,
        secret_key: str,
        node: str = "emqx@127.0.0.1",
        edition: Edition = "ce",
    ) -> None:
        if edition not in EDITIONS:
            raise ValueError(f"edition {edition!r}: expected one of {', '.join(EDITIONS)}")
        self._state = State(node=node, edition=edition)
        self._key_digest = _digest(api_key)
        self._secret_digest = _digest(secret_key)
        self._handlers = build_handlers(self, self._state, edition)
        dashboard.add_user(self._state, "admin", "public", "administrator")

    def __repr__(self) -> str:
        return f"InMemoryBackend(node={self._state.node!r}, edition={self.edition!r})"

    @property
    def node(self) -> str:
        return self._state.node

    @property
    def edition(self) -> Edition:
        return self._handlers.edition

    def handlers(self) -> Handlers:
        return self._handlers

    # -- Authenticator ------------------------------------------------------------------

    def check_basic(self, api_key: str, secret_key: str) -> bool:
        dashboard.forget_current_token(self._state)
        key_ok = hmac.compare_digest(_digest(api_key), self._key_digest)
        secret_ok = hmac.compare_digest(_digest(secret_key), self._secret_digest)
        if key_ok and secret_ok:
            return True
        return api_keys.check_key(self._state, api_key, secret_key)

    def check_bearer(self, token: str) -> bool:
        return dashboard.check_token(self._state, token)

    # -- Audit (AuditRecorder, enterprise build) ----------------------------------------

    def record_request(self, entry: dict[str, Any]) -> None:
        auth = entry.get("authorization")
        user = dashboard.token_user(self._state, auth[1])[0] if auth and auth[0] == "bearer" else ""
        audit_area.record_request(self._state, entry, user)

    # -- Roles (RoleAuthenticator; the open-source build has none: all administrators) ----

    def key_role(self, api_key: str) -> str:
        if self._state.edition != "ee":
            return "administrator"
        return api_keys.key_role(self._state, api_key)

    def token_user(self, token: str) -> tuple[str, str]:
        username, role = dashboard.token_user(self._state, token)
        return username, role if self._state.edition == "ee" else "administrator"

    # -- Seeding and inspection ---------------------------------------------------------

    def add_client(
        self,
        clientid: str,
        *,
        username: str | None = None,
        ip_address: str = "127.0.0.1",
        port: int | None = None,
        proto_ver: int = 5,
        proto_name: str = "MQTT",
        keepalive: int = 60,
        clean_start: bool = True,
        expiry_interval: int = 0,
        connected: bool = True,
        listener: str = "tcp:default",
        client_attrs: dict[str, str] | None = None,
        created_at: datetime | None = None,
    ) -> None:
        """Seed a client connected to this node (replacing one with the same id)."""
        clients.seed_client(
            self._state,
            clientid,
            username=username,
            ip_address=ip_address,
            port=port,
            proto_ver=proto_ver,
            proto_name=proto_name,
            keepalive=keepalive,
            clean_start=clean_start,
            expiry_interval=expiry_interval,
            connected=connected,
            listener=listener,
            client_attrs=client_attrs,
            created_at=created_at,
        )

    def add_subscription(
        self, clientid: str, topic: str, *, qos: int = 0, nl: int = 0, rap: int = 0, rh: int = 0
    ) -> None:
        """Subscribe a seeded client (KeyError if unknown, ValueError if not valid)."""
        clients.seed_subscription(self._state, clientid, topic, qos=qos, nl=nl, rap=rap, rh=rh)

    def raise_alarm(
        self, name: str, message: str = "", details: dict[str, Any] | None = None
    ) -> None:
        alarms.raise_alarm(self._state, name, message, details)

    def clear_alarm(self, name: str) -> None:
        alarms.clear_alarm(self._state, name)

    def add_ban(
        self,
        as_: str,
        who: str,
        *,
        reason: str = "",
        by: str = "mgmt_api",
        until: int | None = None,
    ) -> None:
        """Ban a client id, user name, address or pattern (`as_`: clientid, username,
        peerhost, clientid_re, username_re or peerhost_net) until `until` (epoch seconds,
        None: for ever), as `POST /banned` does; ValueError for a bad kind or value."""
        banned.seed_ban(self._state, as_, who, reason=reason, by=by, until=until)

    def add_retained_message(self, topic: str, payload: str, *, qos: int = 0) -> None:
        """Keep a retained message on `topic`, as a retained publish does."""
        publish.retain(self._state, topic, payload, qos)

    def seed(self, dataset: str) -> None:
        """Fill the node with a named data set (`DATASETS` of `backend/seed.py`; "demo": a few
        hundred clients with subscriptions, retained messages, alarms and bans), the same
        on every run; ValueError for an unknown name."""
        if dataset not in DATASETS:
            names = ", ".join(sorted(DATASETS))
            raise ValueError(f"data set {dataset!r}: expected one of {names}")
        DATASETS[dataset](self)

    def add_dashboard_user(
        self, username: str, password: str, description: str = "", role: str = "administrator"
    ) -> None:
        """Add a dashboard user (or reset one); `role` (administrator or viewer) counts in
        the enterprise build only."""
        dashboard.add_user(self._state, username, password, description, role)

    def add_ldap_user(self, username: str, password: str) -> None:
        """Put a user into the LDAP directory the stub plays (enterprise build): it can
        then sign in with `POST /sso/login/ldap` once an enabled `ldap` backend exists."""
        with self._state.lock:
            self._state.sso.directory[username] = password

    def sso_grant(self, backend: str, username: str) -> str:
        """What the identity provider of `backend` hands the browser once `username` has
        signed in there (enterprise build): for `oidc`, an authorization code for
        `GET /sso/oidc/callback` (with the `state` of the login redirect); for `saml`, the
        `SAMLResponse` to post to `POST /sso/saml/acs`. Each is good once."""
        if backend not in ("oidc", "saml"):
            raise ValueError(f"backend {backend!r}: expected oidc or saml")
        with self._state.lock:
            grant = self._state.sso.grant(backend, username)
        return grant if backend == "oidc" else saml_response(grant, username)

    def enable_node_eviction(self, enabled: bool = True) -> None:
        """Turn the eviction agent on (or off) for no process of the stub's own (enterprise
        build): `GET /node_eviction/status` then reports it, the availability check answers
        503, and an evacuation of this node is refused as `eviction_agent_busy`. Starting an
        evacuation, or a rebalance this node is a donor of, turns it on by itself."""
        with self._state.lock:
            self._state.eviction.enabled = enabled

    def enable_durable_storage(self, enabled: bool = True) -> None:
        """Run durable sessions on the builtin_raft backend (enterprise build): this node's
        site then holds every durable storage and the `/ds` operations answer. Off (the
        default) is a fresh node again: no sites, and they answer 404 `Durable storage is
        disabled`."""
        with self._state.lock:
            if enabled:
                self._state.durable_storage.enable(self._state.node)
            else:
                self._state.durable_storage = DurableStorageState()

    def add_ds_site(self, site: str, node: str) -> None:
        """Seed a site another node holds (a node that ran durable storage), which replica
        sets may then be assigned to."""
        with self._state.lock:
            self._state.durable_storage.sites[site] = node

    def enable_durable_queues(self, enabled: bool = True) -> None:
        """Turn durable queues on (or off), as durable sessions do (enterprise build)."""
        with self._state.lock:
            self._state.durable_queues.enabled = enabled

    def set_durable_queue_active(self, queue_id: str, active: bool = True) -> None:
        """Mark a declared queue as used by subscribers (it then cannot be deleted)."""
        with self._state.lock:
            active_ids = self._state.durable_queues.active
            if active:
                active_ids.add(queue_id)
            else:
                active_ids.discard(queue_id)

    def add_exported_file(
        self,
        clientid: str,
        fileid: str,
        name: str,
        content: bytes,
        *,
        timestamp: int | None = None,
        meta: dict[str, Any] | None = None,
    ) -> str:
        """Put a file the local exporter holds, as a finished MQTT file transfer leaves it
        (enterprise build); returns its `fileref` for `GET /file_transfer/file`."""
        exported = ExportedFile(
            clientid, fileid, name, content, timestamp or int(datetime.now().timestamp()), meta
        )
        with self._state.lock:
            self._state.file_transfer.files[exported.fileref] = exported
        return exported.fileref

    def clear_exported_files(self) -> None:
        """Remove every file `add_exported_file` put."""
        with self._state.lock:
            self._state.file_transfer.files.clear()

    def allow_plugin_installation(self, name_vsn: str, allowed: bool = True) -> None:
        """What `emqx ctl plugins allow|disallow <name>-<vsn>` does: permit (or stop
        permitting) the upload of that exact package through `POST /plugins/install`."""
        allow_installation(self._state, name_vsn, allowed)

    def add_standalone_node(self, node: str) -> None:
        """Seed a reachable node outside the cluster, which `PUT /cluster/{node}/invite`
        (or `invite_async`) can then bring in; other names behave like nodes that are down."""
        cluster_area.add_standalone_node(self._state, node)

    def append_trace_log(self, name: str, text: str, node: str | None = None) -> None:
        """Append text to the file of a running trace on `node` (default: this node), as if
        the trace had logged it (KeyError if the trace is unknown or not running)."""
        trace_area.append_trace_log(self._state, name, text, node)

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

    @property
    def published(self) -> list[PublishedMessage]:
        """The messages published through the API, oldest first."""
        with self._state.lock:
            return list(self._state.published)
