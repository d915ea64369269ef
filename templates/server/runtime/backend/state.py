"""The shared in-memory state of the backend: one node, its clients, subscriptions, bans,
alarms, API keys, dashboard users, tokens, published messages and counters."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .alarms.state import AlarmRecord
from .api_keys.state import ApiKeyRecord
from .audit.state import AuditState
from .authentication.state import AuthnState
from .authorization.rules_state import AuthzRulesState
from .authorization.state import AuthzSourcesState
from .auto_subscribe.state import AutoSubscribeState
from .banned.state import BanRecord
from .clients.queues import ClientExtras
from .clients.state import ClientRecord, FormattedClient
from .cluster.state import ClusterState
from .cluster_links.state import ClusterLinksState
from .configs.state import ConfigStore
from .dashboard.state import DashboardState, TokenRecord, UserRecord
from .dashboard_single_sign_on.state import DashboardSsoState
from .data_backup.state import DataBackupState
from .durable_queues.state import DurableQueuesState
from .durable_storage.state import DurableStorageState
from .exhook.state import ExhookState
from .file_transfer.state import FileTransferState
from .gateway_clients.state import GatewayClientsState
from .gateways.state import GatewaysState
from .gcp_devices.state import GcpDevicesState
from .integration.state import IntegrationState
from .license.state import LicenseState
from .load_rebalance.state import LoadRebalanceState
from .message_transformation.state import MessageTransformationState
from .metrics.state import SamplesState
from .monitor.state import PrometheusState
from .mqtt.state import MqttState
from .node_eviction.state import EvictionState
from .opentelemetry.state import OtelState
from .plugins.state import PluginsState
from .publish.state import MessageIds, PublishedMessage
from .relup.state import RelupState
from .retainer.state import RetainerState
from .rules.state import RulesState
from .schema_registry.state import SchemaRegistryState
from .schema_validation.state import SchemaValidationState
from .slow_subscriptions.state import SlowSubsState
from .subscriptions.state import SubTable
from .telemetry.state import TelemetryState
from .trace.state import TraceState


@dataclass
class State:
    node: str
    # the EMQX build imitated: "ce" (open source) or "ee" (enterprise: roles, and the
    # enterprise areas)
    edition: str = "ce"
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
    dashboard: DashboardState = field(default_factory=DashboardState, repr=False)
    published: list[PublishedMessage] = field(default_factory=list)
    retained: dict[str, PublishedMessage] = field(default_factory=dict)
    metrics: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stats_max: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    monitor_samples: SamplesState = field(default_factory=SamplesState, repr=False)
    prometheus: PrometheusState = field(default_factory=PrometheusState)
    mqtt: MqttState = field(default_factory=MqttState)
    retainer: RetainerState = field(default_factory=RetainerState)
    auto_subscribe: AutoSubscribeState = field(default_factory=AutoSubscribeState)
    slow_subs: SlowSubsState = field(default_factory=SlowSubsState)
    plugins: PluginsState = field(default_factory=PluginsState)
    data_backup: DataBackupState = field(default_factory=DataBackupState)
    cluster: ClusterState = field(default_factory=ClusterState)
    trace: TraceState = field(default_factory=TraceState)
    telemetry: TelemetryState = field(default_factory=TelemetryState)
    relup: RelupState = field(default_factory=RelupState)
    exhook: ExhookState = field(default_factory=ExhookState)
    rules: RulesState = field(default_factory=RulesState)
    schema_registry: SchemaRegistryState = field(default_factory=SchemaRegistryState)
    schema_validation: SchemaValidationState = field(default_factory=SchemaValidationState)
    message_transformation: MessageTransformationState = field(
        default_factory=MessageTransformationState
    )
    integration: IntegrationState = field(default_factory=IntegrationState)
    gateways: GatewaysState = field(default_factory=GatewaysState)
    authz_rules: AuthzRulesState = field(default_factory=AuthzRulesState)
    gateway_clients: GatewayClientsState = field(default_factory=GatewayClientsState)
    authz_sources: AuthzSourcesState = field(default_factory=AuthzSourcesState)
    authn: AuthnState = field(default_factory=AuthnState)
    client_extras: ClientExtras = field(default_factory=ClientExtras)
    configs: ConfigStore = field(default_factory=ConfigStore, repr=False)
    license: LicenseState = field(default_factory=LicenseState)  # enterprise build
    audit: AuditState = field(default_factory=AuditState)  # enterprise build
    eviction: EvictionState = field(default_factory=EvictionState)  # enterprise build
    otel: OtelState = field(default_factory=OtelState)  # enterprise build
    cluster_links: ClusterLinksState = field(default_factory=ClusterLinksState)  # enterprise
    durable_storage: DurableStorageState = field(default_factory=DurableStorageState)  # ee
    durable_queues: DurableQueuesState = field(default_factory=DurableQueuesState)  # enterprise
    file_transfer: FileTransferState = field(default_factory=FileTransferState)  # enterprise
    gcp_devices: GcpDevicesState = field(default_factory=GcpDevicesState)  # enterprise build
    load_rebalance: LoadRebalanceState = field(default_factory=LoadRebalanceState)  # ee
    sso: DashboardSsoState = field(default_factory=DashboardSsoState)  # enterprise build
    live: int = 0  # connected clients
    # The node's message ids (EMQX GUIDs), for publishes and for messages a session holds.
    message_ids: MessageIds = field(init=False, repr=False)
    # Formatted clients for listing, dropped when the client changes (see touch()).
    formatted: dict[str, FormattedClient] = field(default_factory=dict, repr=False)
    # The sizes the statistics' peaks were last updated from (see note_peaks()).
    peaks_seen: tuple[int, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        self.message_ids = MessageIds(self.node)
        self.integration.edition = self.edition

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

    def _sizes(self) -> tuple[int, int, int, int, int, int]:
        """What the statistics are counted from: channels, live connections, retained
        messages, subscriptions, shared subscriptions, topic filters."""
        subs = self.subs
        return (
            len(self.clients),
            self.live,
            len(self.retained),
            subs.total,
            subs.shared,
            subs.filters,
        )

    def current_stats(self) -> dict[str, int]:
        """The `.count` statistics, and their peaks (`.max`) updated on the way. Every
        count is kept as things happen: this costs the same however many clients."""
        sizes = self._sizes()
        channels, live, retained, subs, shared, filters = sizes
        counts = {
            "channels": channels,
            "connections": channels,
            "sessions": channels,
            "cluster_sessions": channels,
            "live_connections": live,
            "delayed": 0,
            "retained": retained,
            "suboptions": subs,
            "subscribers": subs - shared,
            "subscriptions": subs,
            "subscriptions.shared": shared,
            "topics": filters,
        }
        stats: dict[str, int] = {}
        peaks = self.stats_max
        for name, value in counts.items():
            peak = peaks[name]
            if value > peak:
                peaks[name] = peak = value
            stats[f"{name}.count"] = value
            stats[f"{name}.max"] = peak
        self.peaks_seen = sizes
        return stats

    def note_peaks(self) -> None:
        """Update the statistics' peaks as `current_stats` does, at the cost of a tuple
        when nothing they count has changed since (a publish that retains nothing)."""
        if self._sizes() != self.peaks_seen:
            self.current_stats()

    def count(self, *names: str, by: int = 1) -> None:
        for name in names:
            self.metrics[name] += by
