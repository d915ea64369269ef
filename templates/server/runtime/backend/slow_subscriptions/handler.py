"""Slow Subscriptions: the settings of the statistic and its records. The stub times no
delivery itself; `record()` feeds it as the broker's delivery hook would."""

from __future__ import annotations

from ... import errors, models
from ..common.clock import now_ms
from ..common.durations import duration_ms
from ..state import State
from .state import SlowSubsState

MAX_SIZE = 1000  # records answered, and the cap on top_k_num


class SlowSubscriptionsApi:
    """SlowSubscriptionsHandler over the shared state, plus `record()` for seeding."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _slow(self) -> SlowSubsState:
        return self._state.slow_subs

    def record(self, clientid: str, topic: str, timespan: int) -> bool:
        """One delivery to `clientid` of a message on `topic` took `timespan` ms. Kept as
        the broker keeps it: only when enabled, above the threshold, slower than the
        pair's previous record, and among the node's `top_k_num` slowest. True if kept."""
        with self._state.lock:
            slow = self._slow
            settings = slow.settings
            if not settings["enable"] or timespan <= duration_ms(settings["threshold"]):
                return False
            key = (clientid, topic)
            last = slow.records.get(key, (0, 0))[0]
            if timespan <= last:
                return False
            size = min(int(settings["top_k_num"]), MAX_SIZE)
            now = now_ms()
            if len(slow.records) >= size and key not in slow.records:
                slowest_kept = min(slow.records, key=lambda k: slow.records[k][0])
                if timespan <= slow.records[slowest_kept][0]:
                    return False
                del slow.records[slowest_kept]
            slow.records[key] = (timespan, now)
            return True

    def _expire(self) -> None:
        slow = self._slow
        interval = duration_ms(slow.settings["expire_interval"])
        now = now_ms()
        for key in [k for k, (_, at) in slow.records.items() if now - at >= interval]:
            del slow.records[key]

    async def list_slow_subscriptions(
        self, *, limit: int = 100, page: int = 1
    ) -> models.SlowSubscriptionList:
        # `page` and `limit` are accepted and ignored, as the broker does.
        with self._state.lock:
            self._expire()
            ranked = sorted(self._slow.records.items(), key=lambda kv: -kv[1][0])[:MAX_SIZE]
            return models.SlowSubscriptionList.model_validate(
                {
                    "data": [
                        {
                            "clientid": clientid,
                            "node": self._state.node,
                            "topic": topic,
                            "timespan": timespan,
                            "last_update_time": at,
                        }
                        for (clientid, topic), (timespan, at) in ranked
                    ]
                }
            )

    async def clear_slow_subscriptions(self) -> None:
        with self._state.lock:
            self._slow.records.clear()

    async def get_slow_subscriptions_settings(self) -> models.SlowSubscriptionsSettings:
        with self._state.lock:
            return models.SlowSubscriptionsSettings.model_validate(dict(self._slow.settings))

    async def update_slow_subscriptions_settings(
        self, *, body: models.SlowSubscriptionsSettings
    ) -> models.SlowSubscriptionsSettings:
        given = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        for name in ("threshold", "expire_interval"):
            if name in given:
                try:
                    duration_ms(given[name])
                except ValueError:
                    raise errors.bad_request(
                        f"Update slow subs config failed {{{name},not_a_duration}}", status=400
                    ) from None
        with self._state.lock:
            self._slow.settings = {**self._slow.settings, **given}
            return models.SlowSubscriptionsSettings.model_validate(dict(self._slow.settings))
