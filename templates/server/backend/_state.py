"""The shared in-memory state of the backend: one node, its clients, subscriptions, bans,
alarms, API keys, dashboard users, tokens, published messages and counters."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import models
from ._authn_chain import AuthnState
from ._authz_rules_store import AuthzRulesState
from ._authz_src_store import AuthzSourcesState
from ._client_queues import ClientExtras
from ._config_store import ConfigStore
from ._gateway_state import GatewaysState
from ._integration import IntegrationState
from ._subs import SubTable

if TYPE_CHECKING:
    from ._gwclient_store import GatewayClientsState
    from .auto_subscribe import AutoSubscribeState
    from .cluster import ClusterState
    from .data_backup import DataBackupState
    from .exhook import ExhookState
    from .mqtt import MqttState
    from .plugins import PluginsState
    from .relup import RelupState
    from .retainer import RetainerState
    from .rules import RulesState
    from .slow_subscriptions import SlowSubsState
    from .telemetry import TelemetryState
    from .trace import TraceState

VERSION = "5.8.9"


def _new_cluster_state() -> ClusterState:
    from .cluster import ClusterState

    return ClusterState()


def _new_trace_state() -> TraceState:
    from .trace import TraceState

    return TraceState()


def _new_telemetry_state() -> TelemetryState:
    from .telemetry import TelemetryState

    return TelemetryState()


def _new_relup_state() -> RelupState:
    from .relup import RelupState

    return RelupState()


def _new_exhook_state() -> ExhookState:
    from .exhook import ExhookState

    return ExhookState()


def _new_mqtt_state() -> MqttState:
    from .mqtt import MqttState

    return MqttState()


def _new_rules_state() -> RulesState:
    from .rules import RulesState

    return RulesState()


def _new_retainer_state() -> RetainerState:
    from .retainer import RetainerState

    return RetainerState()


def _new_auto_subscribe_state() -> AutoSubscribeState:
    from .auto_subscribe import AutoSubscribeState

    return AutoSubscribeState()


def _new_slow_subs_state() -> SlowSubsState:
    from .slow_subscriptions import SlowSubsState

    return SlowSubsState()


def _new_plugins_state() -> PluginsState:
    from .plugins import PluginsState

    return PluginsState()


def _new_data_backup_state() -> DataBackupState:
    from .data_backup import DataBackupState

    return DataBackupState()


def _new_gateway_clients_state() -> GatewayClientsState:
    from ._gwclient_store import GatewayClientsState

    return GatewayClientsState()


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
    """A client as listed with every field, for the record it was made from; `wire` is
    its JSON form by wire names (as the routes answer), made when first needed."""

    record: ClientRecord
    model: models.Client
    wire: dict[str, Any] | None = None


@dataclass
class BanRecord:
    as_: str
    who: str
    by: str
    reason: str
    at: int
    until: int | None  # None: infinity


@dataclass
class AlarmRecord:
    name: str
    message: str
    details: dict[str, Any]
    activate_at: int
    deactivate_at: int | None = None


@dataclass
class ApiKeyRecord:
    name: str
    api_key: str
    secret_hash: bytes = field(repr=False)
    enable: bool
    desc: str
    expired_at: int | None  # epoch seconds, None: infinity
    created_at: int


@dataclass
class TokenRecord:
    username: str
    expires_at: float = field(repr=False)


class PublishedMessage(models.PublishMessage):
    """A message published through the API: the PublishMessage as received, with the id
    the stub answered and the number of subscriptions it was delivered to."""

    id: str
    delivered: int = 0


@dataclass
class UserRecord:
    salt: bytes = field(repr=False)
    password_hash: bytes = field(repr=False)
    description: str = ""


@dataclass
class State:
    node: str
    started_at: float = field(default_factory=time.time)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    clients: dict[str, ClientRecord] = field(default_factory=dict)
    subs: SubTable = field(default_factory=SubTable, repr=False)
    bans: dict[tuple[str, str], BanRecord] = field(default_factory=dict)
    active_alarms: dict[str, AlarmRecord] = field(default_factory=dict)
    cleared_alarms: list[AlarmRecord] = field(default_factory=list)
    api_keys: dict[str, ApiKeyRecord] = field(default_factory=dict, repr=False)
    users: dict[str, UserRecord] = field(default_factory=dict, repr=False)
    tokens: dict[str, TokenRecord] = field(default_factory=dict, repr=False)
    published: list[PublishedMessage] = field(default_factory=list)
    retained: dict[str, PublishedMessage] = field(default_factory=dict)
    metrics: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stats_max: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    mqtt: MqttState = field(default_factory=lambda: _new_mqtt_state())
    retainer: RetainerState = field(default_factory=lambda: _new_retainer_state())
    auto_subscribe: AutoSubscribeState = field(default_factory=lambda: _new_auto_subscribe_state())
    slow_subs: SlowSubsState = field(default_factory=lambda: _new_slow_subs_state())
    plugins: PluginsState = field(default_factory=lambda: _new_plugins_state())
    data_backup: DataBackupState = field(default_factory=lambda: _new_data_backup_state())
    cluster: ClusterState = field(default_factory=lambda: _new_cluster_state())
    trace: TraceState = field(default_factory=lambda: _new_trace_state())
    telemetry: TelemetryState = field(default_factory=lambda: _new_telemetry_state())
    relup: RelupState = field(default_factory=lambda: _new_relup_state())
    exhook: ExhookState = field(default_factory=lambda: _new_exhook_state())
    rules: RulesState = field(default_factory=lambda: _new_rules_state())
    integration: IntegrationState = field(default_factory=IntegrationState)
    gateways: GatewaysState = field(default_factory=GatewaysState)
    authz_rules: AuthzRulesState = field(default_factory=AuthzRulesState)
    gateway_clients: GatewayClientsState = field(
        default_factory=lambda: _new_gateway_clients_state()
    )
    authz_sources: AuthzSourcesState = field(default_factory=AuthzSourcesState)
    authn: AuthnState = field(default_factory=AuthnState)
    client_extras: ClientExtras = field(default_factory=ClientExtras)
    configs: ConfigStore = field(default_factory=ConfigStore, repr=False)
    live: int = 0  # connected clients
    # Formatted clients for listing, dropped when the client changes (see touch()).
    formatted: dict[str, FormattedClient] = field(default_factory=dict, repr=False)

    def put_client(self, record: ClientRecord) -> ClientRecord | None:
        """Register a client (last in the table), replacing one with the same id."""
        old = self.pop_client(record.clientid)
        self.clients[record.clientid] = record
        if record.connected:
            self.live += 1
        return old

    def pop_client(self, clientid: str) -> ClientRecord | None:
        old = self.clients.pop(clientid, None)
        self.formatted.pop(clientid, None)
        if old is not None and old.connected:
            self.live -= 1
        return old

    def touch(self, clientid: str) -> None:
        """Note that what a client's listing shows has changed (its counters, keepalive,
        subscriptions or session contents)."""
        self.formatted.pop(clientid, None)

    def routes(self) -> list[tuple[str, str | None]]:
        """The routing table: (filter, share group) once each, in subscription order."""
        seen: dict[tuple[str, str | None], None] = {}
        for sub in self.subs:
            seen.setdefault((sub.filter, sub.group), None)
        return list(seen)

    def current_stats(self) -> dict[str, int]:
        """The `.count` statistics, and their peaks (`.max`) updated on the way. Every
        count is kept as things happen: this costs the same however many clients."""
        channels = len(self.clients)
        subs = self.subs.total
        counts = {
            "channels": channels,
            "connections": channels,
            "sessions": channels,
            "cluster_sessions": channels,
            "live_connections": self.live,
            "delayed": 0,
            "retained": len(self.retained),
            "suboptions": subs,
            "subscribers": subs - self.subs.shared,
            "subscriptions": subs,
            "subscriptions.shared": self.subs.shared,
            "topics": self.subs.filters,
        }
        stats: dict[str, int] = {}
        peaks = self.stats_max
        for name, value in counts.items():
            peak = peaks[name]
            if value > peak:
                peaks[name] = peak = value
            stats[f"{name}.count"] = value
            stats[f"{name}.max"] = peak
        return stats

    def count(self, *names: str, by: int = 1) -> None:
        for name in names:
            self.metrics[name] += by
