"""Auto Subscribe: the list of topics every client is subscribed to on connecting."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest
from emqx_client import models


def test_auto_subscribe_topics(client: Any) -> None:
    assert client.auto_subscribe.list_topics() == []
    saved = client.auto_subscribe.update_topics(
        body=[{"topic": "/clientid/${clientid}"}, {"topic": "alerts/#", "qos": 2, "rh": 1}]
    )
    assert [(t.topic, int(t.qos), t.rh, t.rap, t.nl) for t in saved] == [
        ("/clientid/${clientid}", 0, 0, 0, 0),
        ("alerts/#", 2, 1, 0, 0),
    ]
    assert [t.topic for t in client.auto_subscribe.list_topics()] == [
        "/clientid/${clientid}",
        "alerts/#",
    ]

    too_many = [{"topic": f"t/{n}"} for n in range(21)]
    with pytest.raises(emqx_client.ConflictError) as info:
        client.auto_subscribe.update_topics(body=too_many)
    assert info.value.code == models.ErrorCode.EXCEED_LIMIT
    assert len(client.auto_subscribe.update_topics(body=too_many[:20])) == 20
    with pytest.raises(emqx_client.BadRequestError) as info:
        # model_construct skips the client's own check, so the stub sees the bad value.
        bad = models.AutoSubscribeTopic.model_construct(topic="t", rh=3)
        client.auto_subscribe.update_topics(body=[bad])
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    assert client.auto_subscribe.update_topics(body=[]) == []
