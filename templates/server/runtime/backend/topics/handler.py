"""Topics: the routing table derived from the subscriptions. A plain filter is routed to
the node once, however many clients subscribe to it; a shared subscription group has a
route of its own, shown as `$share/<group>/<filter>`."""

from __future__ import annotations

from ... import errors, models
from ..common import topic as _topic
from ..common.paging import check_pager
from ..state import State


class TopicsApi:
    """TopicsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _route(self, filter_: str, group: str | None) -> models.TopicRoute:
        return models.TopicRoute(topic=_topic.share_topic(filter_, group), node=self._state.node)

    async def list_topics(
        self, *, limit: int = 100, node: str | None = None, page: int = 1, topic: str | None = None
    ) -> models.TopicPage:
        check_pager(page, limit)
        want: tuple[str, str | None] | None = None
        if topic is not None:
            try:
                want = _topic.parse(topic)
            except _topic.InvalidTopic:
                raise errors.invalid_paramter("topic_filter_invalid", status=400) from None
        with self._state.lock:
            routes = self._state.routes()
        if want is not None:
            filter_, group = want
            # A plain filter matches its shared routes too, unless a node is named.
            routes = [
                (f, g)
                for f, g in routes
                if f == filter_ and (g == group or (group is None and node is None))
            ]
        if node is not None:
            if node != self._state.node:
                routes = []
            elif want is None or want[1] is None:
                routes = [(f, g) for f, g in routes if g is None]
        start = (page - 1) * limit
        chunk = routes[start : start + limit]
        hasnext = len(routes) > start + limit
        # The broker counts only when there is no filter or the listing reached its end.
        if (topic is None and node is None) or not hasnext:
            meta = models.PageMeta(page=page, limit=limit, count=len(routes), hasnext=hasnext)
        else:
            meta = models.PageMeta(page=page, limit=limit, hasnext=hasnext)
        return models.TopicPage(data=[self._route(f, g) for f, g in chunk], meta=meta)

    async def get_topic(self, *, topic: str) -> list[models.TopicRoute]:
        with self._state.lock:
            routes = [(f, g) for f, g in self._state.routes() if f == topic]
        if not routes:
            raise errors.topic_not_found("Topic not found", status=404)
        return [self._route(f, g) for f, g in routes]
