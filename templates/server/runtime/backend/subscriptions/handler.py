"""Subscriptions: the cluster-wide list of every session's subscriptions."""

from __future__ import annotations

from ... import errors, models
from ..common import topic as _topic
from ..common.paging import paginate
from ..state import State
from .format import format_subscription
from .state import SubRecord


class SubscriptionsApi:
    """SubscriptionsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def list_subscriptions(
        self,
        *,
        clientid: str | None = None,
        durable: bool | None = None,
        limit: int = 100,
        match_topic: str | None = None,
        node: str | None = None,
        page: int = 1,
        qos: int | None = None,
        share_group: str | None = None,
        topic: str | None = None,
    ) -> models.SubscriptionPage:
        # `durable` has no effect: durable sessions are not enabled on this node.
        if match_topic is not None:
            try:
                _, group = _topic.parse(match_topic)
            except _topic.InvalidTopic:
                group = "invalid"
            if group is not None:
                raise errors.invalid_parameter("match_topic_invalid", status=400)
        if node is not None and node != self._state.node:
            message = f'bad rpc call {node}, Reason <<"invalid node">>'
            raise errors.node_down(message, status=500)

        def keep(sub: SubRecord) -> bool:
            if clientid is not None and sub.clientid != clientid:
                return False
            if qos is not None and sub.qos != qos:
                return False
            if share_group is not None:
                if sub.group != share_group:
                    return False
            elif topic is not None and sub.group is not None:
                return False
            if topic is not None and sub.filter != topic:
                return False
            if match_topic is not None:
                return sub.group is None and _topic.match(sub.filter, match_topic)
            return True

        with self._state.lock:
            matched = [s for s in self._state.subs if keep(s)]
            chunk, meta = paginate(matched, page, limit, with_count=match_topic is None)
            data = [format_subscription(self._state, s) for s in chunk]
        return models.SubscriptionPage(data=data, meta=meta)
