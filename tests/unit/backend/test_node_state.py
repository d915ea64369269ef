"""The node's own areas, straight on their state (no HTTP): clients, subscriptions,
publish, metrics, alarms, banned, API keys and dashboard users."""

from __future__ import annotations

import re

from emqx_server_stub.backend.alarms.handler import clear_alarm, raise_alarm
from emqx_server_stub.backend.api_keys.handler import check_key, hash_secret
from emqx_server_stub.backend.api_keys.state import ApiKeyRecord
from emqx_server_stub.backend.banned.state import BanRecord
from emqx_server_stub.backend.clients.handler import seed_client, seed_subscription
from emqx_server_stub.backend.dashboard.handler import add_user, check_password
from emqx_server_stub.backend.metrics.counters import counters
from emqx_server_stub.backend.publish.state import MessageIds
from emqx_server_stub.backend.state import State
from emqx_server_stub.backend.subscriptions.state import SubRecord, SubTable


def _sub(clientid: str, topic: str, group: str | None = None) -> SubRecord:
    filter_ = topic.split("/", 2)[2] if group else topic
    return SubRecord(clientid, topic, filter_, group, qos=1, nl=0, rap=0, rh=0)


def test_clients_count_live_sessions_and_replace_by_id() -> None:
    state = State(node="n@h")
    seed_client(state, "a")
    seed_client(state, "b", connected=False)
    seed_client(state, "a", username="alice")
    assert list(state.clients) == ["b", "a"]
    assert state.clients["a"].username == "alice"
    assert state.live == 1
    assert state.pop_client("a") is not None
    assert state.live == 0


def test_subscription_table_counts_shared_and_matches_receivers() -> None:
    subs = SubTable()
    subs.add(_sub("a", "t/+"))
    subs.add(_sub("b", "t/1"))
    subs.add(_sub("c", "$share/g/t/1", group="g"))
    subs.add(_sub("a", "t/+"))  # a resubscription replaces, it does not add
    assert (subs.total, subs.shared, subs.filters) == (3, 1, 2)
    assert sorted(s.clientid for s in subs.receivers("t/1")) == ["a", "b", "c"]
    assert subs.drop("a") == 1
    assert [s.topic for s in subs] == ["t/1", "$share/g/t/1"]


def test_stats_follow_the_state_and_keep_their_peaks() -> None:
    state = State(node="n@h")
    seed_client(state, "a")
    seed_subscription(state, "a", "x/#", qos=1)
    stats = state.current_stats()
    assert stats["connections.count"] == 1
    assert stats["subscriptions.count"] == 1
    state.pop_client("a")
    stats = state.current_stats()
    assert (stats["connections.count"], stats["connections.max"]) == (0, 1)


def test_counters_list_every_broker_metric_starting_at_zero() -> None:
    state = State(node="n@h")
    state.count("messages.received", by=3)
    values = counters(state)
    assert values["messages.received"] == 3
    assert values["messages.sent"] == 0


def test_message_ids_are_emqx_guids_in_increasing_order() -> None:
    ids = MessageIds("emqx@127.0.0.1")
    first, second = ids.next(), ids.next()
    assert re.fullmatch(r"[0-9A-F]{32}", first)
    assert first[16:28] == second[16:28]  # the node part
    assert int(second, 16) > int(first, 16)
    assert State(node="n@h").message_ids.next() != State(node="m@h").message_ids.next()


def test_alarms_move_from_active_to_cleared_once() -> None:
    state = State(node="n@h")
    raise_alarm(state, "high_cpu", "cpu 95%", {"cpu": 95})
    raise_alarm(state, "high_cpu", "again", None)  # an active alarm stays as it is
    assert state.active_alarms["high_cpu"].message == "cpu 95%"
    clear_alarm(state, "high_cpu")
    clear_alarm(state, "high_cpu")
    assert state.active_alarms == {}
    assert [a.name for a in state.cleared_alarms] == ["high_cpu"]
    assert state.cleared_alarms[0].deactivate_at is not None


def test_bans_are_keyed_by_kind_and_subject() -> None:
    state = State(node="n@h")
    ban = BanRecord(as_="clientid", who="c1", by="admin", reason="", at=0, until=None)
    state.bans[(ban.as_, ban.who)] = ban
    assert state.bans[("clientid", "c1")].until is None


def test_api_keys_check_the_secret_and_the_enable_flag() -> None:
    state = State(node="n@h")
    record = ApiKeyRecord(
        name="ci",
        api_key="key-1",
        secret_hash=hash_secret("s3cret"),
        enable=True,
        desc="",
        expired_at=None,
        created_at=0,
    )
    state.api_keys["ci"] = record
    assert check_key(state, "key-1", "s3cret") is True
    assert check_key(state, "key-1", "wrong") is False
    record.enable = False
    assert check_key(state, "key-1", "s3cret") is False


def test_dashboard_users_check_their_password() -> None:
    state = State(node="n@h")
    add_user(state, "ops", "Passw0rd!", "operator")
    assert check_password(state, "ops", "Passw0rd!") is True
    assert check_password(state, "ops", "passw0rd!") is False
    assert check_password(state, "nobody", "Passw0rd!") is False
    assert state.users["ops"].description == "operator"
