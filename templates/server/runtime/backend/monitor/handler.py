"""Monitor: the Prometheus integration's settings and the metrics it exposes, as the
Prometheus text format or grouped as JSON.

EMQX picks JSON when the request's Accept header is exactly `application/json`. The
stub's handlers do not see request headers, so the choice is the `answer_json` switch
(off: text, the broker's default): `backend.handlers().monitor.answer_json = True`.
"""

from __future__ import annotations

import copy
from typing import Any, Literal
from urllib.parse import urlsplit

from ... import errors, models
from ..common.host import memory as _memory
from ..common.processing import prometheus_rows
from ..metrics.counters import counters
from ..opentelemetry.settings import shown as otel_shown
from ..state import State
from .state import DEFAULT_SETTINGS, LEGACY_COLLECTORS

Mode = Literal["node", "all_nodes_aggregated", "all_nodes_unaggregated"]
Point = tuple[dict[str, str], float]
Family = tuple[str, str, list[Point]]  # name, type, samples

_RECOMMENDED = {"enable_basic_auth", "push_gateway", "collectors"}
# Broker metrics per JSON group; the Prometheus name is `emqx_` + the dots as `_`,
# except where _RENAMED says otherwise.
_GROUPS = {
    "packets": "bytes.received bytes.sent packets.received packets.sent "
    "packets.connect.received packets.connack.sent packets.connack.error "
    "packets.connack.auth_error packets.subscribe.received packets.subscribe.auth_error "
    "packets.subscribe.error packets.suback.sent packets.unsubscribe.received "
    "packets.unsubscribe.error packets.unsuback.sent packets.publish.received "
    "packets.publish.sent packets.publish.inuse packets.publish.error "
    "packets.publish.auth_error packets.publish.dropped packets.puback.received "
    "packets.puback.sent packets.puback.inuse packets.puback.missed packets.pubrec.received "
    "packets.pubrec.sent packets.pubrec.inuse packets.pubrec.missed packets.pubrel.received "
    "packets.pubrel.sent packets.pubrel.missed packets.pubcomp.received packets.pubcomp.sent "
    "packets.pubcomp.inuse packets.pubcomp.missed packets.pingreq.received "
    "packets.pingresp.sent packets.disconnect.received packets.disconnect.sent "
    "packets.auth.received packets.auth.sent",
    "messages": "messages.received messages.sent messages.qos0.received messages.qos0.sent "
    "messages.qos1.received messages.qos1.sent messages.qos2.received messages.qos2.sent "
    "messages.publish messages.dropped messages.dropped.await_pubrel_timeout "
    "messages.dropped.no_subscribers messages.forward messages.retained messages.delayed "
    "messages.delivered messages.acked",
    "delivery": "delivery.dropped delivery.dropped.no_local delivery.dropped.too_large "
    "delivery.dropped.qos0_msg delivery.dropped.queue_full delivery.dropped.expired",
    "client": "client.connect client.connack client.connected client.authenticate "
    "client.auth.anonymous client.authorize client.subscribe client.unsubscribe "
    "client.disconnected",
    "session": "session.created session.resumed session.takenover session.discarded "
    "session.terminated",
    "acl": "authorization.allow authorization.deny authorization.cache_hit "
    "authorization.cache_miss authorization.superuser authorization.nomatch "
    "authorization.matched_allow authorization.matched_deny",
    "authn": "authentication.success authentication.success.anonymous authentication.failure",
}
_RENAMED = {
    "packets.connect.received": "emqx_packets_connect",
    "messages.dropped.await_pubrel_timeout": "emqx_messages_dropped_expired",
}
_STATS = "connections live_connections sessions channels suboptions subscribers subscriptions "
_STATS += "durable_subscriptions delayed"
_CLUSTER_STATS = ("cluster_sessions", "topics", "retained", "subscriptions.shared")
_DEFAULT_ACL_RULES = 4  # the rules of the default acl.conf of the file source


def _prom_name(metric: str) -> str:
    return _RENAMED.get(metric, "emqx_" + metric.replace(".", "_"))


def render_text(families: list[Family]) -> str:
    """The Prometheus text exposition format (0.0.4)."""
    lines: list[str] = []
    for name, kind, points in families:
        if not points:
            continue
        lines += [f"# TYPE {name} {kind}", f"# HELP {name} "]
        for labels, value in points:
            text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            number = str(int(value)) if float(value).is_integer() else repr(float(value))
            lines.append(f"{name}{{{text}}} {number}" if text else f"{name} {number}")
    return "\n".join(lines) + "\n"


def _json_groups(groups: dict[str, list[Family]], mode: Mode, arrays: set[str]) -> dict[str, Any]:
    """Families as the broker's JSON: one point per label set, an object per group
    unless the mode is unaggregated (or the group is always an array)."""
    out: dict[str, Any] = {}
    for group, families in groups.items():
        merged: dict[str, dict[str, Any]] = {}
        for name, _kind, points in families:
            for labels, value in points:
                key = repr(sorted(labels.items()))
                merged.setdefault(key, dict(labels))[name] = value
        items = list(merged.values())
        as_array = group in arrays or mode == "all_nodes_unaggregated"
        out[group] = items if as_array else (items[0] if items else {})
    return out


