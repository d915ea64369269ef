"""InMemoryBackend: the shared state, the authenticator, the seeding API and the handlers."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from ..handlers import EDITIONS, Edition, Handlers
from ._enterprise_seeding import EnterpriseSeeding
from ._gateway_seeding import GatewaySeeding
from ._handlers import build_handlers
from .alarms import handler as alarms
from .api_keys import handler as api_keys
from .audit import handler as audit_area
from .banned import handler as banned
from .clients import handler as clients
from .cluster import members as cluster_area
from .dashboard import handler as dashboard
from .plugins.handler import allow_installation
from .publish import handler as publish
from .publish.state import PublishedMessage
from .seed import DATASETS
from .state import State
from .trace import handler as trace_area


def _pair_digest(api_key: str, secret_key: str) -> bytes:
    """One digest of an (API key, secret) pair, compared in constant time: one hash per
    request instead of one per part. The key's length leads, so no two pairs share it."""
    return hashlib.sha256(f"{len(api_key)}:{api_key}:{secret_key}".encode()).digest()


class InMemoryBackend(EnterpriseSeeding, GatewaySeeding):
    """A stateful imitation of one EMQX 5.8.9 node, kept in memory.

    `api_key`/`secret_key` are the bootstrap credentials for HTTP Basic; API keys made
    with `POST /api_key` work too. The dashboard user `admin` / `public` exists, as on a
    fresh broker. Seed clients, bans, retained messages and alarms with the methods
    below, or all at once with `seed("demo")`; the gateways and the enterprise features
    are seeded with the methods of `GatewaySeeding` and `EnterpriseSeeding`.

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
        self._pair_digest = _pair_digest(api_key, secret_key)
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
        if hmac.compare_digest(_pair_digest(api_key, secret_key), self._pair_digest):
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

    @property
    def published(self) -> list[PublishedMessage]:
        """The messages published through the API, oldest first."""
        with self._state.lock:
            return list(self._state.published)
