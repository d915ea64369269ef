"""Subscriptions as the API answers them."""

from __future__ import annotations

from typing import Any

from ... import models
from ..common import topic as _topic
from ..state import State
from ..subscriptions.state import SubRecord


def format_subscription(
    state: State, sub: SubRecord, *, with_durable: bool = True
) -> models.Subscription:
    data: dict[str, Any] = {
        "topic": _topic.share_topic(sub.filter, sub.group),
        "clientid": sub.clientid,
        "node": state.node,
        "qos": sub.qos,
        "nl": sub.nl,
        "rap": sub.rap,
        "rh": sub.rh,
    }
    if with_durable:
        data["durable"] = False
    return models.Subscription.model_validate(data)