# One row per schema validation or message transformation: name, enabled, and its
# matched, succeeded and failed counters.
Row = tuple[str, bool, int, int, int]


def per_item_families(prefix: str, rows: list[Row], labels: dict[str, str]) -> list[Family]:
    """The four families EMQX's enterprise collectors give per item, labelled
    `validation_name` (message transformations too: the broker reuses the label)."""
    out: list[Family] = []
    for suffix, kind, column in (
        ("enable", "gauge", 1),
        ("matched", "counter", 2),
        ("failed", "counter", 4),
        ("succeeded", "counter", 3),
    ):
        points: list[Point] = [
            ({**labels, "validation_name": row[0]}, float(row[column])) for row in rows
        ]
        out.append((f"{prefix}_{suffix}", kind, points))
    return out


class MonitorApi:
    """MonitorHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    # -- OpenTelemetry (enterprise build; the settings live in opentelemetry/) ----------

    async def get_opentelemetry_settings(self) -> models.OtelSettings:
        with self._state.lock:
            return models.OtelSettings.model_validate(otel_shown(self._state.otel.settings))

    async def update_opentelemetry_settings(
        self, *, body: models.OtelSettings
    ) -> models.OtelSettings:
        # a replacement: what the body leaves out takes its default
        settings = body.model_dump(mode="json", exclude_unset=True, by_alias=True)
        with self._state.lock:
            self._state.otel.settings = settings
            return models.OtelSettings.model_validate(otel_shown(settings))

    @property
    def answer_json(self) -> bool:
        """Answer the metrics as JSON (True) or as the Prometheus text format (False)."""
        return self._state.prometheus.answer_json

    @answer_json.setter
    def answer_json(self, value: bool) -> None:
        self._state.prometheus.answer_json = value

    # -- Settings -----------------------------------------------------------------------

    async def get_prometheus_settings(self) -> models.PrometheusSettings:
        with self._state.lock:
            return models.PrometheusSettings.model_validate(
                copy.deepcopy(self._state.prometheus.settings)
            )

    async def update_prometheus_settings(
        self, *, body: models.PrometheusSettingsUpdate
    ) -> models.PrometheusSettings:
        given = body.model_dump(mode="json", exclude_unset=True)
        if set(given) <= _RECOMMENDED:
            new = given
        else:
            new = self._from_legacy(given)
        url = (new.get("push_gateway") or {}).get("url")
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise errors.bad_request(f"Invalid url: {url!r}", status=400)
        settings = copy.deepcopy(DEFAULT_SETTINGS)
        settings["enable_basic_auth"] = new.get("enable_basic_auth", False)
        settings["push_gateway"].update(new.get("push_gateway") or {})
        settings["collectors"].update(new.get("collectors") or {})
        with self._state.lock:
            self._state.prometheus.settings = settings
        return models.PrometheusSettings.model_validate(copy.deepcopy(settings))

    @staticmethod
    def _from_legacy(given: dict[str, Any]) -> dict[str, Any]:
        """The old flat layout converted as the broker converts it."""
        stray = set(given) & _RECOMMENDED
        if stray:
            raise errors.bad_request(f"unknown_fields: {sorted(stray)}", status=400)
        server = given.get("push_gateway_server")
        if server is not None and urlsplit(server).scheme not in ("http", "https"):
            raise errors.bad_request(f"Invalid url: {server!r}", status=400)
        keep = ("interval", "headers", "job_name", "enable")
        push: dict[str, Any] = {k: given[k] for k in keep if k in given}
        if server is None:
            push["enable"] = False
        else:
            push["url"] = server
        collectors = {new: given[old] for old, new in LEGACY_COLLECTORS.items() if old in given}
        return {"push_gateway": push, "collectors": collectors, "enable_basic_auth": False}

    # -- Metrics ------------------------------------------------------------------------

    def _labels(self, mode: Mode, *, node_in_aggregate: bool = False) -> dict[str, str]:
        if mode == "all_nodes_unaggregated" or (node_in_aggregate and mode != "node"):
            return {"node": self._state.node}
        return {}

    def _stats_groups(self, mode: Mode) -> dict[str, list[Family]]:
        with self._state.lock:
            stats = self._state.current_stats()
            values = counters(self._state)
        labels = self._labels(mode)
        stat_fams: list[Family] = []
        for stat in _STATS.split():
            for suffix in ("count", "max"):
                value = stats.get(f"{stat}.{suffix}", 0)
                stat_fams.append((f"emqx_{stat}_{suffix}", "gauge", [(labels, value)]))
        cluster_fams: list[Family] = []
        for stat in _CLUSTER_STATS:
            for suffix in ("count", "max"):
                name = "emqx_" + stat.replace(".", "_") + f"_{suffix}"
                cluster_fams.append((name, "gauge", [({}, stats.get(f"{stat}.{suffix}", 0))]))
        total, used = _memory()
        vm_labels = self._labels(mode, node_in_aggregate=True)
        vm = {
            "cpu_use": 0.0,
            "cpu_idle": 100.0,
            "run_queue": 0,
            "process_messages_in_queues": 0,
            "total_memory": total,
            "used_memory": used,
            "mnesia_tm_mailbox_size": 0,
            "broker_pool_max_mailbox_size": 0,
        }
        groups: dict[str, list[Family]] = {
            "stats": stat_fams,
            "stats_cluster": cluster_fams,
            "metrics": [(f"emqx_vm_{k}", "gauge", [(vm_labels, v)]) for k, v in vm.items()],
            "cluster": [
                ("emqx_cluster_nodes_running", "gauge", [(vm_labels, 1)]),
                ("emqx_cluster_nodes_stopped", "gauge", [(vm_labels, 0)]),
            ],
        }
        for group, names in _GROUPS.items():
            groups[group] = [
                (_prom_name(m), "counter", [(labels, values.get(m, 0))]) for m in names.split()
            ]
        groups["olp"] = []  # overload protection is off by default
        groups["certs"] = []
        groups["cluster_rpc"] = [("emqx_conf_sync_txid", "gauge", [(labels, 0)])]
        return groups

    async def get_prometheus_stats(
        self, *, mode: Mode = "node"
    ) -> models.PrometheusStatsJson | str:
        groups = self._stats_groups(mode)
        if not self.answer_json:
            return render_text([f for fams in groups.values() for f in fams])
        cluster = {name: pts[0][1] for name, _kind, pts in groups.pop("stats_cluster")}
        arrays = {"client", "certs"} | ({"metrics"} if mode != "node" else set())
        body = _json_groups(groups, mode, arrays)
        stats = body["stats"]  # the cluster-wide statistics join every node's point
        for point in stats if isinstance(stats, list) else [stats]:
            point.update(cluster)
        return models.PrometheusStatsJson.model_validate(body)

    async def get_prometheus_auth_metrics(
        self, *, mode: Mode = "node"
    ) -> models.PrometheusAuthJson | str:
        with self._state.lock:
            bans = len(self._state.bans)
            values = counters(self._state)
        source = {**self._labels(mode), "type": "file"}
        allow, deny = values.get("authorization.allow", 0), values.get("authorization.deny", 0)
        authz: list[Family] = [
            ("emqx_authz_enable", "gauge", [(source, 1)]),
            ("emqx_authz_status", "gauge", [(source, 1)]),
            ("emqx_authz_nomatch", "counter", [(source, 0)]),
            ("emqx_authz_total", "counter", [(source, allow + deny)]),
            ("emqx_authz_allow", "counter", [(source, allow)]),
            ("emqx_authz_deny", "counter", [(source, deny)]),
        ]
        rules: Family = ("emqx_authz_rules_count", "gauge", [(source, _DEFAULT_ACL_RULES)])
        banned: Family = ("emqx_banned_count", "gauge", [({}, bans)])
        if not self.answer_json:
            return render_text([*authz, rules, banned])
        points = _json_groups({"emqx_authz": [*authz, rules]}, mode, {"emqx_authz"})
        return models.PrometheusAuthJson.model_validate(
            {"emqx_authn": [], **points, "emqx_banned": {"emqx_banned_count": bans}}
        )

    def _per_item(self, prefix: str, key: str, rows: list[Row], mode: Mode) -> dict[str, Any] | str:
        families = per_item_families(prefix, rows, self._labels(mode))
        if not self.answer_json:
            return render_text(families)
        return _json_groups({key: families}, mode, {key})

    async def get_prometheus_schema_validation_metrics(
        self, *, mode: Mode = "node"
    ) -> models.PrometheusSchemaValidationJson | str:
        rows = prometheus_rows(self._state.schema_validation.validations)
        answer = self._per_item("emqx_schema_validation", "schema_validations", rows, mode)
        if isinstance(answer, str):
            return answer
        return models.PrometheusSchemaValidationJson.model_validate(answer)

    async def get_prometheus_message_transformation_metrics(
        self, *, mode: Mode = "node"
    ) -> models.PrometheusMessageTransformationJson | str:
        rows = prometheus_rows(self._state.message_transformation.transformations)
        answer = self._per_item(
            "emqx_message_transformation", "message_transformations", rows, mode
        )
        if isinstance(answer, str):
            return answer
        return models.PrometheusMessageTransformationJson.model_validate(answer)

    async def get_prometheus_data_integration_metrics(
        self, *, mode: Mode = "node"
    ) -> models.PrometheusDataIntegrationJson | str:
        del mode  # no rule, action or connector exists in the stub: nothing per node
        overview: list[Family] = [
            (f"emqx_{kind}_count", "gauge", [({}, 0)])
            for kind in ("rules", "actions", "connectors")
        ]
        if not self.answer_json:
            return render_text(overview)
        return models.PrometheusDataIntegrationJson.model_validate(
            {
                "data_integration_overview": {name: pts[0][1] for name, _k, pts in overview},
                "rules": [],
                "actions": [],
                "connectors": [],
            }
        )
