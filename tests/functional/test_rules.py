"""Rules: the rule engine's settings, events, rules, their metrics and SQL tests."""

from __future__ import annotations

from typing import Any

import emqx_client
import pytest
from emqx_client import models

PREFIX = "rules-area"
CONTEXT = {"event_type": "message_publish", "topic": "t/a", "payload": "hi", "clientid": "c1"}


def test_rule_engine_settings(client: Any) -> None:
    got = client.rules.get_engine_settings()
    assert got.ignore_sys_message is True and got.jq_function_default_timeout == 10000
    changed = client.rules.update_engine_settings(
        body={"ignore_sys_message": False, "jq_function_default_timeout": "5s"}
    )
    assert changed.ignore_sys_message is False and changed.jq_function_default_timeout == 5000
    assert client.rules.get_engine_settings().ignore_sys_message is False
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.rules.update_engine_settings(body={"jq_function_default_timeout": "soon"})
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    restored = client.rules.update_engine_settings(body={})
    assert restored.ignore_sys_message is True and restored.jq_function_default_timeout == 10000


def test_rule_events(client: Any) -> None:
    events = client.rules.list_events()
    topics = [str(e.event.value) for e in events]
    assert "$events/client_connected" in topics and "$events/message_publish" in topics
    dropped = next(e for e in events if e.event.value == "$events/message_dropped")
    assert "reason" in dropped.columns and dropped.test_columns["reason"][0] == "no_subscribers"


def test_rule_sql_test(client: Any) -> None:
    everything = client.rules.test_sql(body={"sql": 'SELECT * FROM "t/#"', "context": CONTEXT})
    assert everything.model_dump()["payload"] == "hi"
    some = client.rules.test_sql(
        body={
            "sql": "SELECT payload as p, clientid FROM \"t/+\" WHERE clientid = 'c1'",
            "context": CONTEXT,
        }
    )
    assert some.model_dump() == {"p": "hi", "clientid": "c1"}
    with pytest.raises(emqx_client.NotMatchError) as nomatch:
        client.rules.test_sql(body={"sql": 'SELECT * FROM "x/#"', "context": CONTEXT})
    assert nomatch.value.status_code == 412 and nomatch.value.code == models.ErrorCode.NOT_MATCH
    with pytest.raises(emqx_client.NotMatchError):
        client.rules.test_sql(
            body={"sql": "SELECT * FROM \"t/#\" WHERE clientid = 'other'", "context": CONTEXT}
        )
    with pytest.raises(emqx_client.BadRequestError):
        client.rules.test_sql(body={"sql": "SELEC nothing", "context": CONTEXT})


def test_rule_sql_test_with_a_client_event(client: Any) -> None:
    """The context is a union by `event_type`: a client.connected context carries the
    connection's fields (emqx_rule_api_schema ctx_connected)."""
    context = {
        "event_type": "client_connected",
        "clientid": "c9",
        "proto_ver": "5",
        "keepalive": 30,
        "connected_at": 1736512728666,
    }
    body = models.RulesTest.model_validate(
        {"sql": 'SELECT clientid, keepalive FROM "$events/client_connected"', "context": context}
    )
    assert isinstance(body.context, models.RulesTestContextConnected)
    got = client.rules.test_sql(body=body)
    assert got.model_dump() == {"clientid": "c9", "keepalive": 30}


def test_rule_lifecycle(client: Any) -> None:
    rid = f"{PREFIX}-1"
    created = client.rules.create(
        body={
            "id": rid,
            "name": "printer",
            "sql": f'SELECT * FROM "{PREFIX}/#", "$events/client_connected"',
            "actions": [
                {"function": "console"},
                {"function": "republish", "args": {"topic": "out/1"}},
                "http:my_hook",
            ],
            "description": "prints things",
        }
    )
    assert created.id == rid and created.enable is True
    assert created.from_ == [f"{PREFIX}/#", "$events/client_connected"]
    republish = created.actions[1]
    assert republish.function == "republish" and republish.args.payload == "${payload}"
    assert created.actions[2] == "http:my_hook"

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.rules.create(body={"id": rid, "sql": 'SELECT * FROM "t"'})
    assert info.value.message == "rule id already exists"
    with pytest.raises(emqx_client.BadRequestError):
        client.rules.create(body={"sql": "not sql"})
    with pytest.raises(emqx_client.BadRequestError):
        client.rules.create(body={"sql": 'SELECT * FROM "t"', "actions": ["nocolon"]})

    other = client.rules.create(body={"sql": f'SELECT * FROM "{PREFIX}/other"', "enable": False})
    assert len(other.id) == 8

    got = client.rules.get(id=rid)
    assert got.name == "printer" and got.description == "prints things"
    listed = [r.id for r in client.rules.list(like_id=PREFIX)]
    assert listed == [rid]
    assert [r.id for r in client.rules.list(enable=False, like_from=PREFIX)] == [other.id]
    assert [r.id for r in client.rules.list(match_from=f"{PREFIX}/x/y")] == [rid]
    assert [r.id for r in client.rules.list(from_=f"{PREFIX}/other")] == [other.id]
    assert [r.id for r in client.rules.list(action=["http:my_hook"])] == [rid]
    assert list(client.rules.list(source=["mqtt:none"], like_from=PREFIX)) == []
    assert [r.id for r in client.rules.list(like_description="prints")] == [rid]
    page = client.rules.list(like_from=PREFIX, limit=1)
    assert page.meta.count == 2 and page.has_next_page()

    updated = client.rules.update(
        id=rid, body={"sql": f'SELECT payload FROM "{PREFIX}/t"', "enable": False}
    )
    assert updated.from_ == [f"{PREFIX}/t"] and updated.enable is False
    assert updated.created_at == created.created_at and updated.actions == []
    upserted = client.rules.update(id=f"{PREFIX}-new", body={"sql": 'SELECT * FROM "n"'})
    assert upserted.id == f"{PREFIX}-new"
    with pytest.raises(emqx_client.BadRequestError):
        client.rules.update(id=rid, body={"sql": "broken"})

    applied = client.rules.apply_test(id=rid, body={"context": {**CONTEXT, "topic": f"{PREFIX}/t"}})
    assert applied.model_dump() == {"payload": "hi"}
    with pytest.raises(emqx_client.NotMatchError):
        client.rules.apply_test(id=rid, body={"context": CONTEXT})
    with pytest.raises(emqx_client.NotFoundError) as missing:
        client.rules.apply_test(id="no-such-rule", body={"context": CONTEXT})
    assert missing.value.code == models.ErrorCode.RULE_NOT_FOUND

    metrics = client.rules.get_metrics(id=rid)
    assert metrics.id == rid and metrics.metrics.matched == 0
    assert metrics.node_metrics[0].metrics.matched_rate_last5m == 0
    client.rules.reset_metrics(id=rid)

    for target in (rid, other.id, upserted.id):
        client.rules.delete(id=target)
    for call in (
        client.rules.get,
        client.rules.delete,
        client.rules.get_metrics,
        client.rules.reset_metrics,
    ):
        with pytest.raises(emqx_client.NotFoundError) as gone:
            call(id=rid)
        assert gone.value.code == models.ErrorCode.NOT_FOUND
    assert list(client.rules.list(like_from=PREFIX)) == []
