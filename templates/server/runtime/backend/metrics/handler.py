"""Metrics, the dashboard monitor part: the sampled time series (`/monitor`) and the
current gauges and rates (`/monitor_current`), on top of CountersApi (`/stats`,
`/metrics`).

The broker samples every 10 seconds; the stub samples lazily: whenever a monitor
operation runs, the latest 10-second tick is recorded if it has not been yet, with the
values of that moment. A clear drops every sample; ticks up to the clear are not
recorded again.
"""

from __future__ import annotations

import time

from ... import errors, models
from ..common.clock import now_ms
from .counters import CountersApi
from .state import Sample

SAMPLE_INTERVAL_MS = 10_000
RETENTION_MS = 7 * 24 * 3600 * 1000
GAUGES = (
    "disconnected_durable_sessions",
    "subscriptions_durable",
    "subscriptions",
    "topics",
    "connections",
    "live_connections",
)
COUNTERS = {  # sample name -> broker metric
    "received": "messages.received",
    "sent": "messages.sent",
    "validation_succeeded": "messages.validation_succeeded",
    "validation_failed": "messages.validation_failed",
    "transformation_succeeded": "messages.transformation_succeeded",
    "transformation_failed": "messages.transformation_failed",
    "dropped": "messages.dropped",
    "persisted": "messages.persisted",
}
RATES = {
    "received": "received_msg_rate",
    "sent": "sent_msg_rate",
    "validation_succeeded": "validation_succeeded_rate",
    "validation_failed": "validation_failed_rate",
    "transformation_succeeded": "transformation_succeeded_rate",
    "transformation_failed": "transformation_failed_rate",
    "dropped": "dropped_msg_rate",
    "persisted": "persisted_rate",
}
_CLUSTER_ONLY = ("subscriptions_durable", "disconnected_durable_sessions")


def sample_interval(age_ms: int) -> int:
    """The bucket size the broker uses for a time span of this length."""
    for limit, interval in (
        (60_000, 1_000),
        (3_600_000, 10_000),
        (86_400_000, 60_000),
        (3 * 86_400_000, 300_000),
    ):
        if age_ms <= limit:
            return interval
    return 600_000


def _merge_local(newer: Sample, base: Sample) -> Sample:
    """Two samples of one node into one bucket: gauges keep the newest, counters add up."""
    out = dict(base)
    for key, value in newer.items():
        out[key] = value if key in GAUGES else out.get(key, 0) + value
    return out


def _downsample(since: int, samples: dict[int, Sample]) -> dict[int, Sample]:
    if len(samples) < 2:
        return dict(samples)
    interval = sample_interval(max(samples) - since)
    out: dict[int, Sample] = {}
    for ts in sorted(samples):
        bucket = ts - ts % interval
        out[bucket] = _merge_local(samples[ts], out.get(bucket, {}))
    return out


def _fill_gaps(since: int, samples: dict[int, Sample]) -> dict[int, Sample]:
    """Empty points where the series has holes, as the broker adds them."""
    if len(samples) < 2:
        return samples
    stamps = sorted(samples)
    first, latest = stamps[0], stamps[-1]
    interval = sample_interval(latest - since)
    start = since - since % interval
    stamp = first if start in (0, first) else start
    while stamp < latest:
        samples.setdefault(stamp, {})
        stamp += interval
    return samples


def _cluster_view(sample: Sample) -> Sample:
    """The synthetic cluster values: durable subscriptions and sessions added in."""
    out = dict(sample)
    ram = out.get("subscriptions", 0)
    out["subscriptions"] = ram + out.get("subscriptions_durable", 0)
    out["subscriptions_ram"] = ram
    out["connections"] = out.get("connections", 0) + out.get("disconnected_durable_sessions", 0)
    return out


