"""Auto Subscribe: the topics every client is subscribed to on connecting. The stub keeps
the list; it does not subscribe the clients seeded through the backend."""

from __future__ import annotations

from ... import errors, models
from ..state import State

MAX_AUTO_SUBSCRIBE = 20


class AutoSubscribeApi:
    """AutoSubscribeHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _topics(self) -> list[models.AutoSubscribeTopic]:
        return [
            models.AutoSubscribeTopic.model_validate(t) for t in self._state.auto_subscribe.topics
        ]

    async def list_auto_subscribe_topics(self) -> list[models.AutoSubscribeTopic]:
        with self._state.lock:
            return self._topics()

    async def update_auto_subscribe_topics(
        self, *, body: list[models.AutoSubscribeTopic]
    ) -> list[models.AutoSubscribeTopic]:
        if len(body) > MAX_AUTO_SUBSCRIBE:
            raise errors.exceed_limit(
                f"Max auto subscribe topic count is  {MAX_AUTO_SUBSCRIBE}", status=409
            )
        # The broker stores the list with every default filled in, and answers it so.
        topics = [
            {
                "topic": t.topic,
                "qos": int(t.qos),
                "rh": t.rh,
                "rap": t.rap,
                "nl": t.nl,
            }
            for t in body
        ]
        with self._state.lock:
            self._state.auto_subscribe.topics = topics
            return self._topics()