class MetricsApi(CountersApi):
    """MetricsHandler: the counters and statistics, and the dashboard monitor's samples."""

    def seed_sample(self, time_stamp: int, **values: int) -> None:
        """Store a sample as the sampler would have (counters as deltas since the sample
        before). Reach it as `backend.handlers().metrics`."""
        with self._state.lock:
            self._state.monitor_samples.samples[time_stamp] = dict(values)

    def _raw(self) -> Sample:
        stats = self._state.current_stats()
        metrics = self._state.metrics
        values = {
            "connections": stats["connections.count"],
            "live_connections": stats["live_connections.count"],
            "subscriptions": stats["subscriptions.count"],
            "topics": stats["topics.count"],
            "subscriptions_durable": 0,
            "disconnected_durable_sessions": 0,
        }
        values.update({name: metrics.get(metric, 0) for name, metric in COUNTERS.items()})
        return values

    def _tick(self, now: int) -> None:
        """Record the latest 10-second tick if it was missed."""
        tick = now - now % SAMPLE_INTERVAL_MS
        if (
            self._state.monitor_samples.last is not None
            and self._state.monitor_samples.last[0] >= tick
        ):
            return
        raw = self._raw()
        if (
            self._state.monitor_samples.cleared_at is None
            or tick > self._state.monitor_samples.cleared_at
        ):
            stored = dict(raw)
            if self._state.monitor_samples.last is not None:
                for name in COUNTERS:
                    stored[name] = raw[name] - self._state.monitor_samples.last[1][name]
            self._state.monitor_samples.samples[tick] = stored
        self._state.monitor_samples.last = (tick, raw)
        for stamp in [t for t in self._state.monitor_samples.samples if now - t > RETENTION_MS]:
            del self._state.monitor_samples.samples[stamp]

    def _series(self, latest: int | None, *, cluster: bool) -> list[models.MonitorSample]:
        if latest is not None and latest < 1:
            raise errors.bad_request("latest: must be at least 1", status=400)
        now = now_ms()
        with self._state.lock:
            self._tick(now)
            since = 0 if latest is None else now - latest * 1000
            local = {t: s for t, s in self._state.monitor_samples.samples.items() if t >= since}
        series = _downsample(since, local)
        if cluster:
            series = {t: _cluster_view(s) for t, s in series.items()}
        series = _fill_gaps(since, series)
        return [
            models.MonitorSample.model_validate({**series[t], "time_stamp": t})
            for t in sorted(series)
        ]

    def _node_or_all(self, node: str) -> bool:
        """True for the cluster (`all`); 404 for a node that is not running."""
        if node == "all":
            return True
        if node != self._state.node:
            raise errors.not_found(f"Node not found: {node}", status=404)
        return False

    def _current(self) -> dict[str, int]:
        now = now_ms()
        with self._state.lock:
            self._tick(now)
            assert self._state.monitor_samples.last is not None
            last_time, last = self._state.monitor_samples.last
            raw = self._raw()
            stats = self._state.current_stats()
        values = {name: raw[name] for name in GAUGES}
        elapsed = max(now - last_time, 1)
        for name, rate in RATES.items():
            values[rate] = round((raw[name] - last[name]) * 1000 / elapsed)
        values["retained_msg_count"] = stats["retained.count"]
        values["shared_subscriptions"] = stats["subscriptions.shared.count"]
        values["node_uptime"] = int((time.time() - self._state.started_at) * 1000)
        return values

    async def list_monitor_samples(
        self, *, latest: int | None = None
    ) -> list[models.MonitorSample]:
        return self._series(latest, cluster=True)

    async def list_node_monitor_samples(
        self, *, node: str, latest: int | None = None
    ) -> list[models.MonitorSample]:
        cluster = self._node_or_all(node)
        return self._series(latest, cluster=cluster)

    async def clear_monitor_samples(self) -> None:
        with self._state.lock:
            self._state.monitor_samples.samples.clear()
            self._state.monitor_samples.cleared_at = now_ms()

    async def get_monitor_current(self) -> models.MonitorCurrent:
        values = self._current()
        del values["node_uptime"]
        return models.MonitorCurrent.model_validate(_cluster_view(values))

    async def get_node_monitor_current(self, *, node: str) -> models.MonitorCurrent:
        if self._node_or_all(node):
            return await self.get_monitor_current()
        values = {k: v for k, v in self._current().items() if k not in _CLUSTER_ONLY}
        return models.MonitorCurrent.model_validate(values)
